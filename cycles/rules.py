"""Who may do what with cycles, moments, reminder rules and conversations, and in which state: the one place views,
services and templates ask.

Two rules guard whole pages through the door, ``org_view(RULE)``: managing
cycles (HR) and the team grid (managers and HR); the menu (home.context_processors)
asks the same two. The others are about one object and combine a role with the
state of the cycle, reminder or conversation in hand. Views ask with ``can(employee,
RULE, obj)``; templates with ``{% load rules %}{% test_rule "<name>" request.employee
obj as may_... %}``, so a button shows exactly when its POST would be accepted.

A view answers 403 (404 for a conversation the person may not see) on the role
part; the state part is the service's to refuse, on the row as it is in the
database, with a message: the services read the same state sets below, as
conditional updates (``UPDATE … WHERE state IN …``) where two people may act at
once, and test the whole rule when they are told who acts. So a crafted POST meets
the rule that hides the button. Predicates take the acting Employee and the object,
like those of organizations.permissions; the tenancy door has already proved that
both belong to the same organisation. ``rules`` autodiscovers this module at start-up.
"""

import rules
from django.utils import timezone

from core.rules import field_in
from organizations.permissions import is_hr_admin, is_manager

from .models import OPEN_STATES, ConversationState, CycleStatus, ReminderStatus

# --- The states a step may start from. The services read these same sets. -------------------------------------

# A conversation: scheduled (again), held or cancelled while it is open; its agreements recorded unless cancelled.
SCHEDULABLE = OPEN_STATES
CLOSABLE = OPEN_STATES  # held or cancelled: either closes it
WITH_AGREEMENTS = frozenset({*OPEN_STATES, ConversationState.HELD})
# A cancelled conversation may be restored (while its moment's window has not closed): the one undo that is cheap.
RESTORABLE = frozenset({ConversationState.CANCELLED})
# A cycle: being prepared, its calendar is edited freely; once active it is fixed (windows move, newcomers join).
PREPARED = frozenset({CycleStatus.DRAFT})
RUNNING = frozenset({CycleStatus.ACTIVE})
NOT_CLOSED = frozenset({CycleStatus.DRAFT, CycleStatus.ACTIVE})  # its reminder rules may still change
# A reminder HR may send again.
RESENDABLE = frozenset({ReminderStatus.FAILED, ReminderStatus.MISSED})


is_schedulable = field_in("state", SCHEDULABLE, "is_schedulable")
is_closable = field_in("state", CLOSABLE, "is_closable")
is_restorable = field_in("state", RESTORABLE, "is_restorable")
takes_agreements = field_in("state", WITH_AGREEMENTS, "takes_agreements")
is_prepared = field_in("status", PREPARED, "is_prepared")
is_running = field_in("status", RUNNING, "is_running")
is_not_closed = field_in("status", NOT_CLOSED, "is_not_closed")
is_resendable = field_in("status", RESENDABLE, "is_resendable")


@rules.predicate
def is_the_person(employee, conversation):
    """The conversation is this person's own."""
    return employee is not None and conversation is not None and conversation.employee_id == employee.pk


@rules.predicate
def manages_the_person(employee, conversation):
    """The person whose conversation it is reports to ``employee`` (the selector loads the conversation's employee)."""
    return employee is not None and conversation is not None and conversation.employee.manager_id == employee.pk


def scheduled_ahead(conversation) -> bool:
    """Scheduled for a time still to come: it cannot have taken place, so it is not marked held yet."""
    return (
        conversation.state == ConversationState.SCHEDULED
        and conversation.scheduled_at is not None
        and conversation.scheduled_at > timezone.now()
    )


def unscheduled(conversation) -> bool:
    """Open without a time: never scheduled (or restored after its date went by). Marked held, it is asked when it
    took place, and that time is stored as its own."""
    return conversation.state in OPEN_STATES and conversation.scheduled_at is None


def cycle_ahead(conversation) -> bool:
    """Unscheduled, and its cycle has not started: the time it is asked for when held lies from the cycle's start
    to now, so none has come yet."""
    return unscheduled(conversation) and conversation.moment.cycle.starts_on > timezone.localdate()


def too_early(conversation) -> bool:
    """It cannot have taken place yet: scheduled for a time still to come, or unscheduled before its cycle starts."""
    return scheduled_ahead(conversation) or cycle_ahead(conversation)


def window_not_closed(moment) -> bool:
    """The moment's window closes today or later (in the organisation's time zone, which the door has set)."""
    return moment.closes_on >= timezone.localdate()


@rules.predicate
def may_have_taken_place(employee, conversation):
    """The conversation is not scheduled for a time still in the future, nor unscheduled before its cycle starts."""
    return conversation is not None and not too_early(conversation)


@rules.predicate
def in_open_window(employee, conversation):
    """The conversation's moment still has an open window (it closes today or later)."""
    return conversation is not None and window_not_closed(conversation.moment)


# --- Rule names ------------------------------------------------------------------------------------------------

# Pages (org_view) and the menu.
MANAGE_CYCLES = "cycles.manage_cycles"
VIEW_TEAM_CONVERSATIONS = "cycles.view_team_conversations"
# About a cycle.
EDIT_CYCLE = "cycles.edit_cycle"
ACTIVATE_CYCLE = "cycles.activate_cycle"
ADD_NEWCOMERS = "cycles.add_newcomers"
CHANGE_MOMENTS = "cycles.change_moments"
MOVE_WINDOWS = "cycles.move_windows"
CHANGE_REMINDER_RULES = "cycles.change_reminder_rules"
# About a reminder.
RESEND_REMINDER = "cycles.resend_reminder"
# About a conversation.
SEE_CONVERSATION = "cycles.see_conversation"
ACT_ON_CONVERSATION = "cycles.act_on_conversation"
SCHEDULE_CONVERSATION = "cycles.schedule_conversation"
CANCEL_CONVERSATION = "cycles.cancel_conversation"
MARK_HELD = "cycles.mark_held"
RESTORE_CONVERSATION = "cycles.restore_conversation"
RECORD_AGREEMENTS = "cycles.record_agreements"
READ_EMPLOYEE_PREPARATION = "cycles.read_employee_preparation"
READ_MANAGER_PREPARATION = "cycles.read_manager_preparation"


# HR runs the calendar: cycles, moments, activation, progress and the reminder rules and log.
rules.add_rule(MANAGE_CYCLES, is_hr_admin)
# "My team's conversations": a manager's reports; HR may look (and sees whoever reports to them).
rules.add_rule(VIEW_TEAM_CONVERSATIONS, is_manager | is_hr_admin)

# Being prepared, a cycle's dates, teams and moments change freely and it may be activated; once active its
# calendar is fixed: only a window moves (with a reason) and newcomers are added. Closed, nothing changes.
rules.add_rule(EDIT_CYCLE, is_hr_admin & is_prepared)
rules.add_rule(ACTIVATE_CYCLE, is_hr_admin & is_prepared)
rules.add_rule(ADD_NEWCOMERS, is_hr_admin & is_running)
rules.add_rule(CHANGE_MOMENTS, is_hr_admin & is_prepared)
rules.add_rule(MOVE_WINDOWS, is_hr_admin & is_running)
rules.add_rule(CHANGE_REMINDER_RULES, is_hr_admin & is_not_closed)
rules.add_rule(RESEND_REMINDER, is_hr_admin & is_resendable)

# Seeing a conversation: HR, the person and their manager; anyone else gets 404, so it does not leak.
rules.add_rule(SEE_CONVERSATION, is_hr_admin | is_the_person | manages_the_person)
# Acting on it is the manager's alone (403 for the others who may see it); what they may do depends on its state.
rules.add_rule(ACT_ON_CONVERSATION, manages_the_person)
rules.add_rule(SCHEDULE_CONVERSATION, manages_the_person & is_schedulable)
rules.add_rule(CANCEL_CONVERSATION, manages_the_person & is_closable)
# Held means it took place: not while it is scheduled for a time still to come (nor, unscheduled, before its cycle
# starts: the held step asks when it took place, from the cycle's start until now).
rules.add_rule(MARK_HELD, manages_the_person & is_closable & may_have_taken_place)
# Undoing a cancellation: back to open while the window has not closed (later it would be overdue at once).
rules.add_rule(RESTORE_CONVERSATION, manages_the_person & is_restorable & in_open_window)
rules.add_rule(RECORD_AGREEMENTS, manages_the_person & takes_agreements)
# Each side's preparation notes: HR reads both, the person their own, the manager theirs.
rules.add_rule(READ_EMPLOYEE_PREPARATION, is_hr_admin | is_the_person)
rules.add_rule(READ_MANAGER_PREPARATION, is_hr_admin | manages_the_person)
