"""HR reminding managers of overdue conversations, from the overdue list: one conversation, or all of a list.

A reminder is a ``Nudge`` row (the record: whom, by whom, on which day), and
its email goes out through the reminder machinery, not beside it: the cycle's
one OVERDUE_NUDGE rule (made on first use, ``nudge_rule``; HR's reminder page
does not list it) plans a ``Reminder`` per click and manager from the nudges
(cycles.nudge_mail), which the dispatcher sends at most once, with retries, in
the manager's language, and which HR's reminder log shows. The plan request is
recorded in the same transaction, before the nudges, so the planner never takes
them for "already past".

Refused, with a translated message and nothing saved (``refusal``, which the
list also asks to decide whether a row offers the button): a cycle that is not
active, a conversation that is no longer overdue, a person who has been
deactivated, a person without a manager or whose manager has been deactivated
(the message says whom to contact instead), and a second reminder about the
same conversation on the same local day (the database's unique key decides
between two clicks at once).
"""

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from organizations import audit
from organizations.models import Employee

from ..models import (
    OPEN_STATES,
    Conversation,
    Cycle,
    CycleStatus,
    Moment,
    Nudge,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
)
from ..selectors_overdue import remindable, today_for
from . import changes

NUDGE_ANCHORS = (ReminderAnchor.OVERDUE_NUDGE,)
AUDIT_REMIND_ALL = "overdue_remind_all"  # the reason of the cycle's entry for a "remind all" (cycles.nudge_mail)


def new_batch() -> str:
    return secrets.token_hex(8)


def cycle_refusal(cycle: Cycle) -> str | None:
    if cycle.status != CycleStatus.ACTIVE:
        return _("Reminders go out only while the cycle is active.")
    return None


def refusal(conversation: Conversation, *, today: datetime.date, reminded_today: Nudge | None = None) -> str | None:
    """Why HR may not remind the manager of ``conversation`` now, or None. Reads only what is loaded: the
    conversation's state, its moment's closing date, the person and their manager (names and active)."""
    person = conversation.employee
    manager = person.manager
    names = {"name": person.full_name}
    if conversation.state not in OPEN_STATES or conversation.moment.closes_on >= today:
        return (
            _(
                "The conversation with %(name)s is no longer overdue: it has been held or cancelled, or its window is "
                "open."
            )
            % names
        )
    if not person.is_active:
        return _("%(name)s has been deactivated, so nobody is reminded of this conversation.") % names
    if manager is None:
        return (
            _(
                "%(name)s has no manager, so there is nobody to remind. Contact %(name)s yourself, or give them a "
                "manager."
            )
            % names
        )
    if not manager.is_active:
        return _(
            "%(manager)s, the manager of %(name)s, has been deactivated. Contact %(name)s yourself, or give them a "
            "new manager."
        ) % {**names, "manager": manager.full_name}
    if reminded_today is not None:
        return already_reminded(manager, reminded_today)
    return None


def nobody_left() -> str:
    return _(
        "Nobody is left to remind: every overdue conversation here was already reminded today, has no active manager, "
        "or belongs to someone who has been deactivated."
    )


def already_reminded(manager: Employee, nudge: Nudge) -> str:
    sender = nudge.sent_by.full_name if nudge.sent_by_id else _("someone who has left")
    return _("%(manager)s was already reminded of this conversation today, by %(sender)s.") % {
        "manager": manager.full_name,
        "sender": sender,
    }


def nudge_rule(*, cycle: Cycle) -> ReminderRule:
    """The cycle's rule for HR's reminders from the overdue list, made on first use. Harmless twice: the database
    keeps one per cycle (reminder_rule_one_nudge_rule_per_cycle), and of two made at once the second is read."""
    anchor = ReminderAnchor.OVERDUE_NUDGE
    rule = ReminderRule.objects.filter(cycle=cycle, anchor=anchor).first()
    if rule is not None:
        return rule
    try:
        with transaction.atomic():
            return ReminderRule.objects.create(
                organization_id=cycle.organization_id,
                cycle=cycle,
                anchor=anchor,
                offset_days=0,  # sent when HR asks; offset and time do not apply
                time_of_day=datetime.time(9, 0),
                audience=ReminderAudience.MANAGER,
            )
    except IntegrityError:
        return ReminderRule.objects.get(cycle=cycle, anchor=anchor)


@transaction.atomic
def overdue_remind(*, conversation: Conversation, actor: Employee) -> Nudge:
    """Remind the manager of one overdue conversation, now: a Nudge and, through the planner, its Reminder.

    Refuses (ValidationError, nothing saved) as ``refusal`` says, on the rows as they are in the database, with
    the conversation locked, so two clicks at once remind once. Not harmless twice on purpose: the second
    click on the same day is refused.
    """
    row = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("moment__cycle__organization", "employee__manager")
        .get(organization_id=conversation.organization_id, pk=conversation.pk)
    )
    cycle = row.moment.cycle
    reason = cycle_refusal(cycle)
    if reason:
        raise ValidationError(reason)
    today = today_for(cycle.organization)
    reminded = Nudge.objects.filter(conversation=row, on=today).select_related("sent_by").first()
    reason = refusal(row, today=today, reminded_today=reminded)
    if reason:
        raise ValidationError(reason)
    nudge_rule(cycle=cycle)
    changes.changed(cycle=cycle, anchors=NUDGE_ANCHORS)  # before the nudge, so the planner finds it due, not past
    nudge = Nudge(
        organization_id=row.organization_id,
        cycle=cycle,
        conversation=row,
        manager=row.employee.manager,
        sent_by=actor,
        on=today,
        batch=new_batch(),
    )
    try:
        with transaction.atomic():
            nudge.save()  # the audit trail's entry (registered in nudge_mail.register)
    except IntegrityError:  # another click of the same day got there first
        raise ValidationError(
            _("%(manager)s was already reminded of this conversation today.") % {"manager": nudge.manager.full_name}
        ) from None
    return nudge


@dataclass(frozen=True)
class RemindedAll:
    conversations: int
    managers: int


@transaction.atomic
def overdue_remind_all(*, cycle: Cycle, actor: Employee, moment: Moment | None = None) -> RemindedAll:
    """Remind every manager of the cycle's (or one moment's) overdue conversations: one email per manager.

    Leaves out what ``refusal`` refuses (no manager, deactivated, reminded today); refuses when that leaves
    nobody. One entry in the audit trail, on the cycle, with the count. Twice on one day: the second finds
    nobody left and is refused, saving nothing.
    """
    reason = cycle_refusal(cycle)
    if reason:
        raise ValidationError(reason)
    today = today_for(cycle.organization)
    rows = list(remindable(cycle=cycle, today=today, moment=moment).values_list("pk", "employee__manager_id"))
    if not rows:
        raise ValidationError(nobody_left())
    nudge_rule(cycle=cycle)
    changes.changed(cycle=cycle, anchors=NUDGE_ANCHORS)
    batch = new_batch()
    Nudge.objects.bulk_create(
        [
            Nudge(
                organization_id=cycle.organization_id,
                cycle=cycle,
                conversation_id=pk,
                manager_id=manager_id,
                sent_by=actor,
                on=today,
                batch=batch,
            )
            for pk, manager_id in rows
        ],
        batch_size=1000,
        ignore_conflicts=True,  # a single reminder clicked meanwhile stands; this one leaves that conversation out
    )
    done = RemindedAll(
        **Nudge.objects.filter(organization_id=cycle.organization_id, batch=batch).aggregate(
            conversations=Count("pk"), managers=Count("manager_id", distinct=True)
        )
    )
    audit.record_update(cycle, via=AUDIT_REMIND_ALL, count=done.conversations)
    return done
