"""Placing a person: on a salary scale at a step (with the date of their yearly step), or on a monthly salary
outside the scales, or not at all.

The rule, stated once here and shown by the form and the people import alike:

- on a scale: a scale of the organisation and a step that scale has in the salary table in force today (so
  there must be one); the date of the yearly step is optional and lies at most five years back or ahead;
- outside the scales: a monthly salary of more than € 0;
- a person has one placement or none; removing it is "not placed".

Both services are atomic and harmless to run twice: the second save writes the same values (auditlog records no
change), the second removal finds nothing to remove. Placement is in the audit trail (pay/apps.py): each save
and removal is an entry.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.models import Employee

from .amounts import TOO_LARGE
from .models import AMOUNT_DIGITS, Placement, SalaryScale
from .standing import scale_steps, table_in_force

YEARS_AROUND = 5  # the date of the yearly step lies at most this many years before or after today
LARGEST_SALARY = Decimal(10 ** (AMOUNT_DIGITS - 2)) - Decimal("0.01")  # what Placement.monthly_salary holds

NO_TABLE = gettext_lazy(
    "There is no salary table in force today, so there are no steps to choose from yet. Add the salary scales "
    "and their amounts first."
)


def years_from(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved by whole ``years`` (29 February becomes the 28th in a year without one)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def step_date_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last date the yearly step may fall on, seen from ``today``."""
    return years_from(today, -YEARS_AROUND), years_from(today, YEARS_AROUND)


def step_problem(*, scale_name: str, step: int, steps: dict) -> str | None:
    """Why ``step`` cannot be chosen on the scale ``scale_name`` whose steps in the table in force are ``steps``
    (number → amount, as pay.standing.scale_steps gives them); None when it can."""
    if step in steps:
        return None
    if not steps:
        return _("%(scale)s has no steps in the salary table in force today; add its amounts first.") % {
            "scale": scale_name
        }
    numbers = sorted(steps)
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return _("%(scale)s has steps %(first)d to %(last)d; step %(step)d is not one of them.") % {
            "scale": scale_name,
            "first": numbers[0],
            "last": numbers[-1],
            "step": step,
        }
    return _("%(scale)s has steps %(steps)s; step %(step)d is not one of them.") % {
        "scale": scale_name,
        "steps": ", ".join(str(number) for number in numbers),
        "step": step,
    }


def _scale_errors(*, employee: Employee, scale, step, step_date, today) -> dict:
    errors = {}
    if scale is None:
        errors["scale"] = _("Choose a scale.")
    elif not isinstance(scale, SalaryScale) or scale.organization_id != employee.organization_id:
        errors["scale"] = _("Choose a scale of this organisation.")
    if step is None:
        errors["step"] = _("Enter the step on the scale.")
    if step_date is not None:
        first, last = step_date_range(today)
        if not first <= step_date <= last:
            errors["step_date"] = _(
                "The date of the yearly step lies between %(first)s and %(last)s: at most five years back or ahead."
            ) % {"first": formats.date_format(first, "DATE_FORMAT"), "last": formats.date_format(last, "DATE_FORMAT")}
    if errors:
        return errors
    table = table_in_force(organization_id=employee.organization_id, on=today)
    if table is None:
        return {NON_FIELD_ERRORS: [NO_TABLE]}
    problem = step_problem(
        scale_name=scale.name, step=step, steps=scale_steps(table=table, scale_id=scale.pk).get(scale.pk, {})
    )
    return {"step": problem} if problem else {}


def _salary_errors(monthly_salary) -> dict:
    if monthly_salary is None:
        return {"monthly_salary": _("Enter the monthly salary.")}
    if monthly_salary <= 0:
        return {"monthly_salary": _("A monthly salary is more than € 0.")}
    if monthly_salary > LARGEST_SALARY:
        return {"monthly_salary": str(TOO_LARGE)}
    return {}


@transaction.atomic
def placement_save(
    *,
    employee: Employee,
    on_scale: bool,
    scale: SalaryScale | None = None,
    step: int | None = None,
    step_date: datetime.date | None = None,
    monthly_salary: Decimal | None = None,
    today: datetime.date | None = None,
) -> Placement:
    """Place ``employee`` on ``scale`` at ``step`` (``on_scale``), or on ``monthly_salary`` outside the scales.

    Refuses (ValidationError, a dict by field) anything the rule above does not allow, and writes nothing then.
    Placing on a scale clears a salary outside the scales and the other way round (and the date of the yearly
    step goes with the scale). Two HR admins saving at once: the person's row is locked, so the later save
    wins whole, never a mix of both.
    """
    today = today or timezone.localdate()
    if on_scale:
        errors = _scale_errors(employee=employee, scale=scale, step=step, step_date=step_date, today=today)
    else:
        errors = _salary_errors(monthly_salary)
    if errors:
        raise ValidationError(errors)
    Employee.objects.select_for_update().filter(organization_id=employee.organization_id, pk=employee.pk).first()
    placement = Placement.objects.filter(organization_id=employee.organization_id, employee=employee).first()
    if placement is None:
        placement = Placement(organization_id=employee.organization_id, employee=employee)
    if on_scale:
        placement.scale, placement.step, placement.step_date, placement.monthly_salary = scale, step, step_date, None
    else:
        placement.scale, placement.step, placement.step_date, placement.monthly_salary = (
            None,
            None,
            None,
            monthly_salary,
        )
    placement.updated_at = timezone.now()
    placement.full_clean(exclude=["organization", "employee"])
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError:
        # Only a placement made for the same person in the moment between the lock and here (SQLite has no row
        # locks): the same refusal as a stale page, never a 500.
        raise ValidationError(_("Someone else placed this person just now; open the page again.")) from None
    return placement


@transaction.atomic
def placement_remove(*, employee: Employee) -> bool:
    """Make ``employee`` "not placed": their placement goes (an entry in the audit trail). False when they had none."""
    placement = Placement.objects.filter(organization_id=employee.organization_id, employee=employee).first()
    if placement is None:
        return False
    placement.delete()
    return True
