"""Read queries of the cycle calendar, limited to one organisation, with related rows fetched."""

import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from core.cache import fingerprint
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
)

# The overdue list lives in selectors_overdue; these names stay importable from here.
from .selectors_overdue import overdue, overdue_page  # noqa: F401

# What secrets.token_urlsafe produces; anything else (NUL bytes, dots, 300 characters) is unknown, not a query.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def cycles(*, organization: Organization):
    """The organisation's cycles, newest start first (then by name, then id), with their moment count and teams.

    The order is explicit: with the count's GROUP BY, Django leaves Cycle.Meta.ordering out of the query, and the
    database returned the cycles in whatever order it liked (2026, 2025, Extra, 2027)."""
    return (
        Cycle.objects.filter(organization=organization)
        .annotate(moment_count=Count("moments"))
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
        .order_by("-starts_on", "name", "pk")
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


def my_year(*, employee: Employee, cycle: Cycle | None = None):
    """The person's conversations in ``cycle`` (None: in every active cycle), in calendar order, with moment and
    cycle. "My year" shows one cycle (cycles.selectors_year); the home page's next conversation looks in all active
    ones."""
    rows = Conversation.objects.filter(organization_id=employee.organization_id, employee=employee)
    if cycle is not None:
        rows = rows.filter(moment__cycle=cycle)
    else:
        rows = rows.filter(moment__cycle__status=CycleStatus.ACTIVE)
    return rows.select_related("moment", "moment__cycle").order_by(
        "moment__cycle__starts_on", "moment__opens_on", "moment__pk"
    )


def next_conversation(*, employee: Employee, after_last_held: bool = False) -> Conversation | None:
    """The person's next conversation: the first scheduled one from now, else the first still to schedule.

    ``after_last_held`` leaves out the open conversations of moments that opened before the last one held: once
    the assessment has taken place, a planning conversation still to schedule from months ago is not the next
    conversation to keep something for (reviews holds an observation for it).

    One query for both: a person has a handful of conversations in the active cycles (one per moment), so they
    are read in calendar order and chosen here."""
    now = timezone.now()
    wanted = Q(state=ConversationState.SCHEDULED, scheduled_at__gte=now) | Q(state=ConversationState.TO_SCHEDULE)
    if after_last_held:
        wanted |= Q(state=ConversationState.HELD)
    rows = list(my_year(employee=employee).filter(wanted))
    held = [row.moment.opens_on for row in rows if row.state == ConversationState.HELD]
    since = max(held, default=None)
    open_ = [
        row for row in rows if row.state != ConversationState.HELD and (since is None or row.moment.opens_on >= since)
    ]
    upcoming = [row for row in open_ if row.state == ConversationState.SCHEDULED]
    if upcoming:
        return min(upcoming, key=lambda row: (row.scheduled_at, row.pk))
    return open_[0] if open_ else None


def home_card(*, employee: Employee) -> dict:
    """This app's part of ``employee``'s home page: their next conversation (None when none is planned)."""
    return {"next_conversation": next_conversation(employee=employee)}


# "My year" and the team grid: which cycle they show, and the grid's cells, are in cycles.selectors_year.


PROGRESS_PAGE_SIZE = 50  # overdue conversations, and teams of one moment, per page
PROGRESS_STATES = ("to_schedule", "scheduled", "held", "cancelled")  # partition a moment's conversations


def _progress_counts(today):
    """Counts per state (partitioning the conversations) and, as a subset of the open ones, the overdue; and the
    open ones that are not overdue per state, so that the page's columns partition them without overlap:
    on_time_to_schedule + on_time_scheduled + overdue + held + cancelled = total."""
    counts = {state: Count("pk", filter=Q(state=state)) for state in PROGRESS_STATES}
    counts["overdue"] = Count("pk", filter=Q(state__in=OPEN_STATES, moment__closes_on__lt=today))
    on_time = Q(moment__closes_on__gte=today)
    counts["on_time_to_schedule"] = Count("pk", filter=on_time & Q(state=ConversationState.TO_SCHEDULE))
    counts["on_time_scheduled"] = Count("pk", filter=on_time & Q(state=ConversationState.SCHEDULED))
    return counts


@dataclass
class MomentProgress:
    moment: Moment
    to_schedule: int = 0
    scheduled: int = 0
    held: int = 0
    cancelled: int = 0
    overdue: int = 0  # of to_schedule + scheduled: the window closed before they were held
    on_time_to_schedule: int = 0  # to_schedule, not overdue
    on_time_scheduled: int = 0  # scheduled, not overdue

    @property
    def total(self) -> int:
        return self.to_schedule + self.scheduled + self.held + self.cancelled

    @property
    def open(self) -> int:
        return self.to_schedule + self.scheduled


def cycle_progress(*, cycle: Cycle) -> list[MomentProgress]:
    """Per moment, in calendar order: to schedule, scheduled, held, cancelled (these add up to its conversations)
    and how many of the open ones are overdue.

    One count per moment and state, read from conversation_progress_idx alone (an index-only scan: 6 ms for 30,000
    conversations, where counting with filters over the join to the moment read every row, 11 ms). Whether the open
    ones are overdue is the moment's to say (its window closed before today), so it is worked out here.
    """
    rows = (
        Conversation.objects.filter(organization_id=cycle.organization_id, moment__cycle=cycle)
        .values("moment_id", "state")
        .annotate(count=Count("*"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["moment_id"], {})[row["state"]] = row["count"]
    today = timezone.localdate()
    progress = []
    for moment in cycle.moments.all():
        by_state = {state: counts.get(moment.pk, {}).get(state, 0) for state in PROGRESS_STATES}
        closed = moment.closes_on < today
        progress.append(
            MomentProgress(
                moment=moment,
                **by_state,
                overdue=by_state["to_schedule"] + by_state["scheduled"] if closed else 0,
                on_time_to_schedule=0 if closed else by_state["to_schedule"],
                on_time_scheduled=0 if closed else by_state["scheduled"],
            )
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
    """What a person's calendar feed lists: their own conversations and, for a manager, their active reports'.

    ``employee_id IN (the person UNION ALL their reports)``: PostgreSQL reads each person's conversations through
    conversation_employee_idx. An OR of "mine" and "my reports'" across the join to the employee would scan every
    conversation of the organisation (36 ms against 0.6 ms at 10,000 people, benchmarks in docs/benchmarks.md).
    """
    people = Employee.objects.filter(organization_id=employee.organization_id)
    reports = people.filter(manager=employee, is_active=True).values("pk").order_by()
    whose = people.filter(pk=employee.pk).values("pk").order_by().union(reports, all=True)
    return (
        Conversation.objects.filter(
            organization_id=employee.organization_id,
            employee_id__in=whose,
            moment__cycle__status=CycleStatus.ACTIVE,
        )
        .select_related("moment", "moment__cycle", "employee")
        .order_by("moment__opens_on", "pk")
    )


def feed_fingerprint(*, employee: Employee) -> str:
    """What changes whenever a conversation of ``employee``'s feed is added, removed, scheduled, held, cancelled or
    moved to another time (every conversation service stamps ``updated_at``), and whenever one of their moments'
    windows moves (a MomentChange): one aggregate over the same rows."""
    return fingerprint(feed_conversations(employee=employee), moved=Max("moment__changes__pk"))


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


# The reminder page's queries (rules, counts, the log) are in cycles.selectors_reminders.
