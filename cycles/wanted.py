"""Whether a reminder is still wanted: the one definition the planner, the dispatcher and the mailer share.

A reminder is wanted while its recipient is active, its cycle is active, its
rule is switched on and, for a reminder about one conversation, while that
conversation is in a state its anchor speaks to (``WANTED_STATES``): open when
a window opens, not yet scheduled when it closes, scheduled for the
conversation itself. The overdue digest counts the open ones.

- The planner (cycles.planning) plans only wanted reminders and removes the
  planned ones that no longer are, whenever a change is planned.
- The dispatcher (cycles.dispatch) asks ``why_not_wanted`` at the last moment,
  since a conversation may be held or a person deactivated after the planning
  (or while the planning waits), and marks the reminder skipped with the reason.
- The mailer (cycles.mail) asks ``wants`` for a conversation's reminder and
  lists, in a digest, the conversations in the anchor's wanted states.
"""

from django.utils.translation import gettext_noop

from . import anchors
from .models import OPEN_STATES, ConversationState, CycleStatus, Reminder, ReminderAnchor

# The conversation states in which a reminder of each anchor still has something to say.
WANTED_STATES = {
    ReminderAnchor.WINDOW_OPENS: OPEN_STATES,
    ReminderAnchor.WINDOW_CLOSES: frozenset({ConversationState.TO_SCHEDULE}),
    ReminderAnchor.CONVERSATION: frozenset({ConversationState.SCHEDULED}),
    ReminderAnchor.OVERDUE_WEEKLY: OPEN_STATES,
}

# Why a due reminder was skipped, shown to HR; stored untranslated and translated when shown.
DEACTIVATED = gettext_noop("The person has been deactivated.")
CONVERSATION_CLOSED = gettext_noop("The conversation has been held or cancelled.")
ALREADY_SCHEDULED = gettext_noop("The conversation has been scheduled in the meantime.")
RULE_OFF = gettext_noop("The reminder rule has been switched off.")
CYCLE_INACTIVE = gettext_noop("The cycle is no longer active.")


def wants(anchor: str, state: str) -> bool:
    """Whether a reminder with this anchor still has something to say about a conversation in ``state``."""
    return state in WANTED_STATES[anchor]


def why_not_wanted(reminder: Reminder) -> str | None:
    """The reason ``reminder`` should no longer go out, or None when it should.

    Reads only what the dispatcher loaded with it (recipient and login, cycle, rule, conversation): no query,
    but for an anchor a higher app registered (cycles.anchors), whose ``why_not`` reads that app's row.
    """
    if not reminder.recipient.is_active or not reminder.recipient.user.is_active:
        return DEACTIVATED
    if reminder.cycle.status != CycleStatus.ACTIVE:
        return CYCLE_INACTIVE
    if not reminder.rule.enabled:
        return RULE_OFF
    hooks = anchors.hooks_for(reminder.rule.anchor)
    if hooks is not None and hooks.why_not is not None:
        return hooks.why_not(reminder)  # a higher app's row (cycles.anchors): one query, for one reminder
    conversation = reminder.conversation
    if conversation is not None and not wants(reminder.rule.anchor, conversation.state):
        # Still open but not in the anchor's states: only "the window closes" after it was scheduled (a scheduled
        # conversation never goes back to "to be scheduled").
        return CONVERSATION_CLOSED if conversation.state not in OPEN_STATES else ALREADY_SCHEDULED
    return None
