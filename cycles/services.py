"""State changes of the cycle calendar. Each service owns its transaction and validates first.

Reminders follow the calendar: cycle_activate, moment_move,
conversation_schedule, conversation_cancel and conversation_hold each call
``changed`` (see below) inside their transaction, which records what the
reminder planner (cycles.planning) must re-plan (cycles.plan_requests).
"""

from datetime import UTC, date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import missing_in_language
from core.states import move_state
from organizations.models import Employee, Organization, Team

from . import bounds
from .models import (
    CalendarFeed,
    Conversation,
    ConversationState,
    Cycle,
    CycleStatus,
    Moment,
    MomentChange,
    MomentKind,
    new_feed_token,
)
from .planning import reminder_rules_default
from .templates_data import template_moments

BULK_BATCH = 2000
MOMENT_FIELDS = (
    "kind",
    "name_nl",
    "name_en",
    "purpose_nl",
    "purpose_en",
    "opens_on",
    "closes_on",
    "preparation_employee_nl",
    "preparation_employee_en",
    "preparation_manager_nl",
    "preparation_manager_en",
    "produces_rating",
)


def changed(
    *,
    cycle: Cycle | None = None,
    conversation: Conversation | None = None,
    moment: Moment | None = None,
    notice: MomentChange | None = None,
) -> None:
    """Called inside the transaction of every change the reminders follow: a cycle activated, a conversation
    changed, a moment's window moved (``notice``: and the people concerned are to be told).

    Records a plan request in that same transaction, so a saved change is never left un-planned; after commit a
    Celery task plans it (in the request when there is no broker). A broker that is down is logged, never a 500:
    the next dispatcher tick plans it. Calling it twice plans twice, which is harmless.
    """
    from .plan_requests import plan_request_record

    if conversation is not None:
        cycle_id = conversation.moment.cycle_id
    elif moment is not None:
        cycle_id = moment.cycle_id
    else:
        cycle_id = cycle.pk
    plan_request_record(
        organization_id=(conversation or moment or cycle).organization_id,
        cycle_id=cycle_id,
        conversation_id=conversation.pk if conversation else None,
        moment_id=moment.pk if moment else None,
        notice_id=notice.pk if notice else None,
    )


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
    the template's three moments. Its dates keep to cycles.bounds (at most two years, within reach of today)."""
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
    """Change a cycle being prepared; moments must stay inside its dates, which keep to cycles.bounds."""
    if cycle.status != CycleStatus.DRAFT:
        raise ValidationError(_("An active cycle's calendar is fixed; move a moment's window instead."))
    if errors := bounds.cycle_errors(starts_on=starts_on, ends_on=ends_on):
        raise ValidationError(errors)
    outside = cycle.moments.filter(Q(opens_on__lt=starts_on) | Q(closes_on__gt=ends_on)).exists()
    if outside:
        raise ValidationError(_("A moment's window would fall outside these dates; change the moment first."))
    cycle.name, cycle.starts_on, cycle.ends_on, cycle.for_everyone = name.strip(), starts_on, ends_on, for_everyone
    cycle.full_clean()
    cycle.save()
    _set_teams(cycle, for_everyone, teams)
    return cycle


def _validate_moment(moment: Moment, cycle: Cycle) -> None:
    language = cycle.organization.language
    errors = missing_in_language(moment, language, "name")
    if not (moment.purpose_nl.strip() or moment.purpose_en.strip()):
        errors[f"purpose_{language}"] = _("Say what this moment is for: everyone sees the purpose wherever it appears.")
    if moment.opens_on and moment.closes_on:
        if moment.opens_on > moment.closes_on:
            errors["closes_on"] = _("The window closes before it opens.")
        elif moment.opens_on < cycle.starts_on or moment.closes_on > cycle.ends_on:
            errors["opens_on"] = _("The window must lie inside the cycle (%(start)s – %(end)s).") % {
                "start": cycle.starts_on.isoformat(),
                "end": cycle.ends_on.isoformat(),
            }
        else:
            errors.update(bounds.window_errors(opens_on=moment.opens_on, closes_on=moment.closes_on))
    if moment.produces_rating and moment.kind != MomentKind.ASSESSMENT:
        errors["produces_rating"] = _("Only an assessment conversation produces a rating.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def moment_save(*, cycle: Cycle, moment: Moment | None = None, **fields) -> Moment:
    """Add or change a moment of a cycle being prepared (an active cycle's windows move with moment_move)."""
    if cycle.status != CycleStatus.DRAFT:
        raise ValidationError(_("An active cycle's calendar is fixed; move a moment's window instead."))
    moment = moment or Moment(organization_id=cycle.organization_id, cycle=cycle)
    for name, value in fields.items():
        setattr(moment, name, value.strip() if isinstance(value, str) else value)
    _validate_moment(moment, cycle)
    moment.full_clean()
    moment.save()
    return moment


@transaction.atomic
def moment_delete(*, moment: Moment) -> None:
    """Remove a moment from a cycle being prepared."""
    if moment.cycle.status != CycleStatus.DRAFT:
        raise ValidationError(_("An active cycle's moments cannot be removed."))
    moment.delete()


def people_in_scope(cycle: Cycle):
    """The active people a cycle is for: everyone, or the members of its teams."""
    people = Employee.objects.filter(organization_id=cycle.organization_id, is_active=True)
    if not cycle.for_everyone:
        people = people.filter(team__in=Team.objects.filter(cycles=cycle))
    return people


@transaction.atomic
def cycle_activate(*, cycle: Cycle) -> int:
    """Fix the calendar and create one conversation per person in scope per moment. Returns how many are new.

    Running it again (or on an active cycle: "add newcomers") creates only the
    missing ones: the unique (moment, employee) key and ignore_conflicts make
    it idempotent, and bulk inserts keep 10,000 people x 3 moments in seconds.
    """
    given, cycle = cycle, Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("This cycle is closed."))
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
    new = [
        Conversation(organization_id=cycle.organization_id, moment=moment, employee_id=person, created_at=now,
                     updated_at=now)
        for moment in moments
        for person in people
        if (moment.pk, person) not in existing
    ]
    Conversation.objects.bulk_create(new, batch_size=BULK_BATCH, ignore_conflicts=True)
    if cycle.status == CycleStatus.DRAFT:
        Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.ACTIVE, activated_at=now)
        given.status, given.activated_at = CycleStatus.ACTIVE, now
    changed(cycle=cycle)
    return len(new)


def newcomers(*, cycle: Cycle) -> int:
    """How many people in scope have no conversations yet in this active cycle (for the "add newcomers" action)."""
    if cycle.status != CycleStatus.ACTIVE:
        return 0
    have = Conversation.objects.filter(organization_id=cycle.organization_id, moment__cycle=cycle).values("employee")
    return people_in_scope(cycle).exclude(pk__in=have).count()


@transaction.atomic
def moment_move(*, moment: Moment, opens_on: date, closes_on: date, reason: str, actor: Employee) -> Moment:
    """Move the window of an active cycle's moment, with a reason that is kept. Conversations keep their state.

    After commit the unsent reminders follow the new dates and the people concerned are emailed the change.
    """
    cycle = moment.cycle
    if cycle.status != CycleStatus.ACTIVE:
        raise ValidationError(_("Only an active cycle's windows are moved this way; edit the moment instead."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the window moves; the people affected will see it.")})
    old_opens, old_closes = moment.opens_on, moment.closes_on
    moment.opens_on, moment.closes_on = opens_on, closes_on
    _validate_moment(moment, cycle)
    moment.save(update_fields=["opens_on", "closes_on"])
    change = MomentChange.objects.create(
        organization_id=moment.organization_id,
        moment=moment,
        old_opens_on=old_opens,
        old_closes_on=old_closes,
        new_opens_on=opens_on,
        new_closes_on=closes_on,
        reason=reason.strip(),
        changed_by=actor,
    )
    # The notice travels with the plan request: recorded now, sent after the re-planning, never a 500.
    changed(moment=moment, notice=change)
    return moment


class NonexistentTime(ValidationError):
    pass


def local_datetime(*, day: date, at: time, zone) -> datetime:
    """``day`` at ``at`` in ``zone`` as an aware datetime; refuses a time the clocks skip.

    On the spring-forward night 02:30 does not exist in Europe/Amsterdam: zoneinfo
    would quietly shift it, so the round trip through UTC is compared and a
    difference is reported instead. (An autumn 02:30 happens twice; the first is taken.)
    """
    local = datetime.combine(day, at).replace(tzinfo=zone)
    try:
        round_trip = local.astimezone(UTC).astimezone(zone)
    except OverflowError:
        # Near year 1 or 9999 the conversion to UTC leaves the range a datetime can hold.
        raise ValidationError({"date": _("This date cannot be used; choose a date close to today.")}) from None
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentTime(
            {
                "time": _(
                    "%(time)s does not exist on %(date)s: the clocks move forward that night. Choose another time."
                )
                % {"time": at.strftime("%H:%M"), "date": day.isoformat()}
            }
        )
    return local


@transaction.atomic
def conversation_schedule(*, conversation: Conversation, day: date, at: time, location: str = "") -> list[str]:
    """Schedule or reschedule a conversation in the organisation's time zone. Returns warnings (outside the window).

    A held or cancelled conversation is not rescheduled. The day lies within its
    cycle, give or take cycles.bounds.CONVERSATION_SLACK. The iCalendar sequence
    goes up when the date or time changes, so subscribed calendars move the event.
    """
    if conversation.state in (ConversationState.HELD, ConversationState.CANCELLED):
        raise ValidationError(_("This conversation has been held or cancelled; it cannot be scheduled."))
    if errors := bounds.conversation_errors(day=day, cycle=conversation.moment.cycle):
        raise ValidationError(errors)
    zone = conversation.organization.zone
    when = local_datetime(day=day, at=at, zone=zone)
    moved = conversation.scheduled_at is not None and conversation.scheduled_at != when
    conversation.scheduled_at = when
    conversation.location = location.strip()
    conversation.state = ConversationState.SCHEDULED
    conversation.updated_at = timezone.now()
    if moved:
        conversation.sequence += 1
    conversation.full_clean(exclude=["moment", "employee", "organization"])
    conversation.save()
    moment = conversation.moment
    warnings = []
    if not moment.opens_on <= day <= moment.closes_on:
        warnings.append(
            _("This date is outside the moment's window (%(opens)s – %(closes)s).")
            % {"opens": moment.opens_on.isoformat(), "closes": moment.closes_on.isoformat()}
        )
    changed(conversation=conversation)
    return warnings


def _move_state(conversation: Conversation, allowed: set, to: str, **fields) -> None:
    """A conditional update (core.states), so of two people acting at once on a conversation only one wins."""
    if not move_state(Conversation, conversation.pk, allowed, to, field="state", updated_at=timezone.now(), **fields):
        raise ValidationError(_("This conversation changed in the meantime; look again."))
    conversation.refresh_from_db()


@transaction.atomic
def conversation_cancel(*, conversation: Conversation) -> Conversation:
    """Cancel a conversation that has not been held; its time is cleared from calendars (sequence up)."""
    _move_state(
        conversation,
        {ConversationState.TO_SCHEDULE, ConversationState.SCHEDULED},
        ConversationState.CANCELLED,
        sequence=conversation.sequence + 1,
    )
    changed(conversation=conversation)
    return conversation


@transaction.atomic
def conversation_hold(*, conversation: Conversation, agreements: str = "") -> Conversation:
    """Mark a conversation as held, with the agreements both parties see."""
    _move_state(
        conversation,
        {ConversationState.TO_SCHEDULE, ConversationState.SCHEDULED},
        ConversationState.HELD,
        held_at=timezone.now(),
        agreements=agreements.strip(),
    )
    changed(conversation=conversation)
    return conversation


@transaction.atomic
def conversation_agreements_save(*, conversation: Conversation, agreements: str) -> Conversation:
    """Record or correct the agreements of a conversation (any state but cancelled)."""
    if conversation.state == ConversationState.CANCELLED:
        raise ValidationError(_("This conversation was cancelled."))
    conversation.agreements = agreements.strip()
    conversation.updated_at = timezone.now()
    conversation.full_clean(exclude=["moment", "employee", "organization"])
    conversation.save(update_fields=["agreements", "updated_at"])
    return conversation


@transaction.atomic
def feed_for(*, employee: Employee) -> CalendarFeed:
    """The person's calendar feed, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(organization_id=employee.organization_id, employee=employee)
    return feed


@transaction.atomic
def feed_regenerate(*, employee: Employee) -> CalendarFeed:
    """Give the person a new feed address; the old one answers 404 from now on."""
    feed = feed_for(employee=employee)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
