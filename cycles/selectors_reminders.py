"""Read queries of HR's reminder page per cycle: the rules, the counts per status with what each rule sends next,
and the log. Each is limited to one cycle of one organisation, with what the page shows fetched.

The page must stay fast for an organisation of 10,000 people (tens of thousands of reminders per cycle), so
every query here reads a fixed number of rows' worth of columns, whatever the cycle's size:

- ``reminder_overview`` counts the cycle's reminders per status, and the planned ones per rule and send (due
  time and week), in two aggregates each read from an index alone; the page's preview of each rule
  (cycles.rule_preview) reads its first few sends from it, so the preview costs no query of its own.
- ``reminder_log`` picks one page of ids from ``reminder_cycle_idx`` first and joins the recipient, rule and
  target to those 50 rows only (joining them before the sort made PostgreSQL join every planned row of the
  cycle that shares the first due time: 1,016 rows at 10,000 people), with only the columns the page reads.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Value, When

from organizations.models import Organization

from .models import Cycle, Moment, Reminder, ReminderAnchor, ReminderRule, ReminderStatus

REMINDER_LOG_SIZE = 50
# The statuses the reminder page lists, in tab order. SENDING lasts seconds and SKIPPED rows explain
# themselves elsewhere (the conversation was held), so neither gets a tab.
REMINDER_LOG_STATUSES = (ReminderStatus.PLANNED, ReminderStatus.SENT, ReminderStatus.FAILED, ReminderStatus.MISSED)
# Failed and missed rows need HR's attention, so every one of them is reachable (paginated); planned and sent
# are a window on a long list: what goes out next, what went out last.
REMINDER_LOG_PAGINATED = (ReminderStatus.FAILED, ReminderStatus.MISSED)
REMINDER_LOG_ORDER = {
    ReminderStatus.PLANNED: ("due_at", "pk"),
    # By when it went out, not when it was due, so a resent reminder shows among the latest. Unlike the others this
    # order is not served by reminder_cycle_idx: the cycle's sent rows are sorted (about 50,000 for 10,000 people).
    ReminderStatus.SENT: ("-sent_at", "-pk"),
    ReminderStatus.FAILED: ("-due_at", "-pk"),
    ReminderStatus.MISSED: ("-due_at", "-pk"),
}
# What a row of the log shows (templates/cycles/reminders.html), the resend rule reads (status) and a registered
# anchor's ``about`` reads (organization_id, subject_id, rule__anchor): nothing else is fetched. The moments a row
# is about are not joined: the page has the cycle's moments already (reminder_cycles), and takes their names there.
REMINDER_LOG_FIELDS = (
    "organization_id",
    "cycle_id",
    "status",
    "due_at",
    "next_try_at",
    "sent_at",
    "attempts",
    "last_error",
    "moment_id",
    "occasion",
    "subject_id",
    "recipient",
    "recipient__first_name",
    "recipient__last_name",
    "rule",
    "rule__anchor",
    "conversation",
    "conversation__moment_id",
    "conversation__employee",
    "conversation__employee__first_name",
    "conversation__employee__last_name",
)
PREVIEW_SIZE = 5  # the sends of one rule the page shows
# Rules HR does not set on this page: the one rule that sends HR's own reminders from the overdue list
# (cycles.services.nudges makes it); its reminders are in the log all the same.
HIDDEN_ANCHORS = frozenset({ReminderAnchor.OVERDUE_NUDGE})


def reminder_cycles(*, organization: Organization):
    """The organisation's cycles with their moments in calendar order (what the reminder pages read of a cycle:
    its name, status, dates and windows); views pick one by id."""
    return (
        Cycle.objects.filter(organization=organization)
        .select_related("organization")
        .prefetch_related(Prefetch("moments", queryset=Moment.objects.order_by("opens_on", "closes_on", "pk")))
    )


def reminder_rules(*, cycle: Cycle):
    """The cycle's reminder rules HR sets (not HIDDEN_ANCHORS'), by anchor as the form offers them (window opens,
    closes, conversation, digest, requests); views pick one by id, so a hidden rule's address is a 404."""
    as_offered = Case(
        *(When(anchor=anchor, then=Value(number)) for number, anchor in enumerate(ReminderAnchor)),
        output_field=IntegerField(),
    )
    return (
        ReminderRule.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
        .exclude(anchor__in=HIDDEN_ANCHORS)
        .order_by(as_offered, "offset_days", "time_of_day", "pk")
    )


def reminders_detailed(*, cycle: Cycle):
    """The cycle's reminders with their recipient; views pick one by id (another cycle's is not among them)."""
    return Reminder.objects.filter(organization_id=cycle.organization_id, cycle=cycle).select_related("recipient")


@dataclass(frozen=True)
class PlannedSend:
    """Planned reminders of one rule that go out together: at one due time (and, for the digest, for one week)."""

    due_at: datetime.datetime
    occasion: datetime.date | None
    count: int  # reminders, one per recipient and thing it is about


@dataclass
class ReminderOverview:
    counts: dict[str, int]  # per status, every status present
    sends: dict[int, list[PlannedSend]] = field(default_factory=dict)  # per rule id: its first PREVIEW_SIZE sends
    planned: dict[int, int] = field(default_factory=dict)  # per rule id: its planned reminders in all


def reminder_overview(*, cycle: Cycle) -> ReminderOverview:
    """How many of the cycle's reminders are in each status, and per rule its planned reminders: in all, and the
    first PREVIEW_SIZE sends (a due time, with the week for the digest) with how many reminders each holds.

    Two aggregates: the planned reminders grouped per rule, due time and week (reminder_planned_sends_idx), and
    the others per status (reminder_cycle_idx), each read from its index alone while autovacuum keeps the table's
    visibility map (after mass inserts or deletes PostgreSQL reads the table instead, as fast as the one aggregate
    before). The rows they return grow with the calendar (the distinct due times: one per window and day with a
    scheduled conversation, one per week of the digest) and the statuses, not with the number of people. Together
    2.5 ms for 14,000 planned reminders, where one aggregate over the table, grouping the planned rows apart through
    CASE, took 5 ms.
    """
    rows = Reminder.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
    overview = ReminderOverview(counts=dict.fromkeys(ReminderStatus.values, 0))
    # "IN (the other statuses)", not "<> planned": the index is searched for those statuses instead of read through.
    other_statuses = [status for status in ReminderStatus.values if status != ReminderStatus.PLANNED]
    others = rows.filter(status__in=other_statuses).values_list("status").annotate(count=Count("*")).order_by()
    for status, count in others:
        overview.counts[status] += count
    planned = (
        rows.filter(status=ReminderStatus.PLANNED)
        .values_list("rule_id", "due_at", "occasion")
        .annotate(count=Count("*"))
        .order_by()
    )
    sends: dict[int, list[PlannedSend]] = {}
    for rule_id, due_at, week, count in planned:
        overview.counts[ReminderStatus.PLANNED] += count
        overview.planned[rule_id] = overview.planned.get(rule_id, 0) + count
        sends.setdefault(rule_id, []).append(PlannedSend(due_at=due_at, occasion=week, count=count))
    for rule_id, rule_sends in sends.items():
        rule_sends.sort(key=lambda send: (send.due_at, send.occasion or datetime.date.min))
        overview.sends[rule_id] = rule_sends[:PREVIEW_SIZE]
    return overview


@dataclass
class ReminderLog:
    status: str
    rows: list
    page: Page | None = None  # failed and missed only: every row, REMINDER_LOG_SIZE a page


def reminder_log(*, cycle: Cycle, status: str, page=None) -> ReminderLog:
    """The cycle's reminders in one status, with recipient, rule and conversation fetched (no per-row queries; the
    moments they are about are the cycle's, by ``moment_id`` and ``conversation.moment_id``).

    Planned: the next 50 by due time. Sent: the latest 50. Failed and missed:
    all of them, newest first, 50 a page (``page`` as the request gave it; a
    bad number gives the first or last page). The ids come from
    reminder_cycle_idx; only the page's rows are joined (see the module docstring).
    """
    if status not in REMINDER_LOG_STATUSES:
        raise ValueError(f"not a listed reminder status: {status!r}")
    order = REMINDER_LOG_ORDER[status]
    ids = Reminder.objects.filter(organization_id=cycle.organization_id, cycle=cycle, status=status).order_by(*order)
    shown = None
    if status in REMINDER_LOG_PAGINATED:
        shown = Paginator(ids.values_list("pk", flat=True), REMINDER_LOG_SIZE).get_page(page)
        chosen = list(shown.object_list)
    else:
        chosen = ids.values("pk")[:REMINDER_LOG_SIZE]  # a subquery: the page is one query
    rows = (
        Reminder.objects.filter(organization_id=cycle.organization_id, pk__in=chosen)
        .select_related("recipient", "rule", "conversation__employee")
        .only(*REMINDER_LOG_FIELDS)
        .order_by(*order)
    )
    return ReminderLog(status=status, rows=list(rows), page=shown)
