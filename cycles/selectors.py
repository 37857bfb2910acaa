"""Read queries of the cycle calendar, limited to one organisation, with related rows fetched."""

import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from organizations.models import Employee, Organization, Team

from .models import (
    OPEN_STATES,
    CalendarFeed,
    Conversation,
    ConversationState,
    Cycle,
    CycleStatus,
    Moment,
    MomentChange,
    Reminder,
    ReminderAnchor,
    ReminderRule,
    ReminderStatus,
)

# What secrets.token_urlsafe produces; anything else (NUL bytes, dots, 300 characters) is unknown, not a query.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def cycles(*, organization: Organization):
    """The organisation's cycles, newest first, with their moment count and teams."""
    return (
        Cycle.objects.filter(organization=organization)
        .annotate(moment_count=Count("moments"))
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
    )


def cycles_detailed(*, organization: Organization):
    """The organisation's cycles with their moments (in calendar order) and teams; views pick one by id."""
    return (
        Cycle.objects.filter(organization=organization)
        .select_related("organization")
        .prefetch_related(
            Prefetch("moments", queryset=Moment.objects.order_by("opens_on", "closes_on", "pk")),
            Prefetch("teams", queryset=Team.objects.order_by("name")),
        )
    )


def moments_detailed(*, organization: Organization):
    """The organisation's moments with their cycle and the history of their window; views pick one by id."""
    return (
        Moment.objects.filter(organization=organization)
        .select_related("cycle", "cycle__organization")
        .prefetch_related("changes__changed_by")
    )


def conversations_detailed(*, organization: Organization):
    """The organisation's conversations with moment, cycle, person and their manager; views pick one by id."""
    return Conversation.objects.filter(organization=organization).select_related(
        "moment", "moment__cycle", "employee", "employee__manager", "employee__team", "organization"
    )


def active_cycles(*, organization: Organization):
    return Cycle.objects.filter(organization=organization, status=CycleStatus.ACTIVE).order_by("starts_on")


def my_year(*, employee: Employee):
    """The person's conversations in active cycles, in calendar order, with moment and cycle."""
    return (
        Conversation.objects.filter(
            organization_id=employee.organization_id, employee=employee, moment__cycle__status=CycleStatus.ACTIVE
        )
        .select_related("moment", "moment__cycle")
        .order_by("moment__cycle__starts_on", "moment__opens_on", "moment__pk")
    )


def next_conversation(*, employee: Employee) -> Conversation | None:
    """The person's next conversation: the first scheduled one from now, else the first still to schedule."""
    rows = my_year(employee=employee)
    upcoming = rows.filter(state=ConversationState.SCHEDULED, scheduled_at__gte=timezone.now()).order_by("scheduled_at")
    return upcoming.first() or rows.filter(state=ConversationState.TO_SCHEDULE).first()


def home_card(*, employee: Employee) -> dict:
    """This app's part of ``employee``'s home page: their next conversation (None when none is planned)."""
    return {"next_conversation": next_conversation(employee=employee)}


@dataclass
class GridRow:
    employee: Employee
    cells: list = field(default_factory=list)  # one Conversation or None per moment, in moment order


def team_grid(*, manager: Employee, cycle: Cycle):
    """The manager's active reports × the cycle's moments. Two queries whatever the team size."""
    moments = list(cycle.moments.all())
    reports = list(
        Employee.objects.filter(organization_id=manager.organization_id, manager=manager, is_active=True)
        .select_related("team")
        .order_by("last_name", "first_name")
    )
    by_key = {
        (row.employee_id, row.moment_id): row
        for row in Conversation.objects.filter(
            organization_id=manager.organization_id, moment__cycle=cycle, employee__in=reports
        ).select_related("moment")
    }
    return moments, [
        GridRow(employee=report, cells=[by_key.get((report.pk, moment.pk)) for moment in moments]) for report in reports
    ]


PROGRESS_PAGE_SIZE = 50  # overdue conversations, and teams of one moment, per page
PROGRESS_STATES = ("to_schedule", "scheduled", "held", "cancelled")  # partition a moment's conversations


def _progress_counts(today):
    """Counts per state (partitioning the conversations) and, as a subset of the open ones, the overdue."""
    counts = {state: Count("pk", filter=Q(state=state)) for state in PROGRESS_STATES}
    counts["overdue"] = Count("pk", filter=Q(state__in=OPEN_STATES, moment__closes_on__lt=today))
    return counts


@dataclass
class MomentProgress:
    moment: Moment
    to_schedule: int = 0
    scheduled: int = 0
    held: int = 0
    cancelled: int = 0
    overdue: int = 0  # of to_schedule + scheduled: the window closed before they were held

    @property
    def total(self) -> int:
        return self.to_schedule + self.scheduled + self.held + self.cancelled

    @property
    def open(self) -> int:
        return self.to_schedule + self.scheduled


def cycle_progress(*, cycle: Cycle) -> list[MomentProgress]:
    """Per moment, in calendar order: to schedule, scheduled, held, cancelled (these add up to its conversations)
    and how many of the open ones are overdue. One aggregate query grouped by moment (cycles_conversation_moment_id).
    """
    rows = (
        Conversation.objects.filter(organization_id=cycle.organization_id, moment__cycle=cycle)
        .values("moment_id")
        .annotate(**_progress_counts(timezone.localdate()))
        .order_by()
    )
    by_moment = {row["moment_id"]: row for row in rows}
    progress = []
    for moment in cycle.moments.all():
        row = by_moment.get(moment.pk, {})
        progress.append(
            MomentProgress(moment=moment, **{key: row.get(key, 0) for key in (*PROGRESS_STATES, "overdue")})
        )
    return progress


def team_progress(*, moment: Moment, page=None) -> Page:
    """The teams with open conversations for ``moment``: counts per state and overdue, most overdue first, paged.

    One aggregate over the moment's conversations grouped by team, paged in Python (at most one row per team, so
    no second query to count them); teams whose conversations are all held or cancelled are left out. Each row:
    employee__team_id, employee__team__name (None: no team) and the counts.
    """
    rows = (
        Conversation.objects.filter(organization_id=moment.organization_id, moment=moment)
        .values("employee__team_id", "employee__team__name")
        .annotate(**_progress_counts(timezone.localdate()))
        .filter(Q(to_schedule__gt=0) | Q(scheduled__gt=0))
        .order_by("-overdue", "-to_schedule", "employee__team__name", "employee__team_id")
    )
    return Paginator(list(rows), PROGRESS_PAGE_SIZE).get_page(page)


def overdue(*, cycle: Cycle):
    """Conversations whose window has closed without being held, with the columns the progress page shows.

    Person's and manager's names, the moment's name (not its purpose) and its closing date; the oldest window
    first, then by the person's name.
    """
    return (
        Conversation.objects.filter(
            organization_id=cycle.organization_id,
            moment__cycle=cycle,
            state__in=OPEN_STATES,
            moment__closes_on__lt=timezone.localdate(),
        )
        .select_related("moment", "employee", "employee__manager")
        .only(
            "moment_id",
            "employee_id",
            "state",
            "moment__name_nl",
            "moment__name_en",
            "moment__closes_on",
            "employee__first_name",
            "employee__last_name",
            "employee__manager__first_name",
            "employee__manager__last_name",
        )
        .order_by("moment__closes_on", "employee__last_name", "employee__first_name", "pk")
    )


def overdue_page(*, cycle: Cycle, page=None, count: int | None = None) -> Page:
    """One page of ``overdue`` (PROGRESS_PAGE_SIZE rows; a bad number gives the first or last page).

    ``count``: how many are overdue when the caller knows (the sum of cycle_progress's overdue), which saves
    the paginator's COUNT query.
    """
    paginator = Paginator(overdue(cycle=cycle), PROGRESS_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not queried
    return paginator.get_page(page)


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed behind a calendar address, across organisations (the token is the only key); None if unknown."""
    from django_scopes import scopes_disabled

    if not TOKEN_SHAPE.fullmatch(token):
        return None
    with scopes_disabled():
        return (
            CalendarFeed.objects.select_related("employee", "employee__organization", "employee__user")
            .filter(token=token, employee__is_active=True)
            .first()
        )


def feed_conversations(*, employee: Employee):
    """What a person's calendar feed lists: their own conversations and, for a manager, their reports'."""
    return (
        Conversation.objects.filter(organization_id=employee.organization_id, moment__cycle__status=CycleStatus.ACTIVE)
        .filter(Q(employee=employee) | Q(employee__manager=employee, employee__is_active=True))
        .select_related("moment", "moment__cycle", "employee")
        .order_by("moment__opens_on", "pk")
    )


def moment_sequences(conversations) -> dict[int, int]:
    """How often each moment's window moved (its iCalendar SEQUENCE): one query."""
    moment_ids = {conversation.moment_id for conversation in conversations}
    if not moment_ids:
        return {}
    rows = (
        MomentChange.objects.filter(moment_id__in=moment_ids).values("moment_id").annotate(moves=Count("pk")).order_by()
    )
    return {row["moment_id"]: row["moves"] for row in rows}


def moment_changes(*, cycle: Cycle):
    """The recorded window moves of the cycle's moments, newest first, with moment and author."""
    return (
        MomentChange.objects.filter(organization_id=cycle.organization_id, moment__cycle=cycle)
        .select_related("moment", "changed_by")
        .order_by("-changed_at", "-pk")
    )


# --- reminders: HR's reminder page per cycle ---------------------------------------------------

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


def reminder_rules(*, cycle: Cycle):
    """The cycle's reminder rules, by anchor as the form offers them (window opens, closes, conversation, digest)."""
    as_offered = Case(
        *(When(anchor=anchor, then=Value(number)) for number, anchor in enumerate(ReminderAnchor)),
        output_field=IntegerField(),
    )
    return ReminderRule.objects.filter(organization_id=cycle.organization_id, cycle=cycle).order_by(
        as_offered, "offset_days", "time_of_day", "pk"
    )


def reminders_detailed(*, cycle: Cycle):
    """The cycle's reminders with their recipient; views pick one by id (another cycle's is not among them)."""
    return Reminder.objects.filter(organization_id=cycle.organization_id, cycle=cycle).select_related("recipient")


def reminder_counts(*, cycle: Cycle) -> dict[str, int]:
    """How many of the cycle's reminders are in each status (every status present, zero when none). One query."""
    counts = dict.fromkeys(ReminderStatus.values, 0)
    rows = (
        Reminder.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
        .values("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["status"]] = row["count"]
    return counts


@dataclass
class ReminderLog:
    status: str
    rows: list
    page: Page | None = None  # failed and missed only: every row, REMINDER_LOG_SIZE a page


def reminder_log(*, cycle: Cycle, status: str, page=None) -> ReminderLog:
    """The cycle's reminders in one status, with recipient, rule and target fetched (no per-row queries).

    Planned: the next 50 by due time. Sent: the latest 50. Failed and missed:
    all of them, newest first, 50 a page (``page`` as the request gave it; a
    bad number gives the first or last page). Filters on reminder_cycle_idx.
    """
    if status not in REMINDER_LOG_STATUSES:
        raise ValueError(f"not a listed reminder status: {status!r}")
    rows = (
        Reminder.objects.filter(organization_id=cycle.organization_id, cycle=cycle, status=status)
        .select_related("recipient", "rule", "moment", "conversation__moment", "conversation__employee")
        .order_by(*REMINDER_LOG_ORDER[status])
    )
    if status in REMINDER_LOG_PAGINATED:
        shown = Paginator(rows, REMINDER_LOG_SIZE).get_page(page)
        return ReminderLog(status=status, rows=list(shown.object_list), page=shown)
    return ReminderLog(status=status, rows=list(rows[:REMINDER_LOG_SIZE]))
