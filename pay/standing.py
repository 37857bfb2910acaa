"""Reading what every pay figure rests on: the organisation's terms, the salary table in force, a cycle's
published pay table and where a person stands. Shared by the employee's page, the budget and the export.

Each function is a fixed number of queries whatever the organisation's size: ``scale_steps`` reads one
table's steps (scales × steps, a few hundred rows at most), never per person.
"""

import datetime

from django.db import IntegrityError, transaction

from cycles.models import Cycle

from .models import PayRule, PaySettings, PayTable, Placement, SalaryTable, ScaleStep, TopRule
from .outcomes import Consequence, Problem, Standing, Terms


def settings_for(*, organization_id: int) -> PaySettings:
    """The organisation's pay settings, or the defaults (8 % holiday allowance, 1 January; unsaved) while HR has
    never saved them: one query, and a page that only reads them writes nothing."""
    found = PaySettings.objects.filter(organization_id=organization_id).first()
    return found if found is not None else PaySettings(organization_id=organization_id)


def settings_row(*, organization_id: int) -> PaySettings:
    """The organisation's settings row, made with the defaults when missing, locked for the caller's transaction."""
    try:
        with transaction.atomic():
            PaySettings.objects.get_or_create(organization_id=organization_id)
    except IntegrityError:  # a second request made it first
        pass
    return PaySettings.objects.select_for_update().get(organization_id=organization_id)


def terms_for(*, settings: PaySettings | None, cycle: Cycle | None = None, pay_table: PayTable | None = None) -> Terms:
    """The terms of ``cycle``'s figures: those ``pay_table`` (a published version) was published with, else the
    organisation's ``settings`` now (a draft; ``settings`` may be None when ``pay_table`` keeps its terms)."""
    if pay_table is not None and pay_table.effective_on is not None:
        return Terms(
            holiday_allowance=pay_table.holiday_allowance,
            thirteenth_month=pay_table.thirteenth_month,
            effective_on=pay_table.effective_on,
        )
    return Terms(
        holiday_allowance=settings.holiday_allowance,
        thirteenth_month=settings.thirteenth_month,
        effective_on=settings.effective_date(cycle) if cycle is not None else None,
    )


def terms_of(*, cycle: Cycle, pay_table: PayTable | None = None) -> Terms:
    """The terms of ``cycle``'s figures: those its published ``pay_table`` keeps, without a query; else the
    organisation's settings now (one query)."""
    if pay_table is not None and pay_table.effective_on is not None:
        return terms_for(settings=None, cycle=cycle, pay_table=pay_table)
    return terms_for(settings=settings_for(organization_id=cycle.organization_id), cycle=cycle)


def table_in_force(*, organization_id: int, on: datetime.date) -> SalaryTable | None:
    """The salary table that applies on ``on``: the latest one from that date or earlier (None before the first)."""
    return (
        SalaryTable.objects.filter(organization_id=organization_id, applies_from__lte=on)
        .order_by("-applies_from")
        .first()
    )


def scale_steps(*, table: SalaryTable | None, scale_id: int | None = None) -> dict[int, dict[int, object]]:
    """Every scale's steps in ``table`` (or only ``scale_id``'s): ``{scale_id: {number: amount}}``, in one query."""
    if table is None:
        return {}
    steps: dict[int, dict] = {}
    rows = ScaleStep.objects.filter(organization_id=table.organization_id, table=table).order_by("scale_id", "number")
    if scale_id is not None:
        rows = rows.filter(scale_id=scale_id)
    for scale_id, number, amount in rows.values_list("scale_id", "number", "monthly_amount"):
        steps.setdefault(scale_id, {})[number] = amount
    return steps


def published_table(*, cycle: Cycle) -> PayTable | None:
    """The pay table everyone reads for ``cycle``: its latest published version, with its rules (two queries)."""
    return (
        PayTable.objects.filter(organization_id=cycle.organization_id, cycle=cycle, published_at__isnull=False)
        .order_by("-version")
        .prefetch_related("rules")
        .first()
    )


def consequence_of(rule: PayRule, table: PayTable) -> Consequence:
    return Consequence(
        steps=rule.steps,
        raise_percent=rule.raise_percent,
        one_off_percent=rule.one_off_percent,
        promotion=rule.promotion,
        top_one_off_percent=table.top_one_off_percent if table.top_rule == TopRule.ONE_OFF else 0,
    )


def standing_from(
    *, scale_id: int | None, scale_name: str, step: int | None, salary, steps_by_scale: dict, has_table: bool
) -> Standing:
    """A Standing from a placement's values and the table in force (``steps_by_scale`` from :func:`scale_steps`)."""
    if scale_id is None and salary is None:
        return Standing(problem=Problem.NOT_PLACED)
    if scale_id is None:
        return Standing(salary=salary)
    if not has_table:
        return Standing(scale=scale_name, step=step, problem=Problem.NO_TABLE)
    steps = steps_by_scale.get(scale_id, {})
    problem = Problem.NONE if step in steps else Problem.STEP_MISSING
    return Standing(scale=scale_name, step=step, steps=steps, problem=problem)


def standing_of(*, employee, table: SalaryTable | None) -> tuple[Standing, Placement | None]:
    """Where ``employee`` stands in ``table`` (the table in force), and their placement: two queries."""
    placement = (
        Placement.objects.filter(organization_id=employee.organization_id, employee=employee)
        .select_related("scale")
        .first()
    )
    if placement is None:
        return Standing(problem=Problem.NOT_PLACED), None
    steps = scale_steps(table=table, scale_id=placement.scale_id) if placement.scale_id else {}
    standing = standing_from(
        scale_id=placement.scale_id,
        scale_name=placement.scale.name if placement.scale_id else "",
        step=placement.step,
        salary=placement.monthly_salary,
        steps_by_scale=steps,
        has_table=table is not None,
    )
    return standing, placement
