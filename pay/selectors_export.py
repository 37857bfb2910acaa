"""What the payroll export of a cycle holds: one row per person with a finalised review, and the counts around it.

The export is written "after the reviews are finalised": only finalised reviews are in it (per person the latest,
as pay.selectors_budget.counted_reviews picks it). Each row's amounts are pay.outcomes.figures for that person,
through the same Costing as the budget, so the export, the budget and the employee's own page agree. People who
are not placed are exported with empty salary columns.

A fixed number of queries whatever the number of rows: Costing's, the cycle's bands, and one query of plain values
(no model instance per row); figures() runs once per distinct placement and band.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from core.spreadsheet import FORMULA_START, spreadsheet_text  # noqa: F401 - tests import them from here
from cycles.models import Cycle
from reviews.models import OutcomeBand, Review, ReviewState

from .selectors_budget import PLACEMENT, Costing, Costs, counted_reviews


@dataclass(frozen=True)
class ExportRow:
    """One person's line for payroll; amounts and steps are None when they cannot be known."""

    email: str
    employee_number: str
    name: str
    outcome: str
    old_scale: str
    old_step: int | None
    new_scale: str
    new_step: int | None
    old_monthly: Decimal | None
    new_monthly: Decimal | None
    one_off: Decimal | None
    effective_on: datetime.date


@dataclass(frozen=True)
class ExportSummary:
    """What the export page says: how many rows, which reviews are left out and whose figures are empty."""

    cycle: Cycle
    costs: Costs  # over the exported people: people, not_placed, step_missing, no_salary_table, no_rule
    not_finalised: int  # reviews of the cycle not finalised yet, left out
    has_pay_table: bool
    has_salary_table: bool
    effective_on: datetime.date

    @property
    def rows(self) -> int:
        return self.costs.people


def _exported(*, cycle: Cycle):
    return counted_reviews(cycle=cycle, finalised_only=True)


def export_summary(*, cycle: Cycle) -> ExportSummary:
    """The counts the export page shows, in a fixed number of queries (grouped, never per person)."""
    costing = Costing(cycle=cycle)
    costs = Costs()
    groups = _exported(cycle=cycle).values("band_id", *PLACEMENT.values()).annotate(people=Count("pk")).order_by()
    for row in groups:
        _standing, result, reason = costing.figures_for(
            scale_id=row[PLACEMENT["scale_id"]],
            scale_name=row[PLACEMENT["scale_name"]],
            step=row[PLACEMENT["step"]],
            salary=row[PLACEMENT["salary"]],
            band_id=row["band_id"],
        )
        costs.add(people=row["people"], figures_=result, reason=reason)
    not_finalised = (
        Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
        .exclude(state=ReviewState.FINALISED)
        .count()
    )
    return ExportSummary(
        cycle=cycle,
        costs=costs,
        not_finalised=not_finalised,
        has_pay_table=costing.pay_table is not None,
        has_salary_table=costing.salary_table is not None,
        effective_on=costing.terms.effective_on,
    )


COLUMNS = (
    "user__email",
    "employee_number",
    "first_name",
    "last_name",
)


def export_rows(*, cycle: Cycle) -> Iterator[ExportRow]:
    """The export's rows, by name: one per person with a finalised review of ``cycle``, in the reader's language."""
    costing = Costing(cycle=cycle)
    bands = OutcomeBand.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
    names = {band.pk: band.local_name for band in bands}
    rows = (
        _exported(cycle=cycle)
        .order_by("employee__sort_name", "employee_id")
        .values_list(*(f"employee__{column}" for column in COLUMNS), "band_id", *PLACEMENT.values())
    )
    effective_on = costing.terms.effective_on
    for email, number, first_name, last_name, band_id, scale_id, scale_name, step, salary in rows.iterator(
        chunk_size=2000
    ):
        standing, result, _reason = costing.figures_for(
            scale_id=scale_id, scale_name=scale_name, step=step, salary=salary, band_id=band_id
        )
        yield ExportRow(
            email=email,
            employee_number=number,
            name=f"{first_name} {last_name}".strip(),
            outcome=names.get(band_id, ""),
            old_scale=standing.scale,
            old_step=standing.step,
            new_scale=standing.scale if result is not None else "",
            new_step=result.new_step if result is not None else None,
            old_monthly=standing.monthly,
            new_monthly=result.new_monthly if result is not None else None,
            one_off=result.one_off if result is not None else None,
            effective_on=effective_on,
        )
