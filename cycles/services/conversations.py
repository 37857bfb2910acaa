"""One conversation: scheduled (again) in the organisation's time zone, cancelled (and restored), marked held,
its agreements kept.

Which step a conversation takes in which state is cycles.rules's to say
(SCHEDULABLE, CLOSABLE, RESTORABLE, WITH_AGREEMENTS): the same sets the conversation page
asks to offer each form. Each service reads the state on the row as it is in
the database, not as the page loaded it: a conditional update where the state
moves (core.states), a locked row where a schedule or the agreements are saved,
so that of two tabs acting at once only one wins and a held conversation is
never scheduled again. Given the ``actor`` (the views pass it), a service also
tests the role part of the rule, cycles.rules.ACT_ON_CONVERSATION: only the
person's manager acts (PermissionDenied for anyone else, whom the views have
answered 403 already).
"""

from datetime import UTC, date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.states import move_state
from organizations import audit
from organizations.models import Employee
from organizations.permissions import can

from .. import bounds
from ..models import Conversation, ConversationState
from ..rules import ACT_ON_CONVERSATION, CLOSABLE, RESTORABLE, SCHEDULABLE, WITH_AGREEMENTS, scheduled_ahead
from . import changes

# What a schedule writes (the rest of the row, its agreements say, is not the schedule's to overwrite).
SCHEDULE_FIELDS = ["scheduled_at", "location", "state", "sequence", "updated_at"]


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
                % {"time": at.strftime("%H:%M"), "date": date_format(day)}
            }
        )
    return local


def _may_act(actor: Employee | None, conversation: Conversation) -> None:
    if actor is not None and not can(actor, ACT_ON_CONVERSATION, conversation):
        raise PermissionDenied


def _stored(conversation: Conversation, *fields: str) -> dict:
    """``fields`` of the conversation's row, locked until the transaction ends."""
    return Conversation.objects.select_for_update().filter(pk=conversation.pk).values(*fields).get()


@transaction.atomic
def conversation_schedule(
    *, conversation: Conversation, day: date, at: time, location: str = "", actor: Employee | None = None
) -> list[str]:
    """Schedule or reschedule a conversation in the organisation's time zone. Returns warnings (outside the window).

    Only an open conversation is scheduled (cycles.rules.SCHEDULABLE). The day lies within its cycle, give or
    take cycles.bounds.CONVERSATION_SLACK. The iCalendar sequence goes up when the date or time changes, so
    subscribed calendars move the event. Harmless twice with the same values: the sequence stays.
    """
    _may_act(actor, conversation)
    stored = _stored(conversation, "state", "scheduled_at", "sequence")
    if stored["state"] not in SCHEDULABLE:
        raise ValidationError(_("This conversation has been held or cancelled; it cannot be scheduled."))
    if errors := bounds.conversation_errors(day=day, cycle=conversation.moment.cycle):
        raise ValidationError(errors)
    zone = conversation.organization.zone
    when = local_datetime(day=day, at=at, zone=zone)
    moved = stored["scheduled_at"] is not None and stored["scheduled_at"] != when
    conversation.scheduled_at = when
    conversation.location = location.strip()
    conversation.state = ConversationState.SCHEDULED
    conversation.updated_at = timezone.now()
    conversation.sequence = stored["sequence"] + (1 if moved else 0)
    conversation.full_clean(exclude=["moment", "employee", "organization"])
    conversation.save(update_fields=SCHEDULE_FIELDS)
    moment = conversation.moment
    warnings = []
    if not moment.opens_on <= day <= moment.closes_on:
        warnings.append(
            _("This date is outside the moment's window (%(opens)s – %(closes)s).")
            % {"opens": date_format(moment.opens_on), "closes": date_format(moment.closes_on)}
        )
    changes.changed(conversation=conversation)
    return warnings


def _move_state(conversation: Conversation, to: str, **fields) -> None:
    """A conditional update from cycles.rules.CLOSABLE (core.states), so of two people acting at once on a
    conversation only one wins; the audit trail records it, as auditlog does not see an update."""
    values = {"updated_at": timezone.now(), **fields}
    if not move_state(Conversation, conversation.pk, CLOSABLE, to, field="state", **values):
        raise ValidationError(_("This conversation changed in the meantime; look again."))
    audit.record_update(conversation, state=to, **values)
    conversation.refresh_from_db()


@transaction.atomic
def conversation_cancel(*, conversation: Conversation, actor: Employee | None = None) -> Conversation:
    """Cancel a conversation that has not been held; its time is cleared from calendars (sequence up).
    Refused the second time: it is no longer open."""
    _may_act(actor, conversation)
    _move_state(conversation, ConversationState.CANCELLED, sequence=conversation.sequence + 1)
    changes.changed(conversation=conversation)
    return conversation


def local_moment(when: datetime, zone) -> str:
    """A stored time as a person reads it: the date in the language's style and the time, in ``zone``."""
    local = timezone.localtime(when, zone)
    return f"{date_format(local, 'DATE_FORMAT')}, {local:%H:%M}"


def restorable_until(conversation: Conversation) -> date:
    """The last day a cancelled ``conversation`` may be restored: the day its moment's window closes."""
    return conversation.moment.closes_on


def hold_refusal(conversation: Conversation) -> str:
    """Why a conversation is not marked held yet (cycles.rules.too_early): scheduled for a time still to come, or
    unscheduled while its cycle has not started."""
    if conversation.scheduled_at is None:
        return _cycle_ahead_refusal(conversation.moment.cycle)
    return _("This conversation is scheduled for %(date)s; mark it held once it has taken place.") % {
        "date": local_moment(conversation.scheduled_at, conversation.organization.zone)
    }


def _cycle_ahead_refusal(cycle) -> str:
    return _("Cycle %(cycle)s starts on %(date)s; mark this conversation held once it has taken place.") % {
        "cycle": cycle.name,
        "date": date_format(cycle.starts_on, "DATE_FORMAT"),
    }


def took_place_at(conversation: Conversation, *, day: date, at: time) -> datetime:
    """When an unscheduled conversation took place, as the held step asks it: ``day`` at ``at`` in the
    organisation's zone, not in the future and not before its cycle started.

    The cycle's start, not the window's opening: a date outside the window is scheduled with only a warning, so a
    conversation held a little early is still this moment's; a day before the cycle belongs to another one (or is
    a typo in the year). The day is compared before it is converted, so year 1 or 9999 never reaches a time zone.
    """
    zone = conversation.organization.zone
    cycle = conversation.moment.cycle
    today = timezone.localdate(timezone=zone)
    if cycle.starts_on > today:  # no day can be right yet (cycles.rules.cycle_ahead): about the step, not the field
        raise ValidationError(_cycle_ahead_refusal(cycle))
    if day > today:
        raise ValidationError({"date": _("This day is still to come: enter the day the conversation took place.")})
    if day < cycle.starts_on:
        raise ValidationError(
            {
                "date": _("Cycle %(cycle)s started on %(date)s: enter a day from then until today.")
                % {"cycle": cycle.name, "date": date_format(cycle.starts_on, "DATE_FORMAT")}
            }
        )
    when = local_datetime(day=day, at=at, zone=zone)
    if when > timezone.now():
        raise ValidationError({"time": _("This time is still to come today: enter the time it took place.")})
    return when


@transaction.atomic
def conversation_hold(
    *,
    conversation: Conversation,
    agreements: str = "",
    day: date | None = None,
    at: time | None = None,
    actor: Employee | None = None,
) -> Conversation:
    """Mark an open conversation as held, with the agreements both parties see. Refused the second time, and
    refused while it is scheduled for a time still to come (cycles.rules.scheduled_ahead): held means it took
    place, and holding releases the observations kept for it and lets its review be signed, which is not undone.

    ``day`` and ``at`` say when an unscheduled conversation took place (the held step asks them; see
    ``took_place_at``): stored as its time in the same conditional update that marks it held, so the team grid
    never shows "Held" without a date. Given for a conversation that has a time (scheduled in another tab since
    the page asked), they are refused rather than overwrite it. Without them, an unscheduled conversation is held
    as it is (callers in code; the page always asks).
    """
    _may_act(actor, conversation)
    if (day is None) != (at is None):
        raise TypeError("conversation_hold takes both day and at, or neither")
    stored = Conversation(organization=conversation.organization, **_stored(conversation, "state", "scheduled_at"))
    if scheduled_ahead(stored):
        raise ValidationError(hold_refusal(stored))
    now = timezone.now()
    values = {"agreements": agreements.strip()}
    if day is not None:
        if stored.state not in CLOSABLE or stored.scheduled_at is not None:
            raise ValidationError(_("This conversation changed in the meantime; look again."))
        values["scheduled_at"] = took_place_at(conversation, day=day, at=at)
    # held_at is when it took place (its time, which has come), not when the button was pressed: the sheet's
    # "previous conversation" and "observations since" follow it, so a conversation entered afterwards falls in
    # its place in the person's history. Unscheduled and held from code: now.
    values["held_at"] = min(values.get("scheduled_at") or stored.scheduled_at or now, now)
    _move_state(conversation, ConversationState.HELD, **values)
    changes.changed(conversation=conversation)
    return conversation


@transaction.atomic
def conversation_restore(*, conversation: Conversation, actor: Employee | None = None) -> Conversation:
    """Undo a cancellation while the moment's window has not closed: the conversation is open again,
    scheduled when its date still lies ahead, else to be scheduled (without the date gone by). Its reminders are
    planned again (services.changed) and calendars show the event again (sequence up). Refused the second time:
    it is no longer cancelled.
    """
    _may_act(actor, conversation)
    stored = _stored(conversation, "state", "scheduled_at", "sequence")
    if stored["state"] not in RESTORABLE:
        raise ValidationError(_("This conversation is not cancelled; there is nothing to restore."))
    zone = conversation.organization.zone
    if restorable_until(conversation) < timezone.localdate(timezone=zone):
        raise ValidationError(
            _("The window of this moment closed on %(date)s; a cancelled conversation can no longer be restored.")
            % {"date": date_format(restorable_until(conversation), "DATE_FORMAT")}
        )
    ahead = stored["scheduled_at"] is not None and stored["scheduled_at"] > timezone.now()
    to = ConversationState.SCHEDULED if ahead else ConversationState.TO_SCHEDULE
    values = {"updated_at": timezone.now(), "sequence": stored["sequence"] + 1}
    if not ahead:
        values["scheduled_at"] = None  # a date gone by is no appointment: it is scheduled anew
    if not move_state(Conversation, conversation.pk, RESTORABLE, to, field="state", **values):
        raise ValidationError(_("This conversation changed in the meantime; look again."))
    audit.record_update(conversation, state=to, **values)
    conversation.refresh_from_db()
    changes.changed(conversation=conversation)
    return conversation


@transaction.atomic
def conversation_agreements_save(
    *, conversation: Conversation, agreements: str, actor: Employee | None = None
) -> Conversation:
    """Record or correct the agreements of a conversation in any state but cancelled
    (cycles.rules.WITH_AGREEMENTS). Harmless twice."""
    _may_act(actor, conversation)
    if _stored(conversation, "state")["state"] not in WITH_AGREEMENTS:
        raise ValidationError(_("This conversation was cancelled."))
    conversation.agreements = agreements.strip()
    conversation.updated_at = timezone.now()
    conversation.full_clean(exclude=["moment", "employee", "organization"])
    conversation.save(update_fields=["agreements", "updated_at"])
    return conversation
