"""A cycle's reminder rules: the defaults a new cycle starts with, and HR's changes to them.

A rule names an anchor (a window opening or closing, a scheduled conversation, the weekly overdue digest, an
observation request), an offset in days, a local time and who receives it; cycles.planning turns the rules into
reminders. Saving or removing a rule re-plans only that rule's unsent reminders.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Cycle, CycleStatus, Reminder, ReminderAnchor, ReminderAudience, ReminderRule, ReminderStatus
from .planning import reminders_plan
from .rules import NOT_CLOSED

NINE = datetime.time(9, 0)
MAX_OFFSET = 90

# (anchor, offset in days, local time, audience): the rules a new cycle starts with.
DEFAULT_RULES = (
    (ReminderAnchor.WINDOW_OPENS, 0, NINE, ReminderAudience.BOTH),
    (ReminderAnchor.CONVERSATION, -14, NINE, ReminderAudience.BOTH),
    (ReminderAnchor.CONVERSATION, -2, NINE, ReminderAudience.BOTH),
    (ReminderAnchor.WINDOW_CLOSES, -7, NINE, ReminderAudience.MANAGER),
    (ReminderAnchor.OVERDUE_WEEKLY, 0, NINE, ReminderAudience.HR),
    # Observation requests (planned by reviews through cycles.anchors): the request itself, sent when it is made
    # (offset and time do not apply), and one reminder two days before it is due while it is unanswered.
    (ReminderAnchor.REQUEST_MADE, 0, NINE, ReminderAudience.COLLEAGUE),
    (ReminderAnchor.REQUEST_DUE, -2, NINE, ReminderAudience.COLLEAGUE),
)

REQUEST_ANCHORS = frozenset({ReminderAnchor.REQUEST_MADE, ReminderAnchor.REQUEST_DUE})


def reminder_rules_default(*, cycle: Cycle) -> list[ReminderRule]:
    """Give a cycle the default reminder rules if it has none yet. Harmless to run twice."""
    if ReminderRule.objects.filter(cycle=cycle).exists():
        return []
    rules = [
        ReminderRule(
            organization_id=cycle.organization_id,
            cycle=cycle,
            anchor=anchor,
            offset_days=offset,
            time_of_day=at,
            audience=audience,
        )
        for anchor, offset, at, audience in DEFAULT_RULES
    ]
    return ReminderRule.objects.bulk_create(rules)


def _validate_rule(rule: ReminderRule) -> None:
    errors = {}
    weekly = rule.anchor == ReminderAnchor.OVERDUE_WEEKLY
    if rule.offset_days is None:
        errors["offset_days"] = _("Choose an offset between −90 and 90 days.")
    elif weekly and not 0 <= rule.offset_days <= 6:
        errors["offset_days"] = _("For the weekly digest, choose the weekday: 0 is Monday, 6 is Sunday.")
    elif not -MAX_OFFSET <= rule.offset_days <= MAX_OFFSET:
        errors["offset_days"] = _("Choose an offset between −90 and 90 days.")
    elif rule.anchor == ReminderAnchor.REQUEST_MADE and rule.offset_days != 0:
        errors["offset_days"] = _("The request goes out when it is made: choose 0 days.")
    requests = rule.anchor in REQUEST_ANCHORS
    if weekly != (rule.audience == ReminderAudience.HR):
        errors["audience"] = _("The weekly overdue digest goes to HR admins, and only the digest does.")
    elif requests != (rule.audience == ReminderAudience.COLLEAGUE):
        errors["audience"] = _("Reminders about an observation request go to the colleague asked, and only those do.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def reminder_rule_save(*, cycle: Cycle, rule: ReminderRule | None = None, **fields) -> ReminderRule:
    """Create or change one of a cycle's reminder rules, then re-plan that rule's unsent reminders.

    Validation first (offset within −90…90 days, or a weekday for the weekly digest;
    the digest and only the digest goes to HR), so a bad rule saves nothing.

    Saving the same rule twice changes nothing the second time (planning is a reconciliation).
    """
    if cycle.status not in NOT_CLOSED:  # the rule of the page's buttons (cycles.rules.CHANGE_REMINDER_RULES)
        raise ValidationError(_("This cycle is closed."))
    rule = rule or ReminderRule(organization_id=cycle.organization_id, cycle=cycle)
    for name, value in fields.items():
        setattr(rule, name, value)
    _validate_rule(rule)
    rule.full_clean(exclude=["organization", "cycle"])
    rule.save()
    if cycle.status == CycleStatus.ACTIVE:
        reminders_plan(cycle=cycle, rules=[rule])
    return rule


@transaction.atomic
def reminder_rule_delete(*, rule: ReminderRule) -> None:
    """Remove a rule with its unsent reminders; what was sent stays in the log (the rule is kept, switched off).

    Harmless twice.
    """
    if rule.cycle.status not in NOT_CLOSED:
        raise ValidationError(_("This cycle is closed."))
    Reminder.objects.filter(rule=rule, status=ReminderStatus.PLANNED).delete()
    if Reminder.objects.filter(rule=rule).exists():
        ReminderRule.objects.filter(pk=rule.pk).update(enabled=False)
    else:
        rule.delete()
