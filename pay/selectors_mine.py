"""Read queries of "What my outcome means": for one person and one cycle, what each outcome band would mean in euros.

Everything is read through pay.standing and computed by pay.outcomes.figures, the one computation the budget and
the export share, so the page never shows an amount the others would not. One person's page is a fixed number
of queries whatever the organisation's size: the cycles with a published pay table, the settings, the salary
table in force, the pay table with its rules and their bands, the cycle's bands, the person's placement and
their scale's steps, and their latest review in the cycle.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Subquery
from django.utils import timezone

from cycles.models import Cycle, CycleStatus
from organizations.models import Employee
from reviews import scales
from reviews.models import OutcomeBand, Review, ReviewState

from .models import PayRule, PayTable, Placement, SalaryTable, ScaleStep
from .outcomes import Consequence, Figures, Standing, Terms, figures
from .standing import (
    consequence_of,
    published_table,
    standing_of,
    table_in_force,
    terms_of,
)


@dataclass(frozen=True)
class BandOutcome:
    """One outcome band of the cycle and what it would mean for the person (``figures`` None: not computable)."""

    band: OutcomeBand
    rule: PayRule | None  # None: the pay table says nothing about this band
    consequence: Consequence | None
    figures: Figures | None
    final: bool = False  # the person's finalised outcome


@dataclass(frozen=True)
class Outcomes:
    """What the page shows about ``person`` in ``cycle``; ``pay_table`` None: none is published for the cycle."""

    person: Employee
    cycle: Cycle
    pay_table: PayTable | None
    terms: Terms | None = None
    table: SalaryTable | None = None  # the salary table in force on the effective date
    standing: Standing | None = None
    # On a scale, when another salary table is in force today than on the effective date: what the person's step
    # pays today (the figures start from the step's amount on the effective date).
    today_monthly: object = None
    placement: Placement | None = None
    bands: list[BandOutcome] = field(default_factory=list)

    @property
    def final(self) -> BandOutcome | None:
        return next((outcome for outcome in self.bands if outcome.final), None)

    @property
    def changed_on(self) -> datetime.date | None:
        """The day the pay table's current version was published, when it is not the first version."""
        if self.pay_table is None or self.pay_table.version <= 1 or self.pay_table.published_at is None:
            return None
        return timezone.localdate(self.pay_table.published_at)


def outcome_cycles(*, organization_id: int) -> list[Cycle]:
    """The organisation's cycles that have a published pay table, newest first: one query.

    An organisation runs about one cycle a year, so the list stays short without paging.
    """
    published = PayTable.objects.filter(organization_id=organization_id, published_at__isnull=False)
    return list(
        Cycle.objects.filter(organization_id=organization_id, pk__in=published.values("cycle_id")).order_by(
            "-starts_on", "-pk"
        )
    )


def chosen_cycle(*, cycles: list[Cycle], requested=None) -> Cycle | None:
    """The cycle asked for (``requested``, an id as text) among ``cycles``, else an active one's, else the latest.

    Returns None when ``requested`` is given but names none of ``cycles`` (the view answers 404), and when there
    are no cycles at all.
    """
    if requested not in (None, ""):
        return next((cycle for cycle in cycles if str(cycle.pk) == str(requested)), None)
    active = [cycle for cycle in cycles if cycle.status == CycleStatus.ACTIVE]
    return (active or cycles or [None])[0]


def final_band_id(*, employee: Employee, cycle: Cycle) -> int | None:
    """The band of ``employee``'s latest review in ``cycle`` once HR has finalised it; None before that: one query.

    Before finalisation nothing on the page may reveal a proposed outcome, so a review in any other state
    gives None.
    """
    latest = (
        Review.objects.filter(organization_id=employee.organization_id, cycle=cycle, employee=employee)
        .order_by("-created_at", "-pk")
        .values_list("state", "band_id")
        .first()
    )
    if latest is None or latest[0] != ReviewState.FINALISED:
        return None
    return latest[1]


def outcomes_of(*, employee: Employee, cycle: Cycle) -> Outcomes:
    """What each outcome band of ``cycle`` would mean for ``employee``, with the terms and the standing used."""
    pay_table = published_table(cycle=cycle)
    if pay_table is None:
        return Outcomes(person=employee, cycle=cycle, pay_table=None)
    terms = terms_of(cycle=cycle, pay_table=pay_table)
    table = table_in_force(organization_id=employee.organization_id, on=terms.effective_on)
    standing, placement = standing_of(employee=employee, table=table)
    today_monthly = _today_monthly(employee=employee, standing=standing, placement=placement, table=table)
    rules = {rule.band_id: rule for rule in pay_table.rules.all()}
    final = final_band_id(employee=employee, cycle=cycle)
    bands = []
    for band in scales.cycle_bands(cycle=cycle):
        rule = rules.get(band.pk)
        consequence = consequence_of(rule, pay_table) if rule is not None else None
        bands.append(
            BandOutcome(
                band=band,
                rule=rule,
                consequence=consequence,
                figures=figures(standing, consequence, terms) if consequence is not None else None,
                final=final is not None and band.pk == final,
            )
        )
    return Outcomes(
        person=employee,
        cycle=cycle,
        pay_table=pay_table,
        terms=terms,
        table=table,
        standing=standing,
        placement=placement,
        bands=bands,
        today_monthly=today_monthly,
    )


def _today_monthly(*, employee, standing: Standing, placement, table):
    """What the person's step pays in the salary table in force today, when that is another table than ``table``
    (next year's scales apply on the effective date); None otherwise. One query, for people on a scale only."""
    if not standing.on_scale or placement is None or standing.problem or table is None:
        return None
    in_force = (
        SalaryTable.objects.filter(organization_id=employee.organization_id, applies_from__lte=timezone.localdate())
        .order_by("-applies_from")
        .values("pk")[:1]
    )
    found = (
        ScaleStep.objects.filter(
            organization_id=employee.organization_id,
            table_id=Subquery(in_force),
            scale_id=placement.scale_id,
            number=placement.step,
        )
        .values_list("table_id", "monthly_amount")
        .first()
    )
    if found is None or found[0] == table.pk:
        return None
    return found[1]
