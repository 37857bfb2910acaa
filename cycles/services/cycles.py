"""A cycle's own life: created (with the template's moments and the default reminder rules), changed while it is
being prepared, activated (one conversation per person in scope per moment), and newcomers added later."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organizations import audit
from organizations.models import Employee, Organization, Team

from .. import bounds, signals
from ..bulk import rows_insert
from ..models import Conversation, Cycle, CycleStatus
from ..reminder_rules import reminder_rules_default
from ..rules import NOT_CLOSED, PREPARED
from ..templates_data import template_moments
from . import changes
from .moments import moment_save


def _set_teams(cycle: Cycle, for_everyone: bool, teams) -> None:
    teams = list(teams or [])
    if any(team.organization_id != cycle.organization_id for team in teams):
        raise ValidationError({"teams": _("Choose teams of this organisation.")})
    if not for_everyone and not teams:
        raise ValidationError({"teams": _("Choose at least one team, or the whole organisation.")})
    cycle.teams.set([] if for_everyone else teams)


@transaction.atomic
def cycle_create(
    *,
    organization: Organization,
    name: str,
    starts_on: date,
    ends_on: date,
    for_everyone: bool = True,
    teams=(),
    from_template: bool = True,
) -> Cycle:
    """Create a cycle being prepared, with the default reminder rules and, unless ``from_template`` is off,
    the template's three moments. Its dates keep to cycles.bounds (at most two years, within reach of today).
    Not harmless twice: a second call makes a second cycle."""
    cycle = Cycle(
        organization=organization, name=name.strip(), starts_on=starts_on, ends_on=ends_on, for_everyone=for_everyone
    )
    if errors := bounds.cycle_errors(starts_on=starts_on, ends_on=ends_on):
        raise ValidationError(errors)
    cycle.full_clean()
    cycle.save()
    _set_teams(cycle, for_everyone, teams)
    reminder_rules_default(cycle=cycle)
    if from_template:
        for fields in template_moments(starts_on, ends_on):
            moment_save(cycle=cycle, **fields)
    return cycle


@transaction.atomic
def cycle_update(*, cycle: Cycle, name: str, starts_on: date, ends_on: date, for_everyone: bool, teams) -> Cycle:
    """Change a cycle being prepared (cycles.rules.EDIT_CYCLE); its moments must stay inside its dates, which keep
    to cycles.bounds. Harmless twice."""
    if cycle.status not in PREPARED:
        raise ValidationError(_("An active cycle's calendar is fixed; move a moment's window instead."))
    if errors := bounds.cycle_errors(starts_on=starts_on, ends_on=ends_on):
        raise ValidationError(errors)
    if cycle.moments.filter(Q(opens_on__lt=starts_on) | Q(closes_on__gt=ends_on)).exists():
        raise ValidationError(_("A moment's window would fall outside these dates; change the moment first."))
    cycle.name, cycle.starts_on, cycle.ends_on, cycle.for_everyone = name.strip(), starts_on, ends_on, for_everyone
    cycle.full_clean()
    cycle.save()
    _set_teams(cycle, for_everyone, teams)
    return cycle


def overlapping_cycle(*, cycle: Cycle) -> Cycle | None:
    """An active cycle other than ``cycle`` whose dates overlap ``cycle``'s for some of the same people, or None.

    The same people: either cycle is for everyone, or they share a team (a person is in one team, so sharing a
    person means sharing a team). The earliest such cycle, so the refusal names one. One query (cycle_status_idx).
    Two active cycles for one person in the same days would mix their moments on "my year" and the team grid.
    """
    others = Cycle.objects.filter(
        organization_id=cycle.organization_id,
        status=CycleStatus.ACTIVE,
        starts_on__lte=cycle.ends_on,
        ends_on__gte=cycle.starts_on,
    ).exclude(pk=cycle.pk)
    if not cycle.for_everyone:
        others = others.filter(Q(for_everyone=True) | Q(teams__cycles=cycle))
    return others.order_by("starts_on", "pk").first()


def overlap_refusal(other: Cycle) -> str:
    """What cycle_activate (and the activation page, before the click) says when ``other`` overlaps."""
    return _(
        "The active cycle %(name)s (%(starts)s to %(ends)s) is already running for some of the same people on some "
        "of these dates. Change this cycle's dates or teams so that they do not overlap."
    ) % {
        "name": other.name,
        "starts": date_format(other.starts_on, "DATE_FORMAT"),
        "ends": date_format(other.ends_on, "DATE_FORMAT"),
    }


def people_in_scope(cycle: Cycle):
    """The active people a cycle is for: everyone, or the members of its teams."""
    people = Employee.objects.filter(organization_id=cycle.organization_id, is_active=True)
    if not cycle.for_everyone:
        people = people.filter(team__in=Team.objects.filter(cycles=cycle))
    return people


@transaction.atomic
def cycle_activate(*, cycle: Cycle) -> int:
    """Fix the calendar and create one conversation per person in scope per moment. Returns how many are new.

    Running it again (or on an active cycle: "add newcomers", cycles.rules.ADD_NEWCOMERS) creates only the
    missing ones: the unique (moment, employee) key and ON CONFLICT DO NOTHING make it idempotent, and set-based inserts
    keep 10,000 people x 3 moments in seconds. The cycle's row is locked, so two activations run one after the
    other. The audit trail gets one entry on the cycle with the count, not one per conversation.

    Protects "one active cycle per person on any day": a cycle being prepared is refused while an active cycle
    overlaps it for some of the same people (``overlapping_cycle``). The organisation's row is locked first
    (FOR NO KEY UPDATE: rows that refer to it can still be written), so two HR admins activating two overlapping
    cycles at once run one after the other and the second is refused.
    """
    list(Organization.objects.select_for_update(no_key=True).filter(pk=cycle.organization_id).values_list("pk"))
    given, cycle = cycle, Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status not in NOT_CLOSED:
        raise ValidationError(_("This cycle is closed."))
    if cycle.status in PREPARED and (other := overlapping_cycle(cycle=cycle)):
        raise ValidationError(overlap_refusal(other))
    moments = list(cycle.moments.all())
    if not moments:
        raise ValidationError(_("This cycle has no moments yet; add at least one before activating it."))
    people = list(people_in_scope(cycle).values_list("pk", flat=True))
    if not people:
        raise ValidationError(_("Nobody is in this cycle's scope; add people or teams first."))
    existing = set(
        Conversation.objects.filter(organization_id=cycle.organization_id, moment__cycle=cycle).values_list(
            "moment_id", "employee_id"
        )
    )
    now = timezone.now()
    new = [(moment.pk, person) for moment in moments for person in people if (moment.pk, person) not in existing]
    same = {"organization": cycle.organization_id, "created_at": now, "updated_at": now}
    rows_insert(Conversation, ("moment", "employee"), new, same=same)
    if cycle.status in PREPARED:
        Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.ACTIVE, activated_at=now)
        audit.record_update(cycle, status=CycleStatus.ACTIVE, via="cycle_activation", count=len(new))
        given.status, given.activated_at = CycleStatus.ACTIVE, now
        signals.cycle_activated.send(sender=Cycle, cycle=cycle)
    elif new:
        audit.record_update(cycle, via="cycle_activation", count=len(new))
    changes.changed(cycle=cycle)
    return len(new)
