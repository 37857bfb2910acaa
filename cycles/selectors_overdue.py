"""HR's overdue list: the conversations whose window closed without being held, to follow up one by one.

"Overdue" has one definition (cycles.models.Conversation.is_overdue): open
(to be scheduled or scheduled) and the moment's window closed before today, in
the organisation's time zone. Everything here reads it the same way, so the
list, its count per moment, the progress page's column and HR's home card agree.

Each function runs a fixed number of queries whatever the organisation's size:
the list is paged by ``PAGE_SIZE`` and fetches only the columns it shows; the
latest reminder of each row (``Nudge``) comes with the page's rows, through one
more query for the page's 50 at most; the counts are single aggregates.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from organizations.models import Employee, Role

from .models import OPEN_STATES, Conversation, Cycle, CycleStatus, Moment, Nudge

PAGE_SIZE = 50  # rows of the overdue list per page, on its own page and on the progress page

# The columns a row of the list shows, and nothing more (a conversation's agreements stay in the database).
ROW_COLUMNS = (
    "moment_id",
    "employee_id",
    "state",
    "scheduled_at",
    "moment__name_nl",
    "moment__name_en",
    "moment__closes_on",
    "employee__first_name",
    "employee__last_name",
    "employee__is_active",
    "employee__manager_id",
    "employee__manager__first_name",
    "employee__manager__last_name",
    "employee__manager__is_active",
)


def today_for(organization) -> datetime.date:
    """The organisation's local date: what "the window has closed" is measured against."""
    return timezone.localdate(timezone=organization.zone)


def _overdue_filter(today: datetime.date) -> Q:
    return Q(state__in=OPEN_STATES, moment__closes_on__lt=today)


def overdue_conversations(*, cycle: Cycle, today: datetime.date, moment: Moment | None = None):
    """The cycle's (or one moment's) overdue conversations, unordered and without related rows: for counts."""
    rows = Conversation.objects.filter(
        _overdue_filter(today), organization_id=cycle.organization_id, moment__cycle=cycle
    )
    return rows.filter(moment=moment) if moment is not None else rows


def overdue(*, cycle: Cycle, moment: Moment | None = None, today: datetime.date | None = None):
    """The overdue conversations with the columns the list shows and the id of each one's latest reminder.

    Person's and manager's names and whether they are active, the moment's name and closing date, the state
    and scheduled time; ``last_nudge_id`` (None: never reminded). The oldest window first, then by the
    person's name as people lists sort it (Dutch style, organizations.names). Reads the closed moments'
    conversations by moment; the latest reminder is a lookup on nudge_one_per_conversation_and_day, which
    PostgreSQL runs only for the rows of the page (about 25 ms for page 1 of 3,300 overdue at 10,000 people).
    """
    today = today or timezone.localdate()
    latest = Nudge.objects.filter(conversation_id=OuterRef("pk")).order_by("-on").values("pk")[:1]
    return (
        overdue_conversations(cycle=cycle, today=today, moment=moment)
        .select_related("moment", "employee", "employee__manager")
        .only(*ROW_COLUMNS)
        .annotate(last_nudge_id=Subquery(latest))
        .order_by("moment__closes_on", "employee__sort_name", "pk")
    )


def overdue_page(*, cycle: Cycle, page=None, count: int | None = None, moment: Moment | None = None) -> Page:
    """One page of ``overdue`` (PAGE_SIZE rows; a bad number gives the first or last page), rows prepared.

    ``count``: how many are overdue when the caller knows (the sum of cycle_progress's overdue, or of
    ``overdue_counts``), which saves the paginator's COUNT query. Each row gets ``days_overdue`` and
    ``last_nudge`` (the latest reminder, with who sent it, or None): one more query for the page.
    """
    today = timezone.localdate()
    paginator = Paginator(overdue(cycle=cycle, moment=moment, today=today), PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not queried
    shown = paginator.get_page(page)
    shown.object_list = rows = list(shown.object_list)
    nudge_ids = [row.last_nudge_id for row in rows if row.last_nudge_id]
    nudges = (
        {
            nudge.pk: nudge
            for nudge in Nudge.objects.filter(organization_id=cycle.organization_id, pk__in=nudge_ids)
            .select_related("sent_by")
            .only("on", "created_at", "conversation_id", "sent_by__first_name", "sent_by__last_name")
        }
        if nudge_ids
        else {}
    )
    for row in rows:
        row.days_overdue = (today - row.moment.closes_on).days
        row.last_nudge = nudges.get(row.last_nudge_id)
        row.reminded_today = row.last_nudge is not None and row.last_nudge.on == today
    return shown


def overdue_counts(*, cycle: Cycle, today: datetime.date) -> dict[int, int]:
    """How many conversations are overdue per moment of the cycle (moments without any are left out). One query."""
    rows = overdue_conversations(cycle=cycle, today=today).values("moment_id").annotate(count=Count("pk")).order_by()
    return {row["moment_id"]: row["count"] for row in rows}


def _with_todays_reminder(rows, today: datetime.date):
    """``rows`` joined to their reminder of ``today`` (at most one: nudge_one_per_conversation_and_day), so that
    ``todays__isnull`` tells whether the conversation was reminded of today: one join, not a subquery per count."""
    return rows.annotate(todays=FilteredRelation("nudges", condition=Q(nudges__on=today)))


# Who can be reminded: the person is active and has an active manager.
REMINDABLE = Q(employee__is_active=True, employee__manager__isnull=False, employee__manager__is_active=True)


def remindable(*, cycle: Cycle, today: datetime.date, moment: Moment | None = None):
    """The overdue conversations a "remind all" reminds: remindable and not reminded today."""
    rows = overdue_conversations(cycle=cycle, today=today, moment=moment).filter(REMINDABLE)
    return _with_todays_reminder(rows, today).filter(todays__isnull=True)


@dataclass(frozen=True)
class RemindAllPreview:
    """What "remind all" would do to the overdue conversations of a cycle or moment: counts, no names."""

    overdue: int  # all of them
    conversations: int  # reminded now
    managers: int  # the managers they go to, one email each
    reminded_today: int  # left out: already reminded today
    without_manager: int  # left out: no manager, or one who has been deactivated
    deactivated: int  # left out: the person has been deactivated


def remind_all_preview(*, cycle: Cycle, today: datetime.date, moment: Moment | None = None) -> RemindAllPreview:
    """The counts the "remind all" button and its confirmation show. One aggregate query."""
    fresh = REMINDABLE & Q(todays__isnull=True)
    active = Q(employee__is_active=True)
    rows = _with_todays_reminder(overdue_conversations(cycle=cycle, today=today, moment=moment), today)
    counts = rows.aggregate(
        overdue=Count("pk"),
        conversations=Count("pk", filter=fresh),
        managers=Count("employee__manager_id", filter=fresh, distinct=True),
        reminded_today=Count("pk", filter=REMINDABLE & Q(todays__isnull=False)),
        without_manager=Count("pk", filter=active & ~REMINDABLE),
        deactivated=Count("pk", filter=~active),
    )
    return RemindAllPreview(**counts)


def managers_to_remind(*, cycle: Cycle, today: datetime.date, moment: Moment | None = None, limit: int = 20):
    """The first ``limit`` managers a "remind all" writes to, by name, for its confirmation. One query."""
    ids = remindable(cycle=cycle, today=today, moment=moment).values("employee__manager_id")
    return list(
        Employee.objects.filter(organization_id=cycle.organization_id, pk__in=ids)
        .only("first_name", "last_name")
        .order_by("sort_name", "pk")[:limit]
    )


# --- HR's home ---------------------------------------------------------------------------------------


def home_card(*, employee: Employee) -> dict:
    """HR's card on the home page: per active cycle, how many conversations are overdue. One query; not for others.

    ``overdue_home``: a list of the active cycles (oldest first), each with ``overdue``; None for anyone but HR.
    """
    if employee.role != Role.HR_ADMIN:
        return {"overdue_home": None}
    today = today_for(employee.organization)
    # A subquery per active cycle (there are one or two) that reads only the closed moments' open conversations.
    late = (
        Conversation.objects.filter(
            _overdue_filter(today), organization_id=employee.organization_id, moment__cycle=OuterRef("pk")
        )
        .values("moment__cycle")
        .annotate(count=Count("pk"))
        .values("count")
    )
    cycles = list(
        Cycle.objects.filter(organization_id=employee.organization_id, status=CycleStatus.ACTIVE)
        .annotate(overdue=Coalesce(Subquery(late), 0))
        .only("name", "organization_id")
        .order_by("starts_on", "pk")
    )
    return {"overdue_home": cycles}
