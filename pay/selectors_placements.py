"""Reading where people stand for HR's placements pages: who is placed where, for how much, and who is not.

Each function is a fixed number of queries whatever the organisation's size: the list is paged in the database,
and the amounts come from one read of the salary table in force (pay.standing.scale_steps), never per person.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from organizations.models import Employee, Organization

from .models import Placement, SalaryScale, SalaryTable
from .standing import scale_steps, table_in_force

# What the list shows (the filter's values); a scale is "scale-<id>".
SHOW_ALL = ""
SHOW_NOT_PLACED = "not_placed"
SHOW_PLACED = "placed"
SHOW_OUTSIDE = "outside"
SCALE_PREFIX = "scale-"


def people(*, organization: Organization) -> QuerySet:
    """Everyone of ``organization`` (active or not) with their placement and its scale: views pick one by id."""
    return Employee.objects.filter(organization=organization).select_related("user", "pay_placement__scale")


def placement_rows(*, organization: Organization, query: str = "", show: str = SHOW_ALL) -> QuerySet:
    """The active people of ``organization`` with their placement and its scale (one join), sorted by name.

    ``query`` matches name, email address and employee number, word by word; ``show`` narrows to the people not
    placed, placed, outside the scales, or on one scale (``scale-<id>``). Sorted Dutch style (Employee.sort_name,
    "de Jong" under J), read in the order of employee_sort_idx.
    """
    rows = (
        Employee.objects.filter(organization=organization, is_active=True)
        .select_related("user", "pay_placement__scale")
        .order_by("sort_name", "pk")
    )
    for word in query.split():
        rows = rows.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(employee_number__icontains=word)
        )
    if show == SHOW_NOT_PLACED:
        rows = rows.filter(pay_placement__isnull=True)
    elif show == SHOW_PLACED:
        rows = rows.filter(pay_placement__isnull=False)
    elif show == SHOW_OUTSIDE:
        rows = rows.filter(pay_placement__monthly_salary__isnull=False)
    elif show.startswith(SCALE_PREFIX) and show.removeprefix(SCALE_PREFIX).isdigit():
        rows = rows.filter(pay_placement__scale_id=int(show.removeprefix(SCALE_PREFIX)))
    return rows


def not_placed_count(*, organization: Organization) -> int:
    """How many active people of ``organization`` have no placement yet."""
    return Employee.objects.filter(organization=organization, is_active=True, pay_placement__isnull=True).count()


def scales(*, organization: Organization) -> list[SalaryScale]:
    """The organisation's scales in HR's order (few: a select lists them all)."""
    return list(SalaryScale.objects.filter(organization=organization).order_by("position", "name"))


@dataclass(frozen=True)
class Amounts:
    """The salary table in force on a day and its steps, to read each placement's monthly amount from."""

    table: SalaryTable | None
    steps: dict  # scale id → {step number → monthly amount}

    def of(self, placement: Placement | None):
        """The monthly amount of ``placement`` today; None when not placed or when its step is not in the table."""
        if placement is None:
            return None
        if not placement.on_scale:
            return placement.monthly_salary
        return self.steps.get(placement.scale_id, {}).get(placement.step)


def amounts(*, organization: Organization, on: datetime.date) -> Amounts:
    """The table in force on ``on`` and every scale's steps in it: two queries."""
    table = table_in_force(organization_id=organization.pk, on=on)
    return Amounts(table=table, steps=scale_steps(table=table))


def placement_of(employee: Employee) -> Placement | None:
    """The placement fetched with ``employee`` (people() and placement_rows() join it); None when not placed."""
    try:
        return employee.pay_placement
    except Placement.DoesNotExist:
        return None
