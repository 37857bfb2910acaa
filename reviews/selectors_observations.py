"""Read queries of observations: limited to one organisation, with what the pages show fetched in the same query."""

from django.db.models import F, Q

from cycles.models import Cycle
from organizations.models import Employee
from organizations.permissions import can

from .models import VISIBLE_TO_EMPLOYEE, Observation
from .rules_observations import SEE_PERSON_OBSERVATIONS

SEARCH_LIMIT = 20  # people an HR admin's name search shows: enough to pick from, never a list of thousands


def observations(*, organization_id: int):
    """Every observation of the organisation with its person, author, expectation and held-for conversation.

    One query per page whatever the number of rows: the rules (reviews.rules_observations) and the templates
    read only what is fetched here. Views pick one by id.
    """
    return Observation.objects.filter(organization_id=organization_id).select_related(
        "employee",
        "employee__manager",
        "author",
        "expectation",
        "expectation__current_version",
        "held_for",
        "held_for__moment",
        "held_for__moment__cycle",
    )


def observations_visible(*, viewer: Employee, employee: Employee):
    """The observations about ``employee`` that ``viewer`` may see, newest first.

    The person themselves: those visible to them (VISIBLE_TO_EMPLOYEE), whoever wrote them. HR and the person's
    manager: all of them, held ones included. Anyone else: only those they wrote (a colleague's answers).
    """
    rows = observations(organization_id=employee.organization_id).filter(employee=employee)
    if viewer.pk == employee.pk:
        return rows.filter(VISIBLE_TO_EMPLOYEE)
    if can(viewer, SEE_PERSON_OBSERVATIONS, employee):
        return rows
    return rows.filter(author=viewer)


def what_was_seen(*, employee: Employee):
    """What ``employee`` sees on "What was seen": visible observations about them, grouped by expectation.

    Ordered so that a page of them regroups by expectation (in core value order, the unlinked ones last), newest
    first within each; the index observation_employee_idx serves the filter.
    """
    return observations_visible(viewer=employee, employee=employee).order_by(
        F("expectation__core_value__order").asc(nulls_last=True),
        F("expectation_id").asc(nulls_last=True),
        "-observed_on",
        "-pk",
    )


def evidence_for(*, review_employee: Employee, cycle: Cycle):
    """The observations about ``review_employee`` dated within ``cycle``, visible or still held: a review's evidence.

    Newest first, with author and expectation fetched (observations()).
    """
    return observations(organization_id=cycle.organization_id).filter(
        employee=review_employee, observed_on__range=(cycle.starts_on, cycle.ends_on)
    )


def people_to_observe(*, organization_id: int):
    """The active people of the organisation, as a person to record an observation about is looked up."""
    return Employee.objects.filter(organization_id=organization_id, is_active=True).select_related("manager")


def reports_of(*, manager: Employee):
    """The active people who report to ``manager``, by name: a manager's choice of whom to record about."""
    people = people_to_observe(organization_id=manager.organization_id)
    return people.filter(manager=manager).order_by("sort_name", "pk")


def people_named(*, organization_id: int, query: str, limit: int = SEARCH_LIMIT) -> list[Employee]:
    """At most ``limit`` active people whose first or last name contains every word of ``query``; [] for none."""
    words = [word[:100] for word in query.split()[:5]]
    if not words:
        return []
    rows = people_to_observe(organization_id=organization_id)
    for word in words:
        rows = rows.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(rows.order_by("sort_name", "pk")[:limit])
