"""Newcomers of an active cycle: the people in its scope who have no conversations in it yet, and adding them.

Someone HR adds, imports or moves into a team after a cycle was activated has no conversations in it until HR adds
them (docs/architecture.md: an explicit action, not automatic). Adding a newcomer creates one conversation for each
moment whose window has **not closed yet** (it closes today or later, in the organisation's time zone) and none for
a moment whose window has closed: such a conversation would be overdue the moment it exists, show up in the
overdue lists and the weekly overdue reminders, and ask a manager to hold a conversation whose time has gone. The
pages that offer the step name those moments and say why they are skipped; on a cycle whose windows have all closed
there is nothing to add, and the pages say so instead of offering a button.

(``services.cycle_activate`` on an active cycle would create every missing conversation, closed windows included;
the activation page sends HR here instead when the cycle is active.)

The reads here (what an offer would create) and the write (``newcomers_add``) decide "newcomer" and "window closed"
the same way, so a page says exactly what the button does. Each read runs a fixed number of queries, whatever the
number of people.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import audit
from organizations.models import Employee, Organization

from .bulk import rows_insert
from .models import Conversation, Cycle, Moment
from .rules import RUNNING
from .services import changed, people_in_scope

NAMES_ON_PAGE = 5  # the cycle page and the import page name this many newcomers, then "and N more"
AUDIT_REASON = "cycle_newcomers"  # described in CyclesConfig.ready


def today(organization: Organization):
    """Today in the organisation's time zone: the day a window that closes on it is still open."""
    return timezone.localdate(timezone=organization.zone)


def closed(moment: Moment, day) -> bool:
    """The moment's window closed before ``day`` (as cycles.rules.window_not_closed decides it for a restore)."""
    return moment.closes_on < day


def newcomers_of(cycle: Cycle, *, person: Employee | None = None):
    """The active people in ``cycle``'s scope without any conversation in it (only ``person``, if given), by name."""
    has_one = Conversation.objects.filter(
        organization_id=cycle.organization_id, moment__cycle_id=cycle.pk, employee_id=OuterRef("pk")
    )
    people = people_in_scope(cycle).filter(~Exists(has_one))
    if person is not None:
        people = people.filter(pk=person.pk)
    return people.order_by("sort_name", "pk")


@dataclass(frozen=True)
class Offer:
    """What adding newcomers to ``cycle`` would do: ``people`` get one conversation per moment of ``opening``."""

    cycle: Cycle
    people: int  # newcomers it concerns
    names: list[str]  # the first of them, by name
    opening: list[Moment] = field(default_factory=list)  # window not closed: one conversation each
    skipped: list[Moment] = field(default_factory=list)  # window closed: no conversation (it would be overdue)
    person: Employee | None = None  # the one person it is for; None: every newcomer of the cycle

    @property
    def more(self) -> int:
        """How many newcomers it concerns beyond those named."""
        return max(self.people - len(self.names), 0)

    @property
    def conversations(self) -> int:
        """How many conversations adding them creates."""
        return self.people * len(self.opening)


def _split(moments, day) -> tuple[list[Moment], list[Moment]]:
    moments = sorted(moments, key=lambda moment: (moment.opens_on, moment.closes_on, moment.pk))
    return [m for m in moments if not closed(m, day)], [m for m in moments if closed(m, day)]


def cycle_offer(*, cycle: Cycle, person: Employee | None = None, names: int = NAMES_ON_PAGE) -> Offer | None:
    """The newcomers of an active ``cycle`` (or just ``person``, when they are one) and what adding them creates;
    None for a cycle that is not active. Reads the cycle's moments from its prefetch when the selector loaded them
    (selectors.cycles_detailed), so two queries (the count and the names), three without."""
    if cycle.status not in RUNNING:
        return None
    people = newcomers_of(cycle, person=person)
    count = people.count()
    shown = [employee.full_name for employee in people[:names]] if count else []
    opening, skipped = _split(cycle.moments.all(), today(cycle.organization))
    return Offer(cycle=cycle, people=count, names=shown, opening=opening, skipped=skipped, person=person)


def _active_cycles(organization_id: int):
    moments = Prefetch("moments", queryset=Moment.objects.order_by("opens_on", "closes_on", "pk"))
    return (
        Cycle.objects.filter(organization_id=organization_id, status__in=RUNNING)
        .select_related("organization")
        .prefetch_related(moments)
        .order_by("starts_on", "pk")
    )


def person_offers(*, person: Employee) -> list[Offer]:
    """Each active cycle whose scope ``person`` is in and in which they have no conversations yet, with what adding
    them creates. Two queries (one without active cycles); none for someone deactivated, who is in no scope."""
    if not person.is_active:
        return []
    in_team = Cycle.teams.through.objects.filter(cycle_id=OuterRef("pk"), team_id=person.team_id)
    has_one = Conversation.objects.filter(
        organization_id=person.organization_id, employee_id=person.pk, moment__cycle_id=OuterRef("pk")
    )
    scope = Q(for_everyone=True) | Q(Exists(in_team)) if person.team_id else Q(for_everyone=True)
    cycles = _active_cycles(person.organization_id).filter(scope).filter(~Exists(has_one))
    offers = []
    for cycle in cycles:
        opening, skipped = _split(cycle.moments.all(), today(cycle.organization))
        offers.append(
            Offer(cycle=cycle, people=1, names=[person.full_name], opening=opening, skipped=skipped, person=person)
        )
    return offers


def organization_offers(*, organization: Organization, names: int = NAMES_ON_PAGE) -> list[Offer]:
    """Each active cycle of ``organization`` that has newcomers, with what adding them creates. Two queries for the
    cycles and their moments, then two per active cycle (an organisation runs one or two at a time), whatever the
    number of people."""
    offers = []
    for cycle in _active_cycles(organization.pk):
        offer = cycle_offer(cycle=cycle, names=names)
        if offer.people:
            offers.append(offer)
    return offers


@transaction.atomic
def newcomers_add(*, cycle: Cycle, person: Employee | None = None) -> int:
    """Give the newcomers of an active cycle (or only ``person``, if they are one) one conversation per moment whose
    window has not closed. Returns how many conversations it created.

    Protects "one conversation per person per moment" and "no conversation born overdue". The cycle's row is
    locked, so two HR admins adding at once run one after the other, and the second finds nobody new; the unique
    (moment, employee) key with ignore_conflicts covers the rest, so running it twice is harmless. A newcomer is
    someone in scope without any conversation in the cycle: after this they have some, and are not offered again
    for the windows skipped. One audit entry on the cycle with the count, and one plan request for its reminders
    (services.changed), as activation does.
    """
    organization = cycle.organization
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk, organization_id=organization.pk)
    if locked.status not in RUNNING:
        raise ValidationError(_("Newcomers are added to an active cycle only; this one is not active."))
    opening, _skipped = _split(locked.moments.all(), today(organization))
    if not opening:
        raise ValidationError(
            _("Every window of this cycle has closed: new conversations would be overdue at once, so none are added.")
        )
    people = list(newcomers_of(locked, person=person).values_list("pk", flat=True))
    now = timezone.now()
    new = [(moment.pk, pk) for moment in opening for pk in people]
    rows_insert(
        Conversation,
        ("moment", "employee"),
        new,
        same={"organization": organization.pk, "created_at": now, "updated_at": now},
    )
    if new:
        audit.record_update(locked, via=AUDIT_REASON, count=len(new))
        changed(cycle=locked)
    return len(new)
