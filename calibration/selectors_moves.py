"""Read queries of the calibration window and the outcomes HR moved, limited to one organisation.

Each is a fixed number of queries whatever the number of reviews and moves: counts are aggregated in the
database, lists come a page (50) at a time with the rows they show fetched alongside.
"""

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from cycles.models import Cycle
from organizations.models import Employee
from reviews.models import Review, ReviewState

from .models import OutcomeMove

PER_PAGE = 50


def drafts_of(*, cycle: Cycle) -> dict:
    """``reviews``: the cycle's reviews in draft (those the window keeps from being shared); ``managers``: how many
    managers write them. One aggregate query (reads review_cycle_state_idx)."""
    return Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle, state=ReviewState.DRAFT).aggregate(
        reviews=Count("pk"), managers=Count("manager_id", distinct=True)
    )


def managers_of_drafts(*, cycle: Cycle, limit: int) -> list[str]:
    """The names of at most ``limit`` managers who write a review of the cycle in draft, by name: one query."""
    drafts = Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle, state=ReviewState.DRAFT)
    people = Employee.objects.filter(organization_id=cycle.organization_id, pk__in=drafts.values("manager_id"))
    return [person.full_name for person in people.order_by("sort_name", "pk")[:limit]]


def move_counts(*, cycle: Cycle, since: datetime.datetime | None = None) -> dict:
    """``total``: the outcomes HR moved in the cycle; ``since``: of those, how many from ``since`` on (this round
    of the window). One aggregate query (reads move_cycle_idx)."""
    moves = OutcomeMove.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
    round_filter = Q(moved_at__gte=since) if since is not None else Q(pk__isnull=False)
    return moves.aggregate(total=Count("pk"), since=Count("pk", filter=round_filter))


def _page(rows, page) -> Page:
    return Paginator(rows, PER_PAGE).get_page(page)


def moves_of_cycle(*, cycle: Cycle, page=None) -> Page:
    """The cycle's moves, newest first, a page at a time, with the person, their manager, the bands and who moved
    it: two queries (the count and the page)."""
    rows = (
        OutcomeMove.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
        .select_related("review__employee", "review__manager", "from_band", "to_band", "moved_by")
        .order_by("-moved_at", "-pk")
    )
    return _page(rows, page)


def moves_of_manager(*, cycle: Cycle, manager: Employee, page=None) -> Page:
    """The moves of the reviews ``manager`` writes in the cycle, newest first, a page at a time: two queries.

    Only their own reviews (the review's ``manager``), so the page built on it never names another manager's people.
    """
    rows = (
        OutcomeMove.objects.filter(organization_id=cycle.organization_id, cycle=cycle, review__manager=manager)
        .select_related("review__employee", "from_band", "to_band", "moved_by")
        .order_by("-moved_at", "-pk")
    )
    return _page(rows, page)
