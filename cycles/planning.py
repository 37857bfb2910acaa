"""The materialised reminders that a cycle's reminder rules produce (the rules themselves: cycles.reminder_rules).

``reminders_plan`` turns rules into ``Reminder`` rows, one per (rule,
recipient, target) under a unique ``key``, due at the rule's local time of day
in the organisation's zone and stored in UTC. It is a reconciliation, so
running it again is harmless: it creates what is missing, moves the due time
of PLANNED rows whose anchor moved, deletes PLANNED rows that are no longer
wanted (a cancelled or held conversation, a disabled rule, a person who left)
and never touches a row that was sent, failed, missed or skipped.

A reminder whose due time had already passed when the change that plans it
was saved is not created (a 14-days-before reminder for a conversation
scheduled next week would only confuse); one that fell due while the planning
waited (a worker down, the broker away: see cycles.plan_requests) is created
and goes out at once, or is marked missed by the dispatcher when it is more
than two days late. A PLANNED row whose due time did not change is kept even
when it is overdue, so a slow dispatcher loses nothing.

The planner never fails on stored data, whatever the forms let through in
the past: a date that would leave the range a datetime can hold (a window in
9999, a conversation late on 9999-12-31 in a zone east of UTC) gives no
reminder and a logged warning instead of an error, and the weekly digest
stops after ``MAX_DIGEST_WEEKS`` (two years of weeks, the longest cycle
cycles.bounds lets anyone enter), so a cycle that ends in 9027 or 9999 plans
its reminders in the usual time instead of hundreds of thousands of rows.

Who receives what:

- window opens / closes: the employee gets one per conversation; the manager
  gets one per moment covering all their reports. "Closes" is only for
  conversations not yet scheduled.
- the scheduled conversation: the employee and/or the manager, one each.
- the weekly overdue digest: HR admins, every week on the rule's weekday from
  the day after the first window closes until the cycle ends, for at most
  ``MAX_DIGEST_WEEKS`` weeks.
- the anchors a higher app registers (cycles.anchors; reviews: an observation
  request, made and nearly due): whoever that app's ``plan`` names, here the
  colleague asked. Those are planned when the whole cycle is or when their rules
  are, never with one conversation's or one moment's reminders.

Which conversation states each anchor speaks to, and so which reminders are
still wanted, is cycles.wanted's to say; the dispatcher asks it again just
before it sends.
"""

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organizations.models import Employee, Role

from . import anchors
from .anchors import Wanted, rule_key
from .bulk import rows_insert
from .models import (
    OPEN_STATES,
    Conversation,
    Cycle,
    CycleStatus,
    Moment,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
    ReminderStatus,
)
from .plan_dates import due_utc, local_day, shift_days
from .wanted import wants

logger = logging.getLogger(__name__)

BULK_BATCH = 2000
MAX_DIGEST_WEEKS = 105  # two years of weekly digests per HR admin and rule, however long the stored cycle

# The columns of a new reminder that differ from row to row; organisation, cycle and creation time are the same for
# all, the others take their defaults (planned, no attempts, no error, no claim): see cycles.bulk.
NEW_COLUMNS = (
    "rule",
    "recipient",
    "moment",
    "conversation",
    "occasion",
    "subject_id",
    "key",
    "due_at",
    "next_try_at",
)

# The anchors of cycles' own calendar; the others (REQUEST_*) are planned by the app that registers them.
CALENDAR_ANCHORS = frozenset({ReminderAnchor.WINDOW_OPENS, ReminderAnchor.WINDOW_CLOSES, ReminderAnchor.CONVERSATION})


def _weekly(cycle: Cycle, rule: ReminderRule, moments, hr_ids, zone, unplannable: list) -> Iterable[Wanted]:
    """The weekly overdue digests: from the day after the first window closes, for at most MAX_DIGEST_WEEKS."""
    prefix = rule_key(rule)
    day = shift_days(min(moment.closes_on for moment in moments), 1)
    day = shift_days(day, (rule.offset_days - day.weekday()) % 7) if day is not None else None
    for _week in range(MAX_DIGEST_WEEKS):
        if day is None or day > cycle.ends_on:
            return
        due = due_utc(day, rule.time_of_day, zone)
        if due is None:
            unplannable.append(f"{prefix}:w{day:%Y%m%d}")
            return
        for hr in hr_ids:
            yield Wanted(f"{prefix}:e{hr}:w{day:%Y%m%d}", rule.pk, hr, due, occasion=day)
        day = shift_days(day, 7)


def _wanted(cycle: Cycle, rules, moments, conversations, hr_ids, unplannable: list) -> Iterable[Wanted]:
    """Every reminder the rules ask for; what no datetime can hold goes to ``unplannable`` (their keys) instead."""
    zone = cycle.organization.zone
    by_moment: dict[int, list] = {}
    for row in conversations:
        by_moment.setdefault(row[1], []).append(row)
    for rule in rules:
        prefix = rule_key(rule)
        employee_side = rule.audience in (ReminderAudience.EMPLOYEE, ReminderAudience.BOTH)
        manager_side = rule.audience in (ReminderAudience.MANAGER, ReminderAudience.BOTH)
        if rule.anchor == ReminderAnchor.OVERDUE_WEEKLY:
            if moments and hr_ids:
                yield from _weekly(cycle, rule, moments, hr_ids, zone, unplannable)
            continue
        for moment in moments:
            rows = by_moment.get(moment.pk, [])
            if rule.anchor == ReminderAnchor.CONVERSATION:
                for pk, _moment, employee_id, manager_id, state, scheduled_at in rows:
                    if not wants(rule.anchor, state) or scheduled_at is None:
                        continue
                    day = shift_days(local_day(scheduled_at, zone), rule.offset_days)
                    due = due_utc(day, rule.time_of_day, zone)
                    if due is None:
                        unplannable.append(f"{prefix}:c{pk}")
                        continue
                    recipients = ([employee_id] if employee_side else []) + (
                        [manager_id] if manager_side and manager_id else []
                    )
                    for recipient in recipients:
                        yield Wanted(f"{prefix}:e{recipient}:c{pk}", rule.pk, recipient, due, conversation_id=pk)
                continue
            opens = rule.anchor == ReminderAnchor.WINDOW_OPENS
            anchor_day = moment.opens_on if opens else moment.closes_on
            due = due_utc(shift_days(anchor_day, rule.offset_days), rule.time_of_day, zone)
            if due is None:
                unplannable.append(f"{prefix}:m{moment.pk}")
                continue
            rows = [row for row in rows if wants(rule.anchor, row[4])]
            if employee_side:
                for pk, _moment, employee_id, *_rest in rows:
                    yield Wanted(f"{prefix}:e{employee_id}:c{pk}", rule.pk, employee_id, due, conversation_id=pk)
            recipients = {row[3] for row in rows if row[3]} if manager_side else set()
            for recipient in sorted(recipients):
                yield Wanted(f"{prefix}:e{recipient}:m{moment.pk}", rule.pk, recipient, due, moment_id=moment.pk)


@transaction.atomic
def reminders_plan(
    *,
    cycle: Cycle,
    rules: Iterable[ReminderRule] | None = None,
    conversation_ids: Iterable[int] | None = None,
    moment_ids: Iterable[int] | None = None,
    since: datetime.datetime | None = None,
) -> dict[str, int]:
    """Bring the cycle's unsent reminders in line with its rules, calendar and conversations.

    Without arguments the whole cycle is planned (activation, newcomers). With
    ``conversation_ids`` only the reminders of those conversations; with
    ``moment_ids`` everything about those moments and the weekly digests; with
    ``rules`` only those rules' reminders. ``since`` is when the change being
    planned was saved (now, when it is not given): what was due before then is
    not planned, what fell due after it is. Returns counts of created, moved and
    removed rows. Idempotent; sent and failed rows are history and stay. Never
    fails on stored dates: see the module docstring.
    """
    cycle = Cycle.objects.select_related("organization").get(pk=cycle.pk)
    if cycle.status != CycleStatus.ACTIVE:
        return {"created": 0, "moved": 0, "removed": 0}
    now = timezone.now()
    # Before `cutoff` a reminder counts as "already past when the change was made": a planning that waited for
    # a worker still plans what fell due in the meantime.
    cutoff = now if since is None else min(since, now)
    chosen = list(ReminderRule.objects.filter(cycle=cycle, enabled=True))
    scope = Reminder.objects.filter(cycle=cycle)
    conversations = Conversation.objects.filter(
        organization_id=cycle.organization_id, moment__cycle=cycle, state__in=OPEN_STATES, employee__is_active=True
    )
    moments = all_moments = list(Moment.objects.filter(cycle=cycle))
    keep = None  # which wanted items the scope covers
    hooked_too = True  # the registered anchors' reminders: with the whole cycle or their rules, not per target
    if rules is not None:
        rule_ids = {rule.pk for rule in rules}
        chosen = [rule for rule in chosen if rule.pk in rule_ids]
        scope = scope.filter(rule_id__in=rule_ids)
    elif conversation_ids is not None:
        # A conversation's own reminders; the per-moment ones read the states when they are sent.
        conversation_ids = list(conversation_ids)
        scope = scope.filter(conversation_id__in=conversation_ids)
        conversations = conversations.filter(pk__in=conversation_ids)
        keep = lambda item: item.conversation_id is not None  # noqa: E731
        hooked_too = False
    elif moment_ids is not None:
        # Everything about these moments, and the weekly digests, which start after the first window closes.
        moment_ids = set(moment_ids)
        scope = scope.filter(
            Q(moment_id__in=moment_ids)
            | Q(conversation__moment_id__in=moment_ids)
            | Q(rule__anchor=ReminderAnchor.OVERDUE_WEEKLY)
        )
        conversations = conversations.filter(moment_id__in=moment_ids)
        moments = [moment for moment in moments if moment.pk in moment_ids]
        hooked_too = False
    hr_ids = list(
        Employee.objects.filter(organization_id=cycle.organization_id, role=Role.HR_ADMIN, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    weekly = [rule for rule in chosen if rule.anchor == ReminderAnchor.OVERDUE_WEEKLY]
    others = [rule for rule in chosen if rule.anchor in CALENDAR_ANCHORS]
    hooked = [rule for rule in chosen if anchors.hooks_for(rule.anchor)] if hooked_too else []
    if not others:
        conversations = conversations.none()  # only the digests or the hooked anchors: no conversation rows to read
    rows = [
        # A deactivated manager is not reminded; their reports still are.
        (pk, moment_id, employee_id, manager_id if manager_active else None, state, scheduled_at)
        for pk, moment_id, employee_id, manager_id, manager_active, state, scheduled_at in conversations.values_list(
            "pk",
            "moment_id",
            "employee_id",
            "employee__manager_id",
            "employee__manager__is_active",
            "state",
            "scheduled_at",
        )
    ]
    unplannable: list[str] = []
    wanted = {
        item.key: item
        for item in [
            *_wanted(cycle, others, moments, rows, hr_ids, unplannable),
            *_wanted(cycle, weekly, all_moments, [], hr_ids, unplannable),
            *anchors.planned(cycle, hooked, unplannable),
        ]
        if keep is None or keep(item)
    }
    if unplannable:
        logger.warning(
            "Cycle %s: %d reminder(s) not planned, their dates lie beyond what a datetime can hold: %s",
            cycle.pk,
            len(unplannable),
            ", ".join(unplannable[:10]),
        )

    have = {}
    history = set()
    for pk, key, status, due_at in scope.values_list("pk", "key", "status", "due_at"):
        if status == ReminderStatus.PLANNED:
            have[key] = (pk, due_at)
        else:
            history.add(key)
    stale = [pk for key, (pk, _due_at) in have.items() if key not in wanted]
    moves: dict[datetime.datetime, list[int]] = {}  # new due time -> rows; a moved window moves many at once
    for key, item in wanted.items():
        if key not in have or have[key][1] == item.due_at:
            continue
        if item.due_at < cutoff:
            if have[key][1] > cutoff:
                stale.append(have[key][0])  # moved into the past: it would arrive after the fact
            # else it is already due (waiting for the dispatcher, a retry or a resend): leave it be
        else:
            moves.setdefault(item.due_at, []).append(have[key][0])
    moved = 0
    for due_at, pks in moves.items():
        for start in range(0, len(pks), BULK_BATCH):
            batch = Reminder.objects.filter(pk__in=pks[start : start + BULK_BATCH], status=ReminderStatus.PLANNED)
            moved += batch.update(due_at=due_at, next_try_at=due_at)
    removed = 0
    for start in range(0, len(stale), BULK_BATCH):
        batch = stale[start : start + BULK_BATCH]
        removed += Reminder.objects.filter(pk__in=batch, status=ReminderStatus.PLANNED).delete()[0]
    new = [
        (
            item.rule_id,
            item.recipient_id,
            item.moment_id,
            item.conversation_id,
            item.occasion,
            item.subject_id,
            key,
            item.due_at,
            item.due_at,
        )
        for key, item in wanted.items()
        if key not in have and key not in history and item.due_at >= cutoff
    ]
    # Plain tuples, not model instances: at 10,000 people that is 32,000 rows, and bulk_create spent three
    # quarters of the planning preparing instances (cycles.bulk). Conflicts are skipped: a planner running at the
    # same moment may have inserted the same key.
    rows_insert(
        Reminder, NEW_COLUMNS, new, same={"organization": cycle.organization_id, "cycle": cycle.pk, "created_at": now}
    )
    return {"created": len(new), "moved": moved, "removed": removed}
