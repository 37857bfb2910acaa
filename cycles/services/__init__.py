"""Every write of the cycle calendar, one service per change, each in its own transaction.

Where they live:

- ``cycles``: a cycle created, changed while being prepared, activated, newcomers added;
- ``moments``: a cycle's moments added, changed and removed while it is prepared, a window moved once it runs;
- ``conversations``: one conversation scheduled, cancelled (and restored), held, its agreements kept;
- ``feeds``: a person's calendar feed address;
- ``changes``: the hook each calendar change calls inside its transaction, so its reminders follow
  (a plan request, cycles.plan_requests);
- the reminders' own services keep their modules, each with the guarantee it gives in its docstring:
  cycles.planning (reminder rules, and ``reminders_plan``, the reconciliation that plans them),
  cycles.plan_requests (the outbox between a change and the planner) and cycles.dispatch (sending,
  at most once, and a resend).

Who may do what, in which state, is cycles.rules's; the services read its state sets. The views call every
service through this package (``from cycles import services``), whichever module it lives in.
"""

from ..dispatch import reminder_resend, reminders_dispatch
from ..plan_requests import plan_request_record, plan_requests_process
from ..planning import reminders_plan
from ..reminder_rules import reminder_rule_delete, reminder_rule_save, reminder_rules_default
from .changes import changed
from .conversations import (
    NonexistentTime,
    conversation_agreements_save,
    conversation_cancel,
    conversation_hold,
    conversation_restore,
    conversation_schedule,
    hold_refusal,
    local_datetime,
    local_moment,
    restorable_until,
)
from .cycles import (
    cycle_activate,
    cycle_create,
    cycle_update,
    overlap_refusal,
    overlapping_cycle,
    people_in_scope,
)
from .feeds import feed_for, feed_regenerate
from .moments import MOMENT_FIELDS, moment_delete, moment_move, moment_save, validate_moment

__all__ = [
    "MOMENT_FIELDS",
    "NonexistentTime",
    "changed",
    "conversation_agreements_save",
    "conversation_cancel",
    "conversation_hold",
    "conversation_restore",
    "conversation_schedule",
    "cycle_activate",
    "cycle_create",
    "cycle_update",
    "feed_for",
    "feed_regenerate",
    "hold_refusal",
    "local_datetime",
    "local_moment",
    "moment_delete",
    "moment_move",
    "moment_save",
    "overlap_refusal",
    "overlapping_cycle",
    "people_in_scope",
    "plan_request_record",
    "plan_requests_process",
    "reminder_resend",
    "reminder_rule_delete",
    "reminder_rule_save",
    "reminder_rules_default",
    "reminders_dispatch",
    "reminders_plan",
    "restorable_until",
    "validate_moment",
]
