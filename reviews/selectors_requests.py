"""Read queries of observation requests, limited to one organisation, with what their pages show fetched."""

import datetime

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from cycles import selectors as cycle_selectors
from cycles.models import Cycle
from organizations.models import OPEN_MEMBERSHIP, Employee

from .models import ObservationRequest

SEARCH_LIMIT = 20  # colleagues a name search shows: enough to pick from, never a list of thousands
LIST_LIMIT = 100  # open requests a list shows; nobody is asked more than this at once in practice

OPEN = ObservationRequest.State.OPEN


def requests_detailed(*, organization_id: int):
    """The organisation's requests with both people, the asker, the pinned wording and the cycle; pick one by id."""
    return ObservationRequest.objects.filter(organization_id=organization_id).select_related(
        "organization", "cycle", "colleague", "employee", "employee__manager", "asked_by", "expectation_version"
    )


def open_requests_to(*, colleague: Employee):
    """The open requests made to ``colleague``, soonest due first (request_colleague_idx)."""
    return requests_detailed(organization_id=colleague.organization_id).filter(colleague=colleague, state=OPEN)[
        :LIST_LIMIT
    ]


# How long a declined request stays on the list of whoever asked it, so that they see it was declined.
DECLINED_SHOWN_DAYS = 30


def declined_requests_by(*, employee: Employee):
    """The requests ``employee`` asked that a colleague declined in the last DECLINED_SHOWN_DAYS, newest first."""
    since = timezone.now() - datetime.timedelta(days=DECLINED_SHOWN_DAYS)
    rows = requests_detailed(organization_id=employee.organization_id).filter(
        asked_by=employee, state=ObservationRequest.State.DECLINED, closed_at__gte=since
    )
    return rows.order_by("-closed_at", "-pk")[:LIST_LIMIT]


def open_requests_by(*, employee: Employee):
    """The open requests ``employee`` asked, soonest due first: what they may still withdraw."""
    return requests_detailed(organization_id=employee.organization_id).filter(asked_by=employee, state=OPEN)[
        :LIST_LIMIT
    ]


def active_cycle_of(*, employee: Employee) -> Cycle | None:
    """The active cycle ``employee`` takes part in (has a conversation in), the earliest if several; None when none."""
    cycles = cycle_selectors.active_cycles(organization=employee.organization).filter(
        moments__conversations__employee=employee
    )
    return cycles.select_related("organization").distinct().first()


def colleagues(*, person: Employee):
    """Whom one may ask about ``person``: the open members of the same organisation, but ``person``."""
    return Employee.objects.filter(OPEN_MEMBERSHIP, organization_id=person.organization_id).exclude(pk=person.pk)


def colleagues_named(*, person: Employee, query: str, limit: int = SEARCH_LIMIT) -> list[Employee]:
    """At most ``limit`` colleagues of ``person`` whose first or last name contains every word of ``query``."""
    words = [word[:100] for word in (query or "").split()[:5]]
    if not words:
        return []
    rows = colleagues(person=person)
    for word in words:
        rows = rows.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(rows.order_by("sort_name", "pk")[:limit])


def home_card(*, employee: Employee, asked_too: bool = False) -> dict:
    """This part's card on ``employee``'s home page: how many requests wait for them, the nearest due date, a link.

    One query. ``count`` 0 means there is nothing to show. With ``asked_too``, the same query also counts the
    open requests ``employee`` asked colleagues for (``asked``), which a manager's and HR's home show.
    """
    mine = Q(colleague=employee)
    rows = ObservationRequest.objects.filter(organization_id=employee.organization_id, state=OPEN)
    counts = {"count": Count("pk", filter=mine), "due_on": Min("due_on", filter=mine)}
    if asked_too:
        rows = rows.filter(mine | Q(asked_by=employee))
        counts["asked"] = Count("pk", filter=Q(asked_by=employee))
    else:
        rows = rows.filter(mine)
    summary = rows.aggregate(**counts)
    return {**summary, "url": reverse("reviews:request_list", kwargs={"org_slug": employee.organization.slug})}


def people(*, organization_id: int):
    """The organisation's active people, as the person a request is about is looked up by id."""
    return Employee.objects.filter(organization_id=organization_id, is_active=True).select_related(
        "organization", "manager"
    )
