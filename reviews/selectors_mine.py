"""Read queries of "Your reviews" (the employee's own, every cycle) and a manager's reviews to write and to sign.

Both pages list across cycles, closed ones included, so a person finds last year's review and a manager
what is left from it. Each list is bounded (a page of the employee's reviews; at most LIMIT rows of each of
a manager's groups, then a page of the done ones), and every query fetches the related rows its page shows:
a fixed number of queries whatever the number of rows.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cycles.models import Conversation, ConversationState, CycleStatus
from organizations.models import Employee

from .models import Review, ReviewState
from .rules_reviews import MANAGER_SIGNABLE, VISIBLE_TO_EMPLOYEE

PER_PAGE = 25  # a person has one or two reviews a year: a page holds many years
LIMIT = 100  # a manager of ~33 reports has at most this many reviews waiting in one group; more says "first 100"

# The review's state as its employee reads it: about "you" and "your manager", not "the employee". No full stop:
# the home page says "Cycle 2027: {state}." and "Your reviews" lists it beside "State".
STATE_FOR_THE_EMPLOYEE = {
    ReviewState.SHARED: _("Your manager has shared it with you"),
    ReviewState.EMPLOYEE_SIGNED: _("You have signed it; your manager has not signed it yet"),
    ReviewState.MANAGER_SIGNED: _("Your manager has signed it; your signature is still needed"),
    ReviewState.SIGNED: _("You and your manager have both signed it"),
    ReviewState.FINALISED: _("HR has finalised it"),
}

WAITING_FOR_THE_EMPLOYEE = frozenset({ReviewState.MANAGER_SIGNED})  # the manager signed; the employee has not
DONE = frozenset({ReviewState.SIGNED, ReviewState.FINALISED})


def state_for_the_employee(state: str) -> str:
    """``state`` of a review as its employee reads it (a draft they never see falls back to the state's label)."""
    return STATE_FOR_THE_EMPLOYEE.get(state) or ReviewState(state).label


def my_reviews(*, employee: Employee, page=None) -> Page:
    """One page of ``employee``'s reviews that have been shared with them, every cycle, newest first.

    With the cycle, the moment, the manager and the outcome: two queries (the count and the page). Reads
    review_employee_idx.
    """
    rows = (
        Review.objects.filter(
            organization_id=employee.organization_id, employee=employee, state__in=VISIBLE_TO_EMPLOYEE
        )
        .select_related("organization", "cycle", "conversation__moment", "manager", "band")
        .order_by("-cycle__starts_on", "-conversation__moment__opens_on", "-pk")
    )
    found = Paginator(rows, PER_PAGE).get_page(page)
    for review in found.object_list:
        review.state_for_you = state_for_the_employee(review.state)
    return found


def to_write(*, manager: Employee) -> list:
    """The assessment conversations of ``manager``'s active reports in active cycles without a review or with one
    in draft, soonest window first: what the home page counts as "reviews to write" (selectors_reviews._team).

    At most LIMIT + 1 rows (the extra one says there are more), with the person, moment, cycle and review.
    """
    rows = (
        Conversation.objects.filter(
            organization_id=manager.organization_id,
            employee__manager=manager,
            employee__is_active=True,
            moment__produces_rating=True,
            moment__cycle__status=CycleStatus.ACTIVE,
        )
        .exclude(state=ConversationState.CANCELLED)
        .filter(Q(review__isnull=True) | Q(review__state=ReviewState.DRAFT))
        .select_related("organization", "employee", "moment", "moment__cycle", "review")
        .order_by("moment__closes_on", "employee__sort_name", "pk")
    )
    return list(rows[: LIMIT + 1])


def _reviews_written(manager: Employee):
    return (
        Review.objects.filter(organization_id=manager.organization_id, manager=manager)
        .select_related("organization", "cycle", "employee", "band", "conversation")
        .order_by("-cycle__starts_on", "employee__sort_name", "pk")
    )


def _bounded(rows) -> tuple[list, bool]:
    """At most LIMIT of ``rows``, and whether there are more: one query."""
    found = list(rows[: LIMIT + 1])
    return found[:LIMIT], len(found) > LIMIT


def team_reviews(*, manager: Employee, page=None) -> dict:
    """The reviews ``manager`` writes, every cycle, grouped by what is left to do.

    ``to_write``: :func:`to_write`; ``to_sign``: shared reviews the manager has not signed, whose conversation
    was held (the home page's "to sign"); ``waiting``: signed by the manager and waiting for the employee, or
    shared and waiting for the conversation (``conversation_held`` False); ``done``: a page of the signed and
    finalised ones. Each of the first three holds at most LIMIT rows, with ``more_*`` True when there are more.
    Five queries whatever the number of rows. Reads review_manager_idx.
    """
    written = _reviews_written(manager)
    conversations = to_write(manager=manager)
    # Signed "seen and discussed" once the conversation took place (reviews.rules_reviews.SIGN_AS_MANAGER).
    held = Q(conversation__state=ConversationState.HELD)
    signable = Q(state__in=MANAGER_SIGNABLE)
    to_sign, more_to_sign = _bounded(written.filter(signable & held))
    waiting, more_waiting = _bounded(written.filter(Q(state__in=WAITING_FOR_THE_EMPLOYEE) | (signable & ~held)))
    return {
        "to_write": conversations[:LIMIT],
        "more_to_write": len(conversations) > LIMIT,
        "to_sign": to_sign,
        "more_to_sign": more_to_sign,
        "waiting": waiting,
        "more_waiting": more_waiting,
        "done": Paginator(written.filter(state__in=DONE), PER_PAGE).get_page(page),
        "limit": LIMIT,
    }
