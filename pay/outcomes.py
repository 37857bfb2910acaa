"""What an outcome means for one person, in euros: the pay table's consequence applied to where they stand.

Pure functions on plain values (no database), shared by the employee's page, the budget and the payroll
export, so the three always agree (tests/pay hold that as a property).

- The **annual salary** is the monthly salary × 12, plus the holiday allowance (a percentage of those twelve
  months), plus one month more with a thirteenth month: ``monthly × (12 × (1 + allowance) + 13th)``.
- **On a scale**, the consequence moves the person ``steps`` up their scale; the new monthly salary is the
  new step's amount in the salary table in force on the effective date (the old one is read from that same
  table, so the difference is the outcome's alone, not a new year's raise of the scales). Steps that do not
  fit above the top step follow the table's top-of-scale rule: a one-off payment of ``top_one_off_percent``
  of the annual salary for each of them, or nothing.
- **Outside the scales**, the monthly salary rises by ``raise_percent``.
- The **one-off payment** is ``one_off_percent`` of the annual salary before the change (plus the top-of-scale
  payment); the **increase per year** is the new annual salary minus the old one.

Each amount is rounded to cents once, at the end of its own computation (pay.money.cents).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .money import cents

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Terms:
    """The organisation's pay settings as every figure uses them."""

    holiday_allowance: Decimal  # percent of twelve months' salary
    thirteenth_month: bool
    effective_on: datetime.date | None = None  # when the consequences take effect (shown in explanations)

    @property
    def months_per_year(self) -> Decimal:
        """How many monthly salaries a year pays: 12 × (1 + allowance), plus 1 with a thirteenth month."""
        return 12 * (1 + Decimal(self.holiday_allowance) / HUNDRED) + (1 if self.thirteenth_month else 0)

    def annual(self, monthly: Decimal) -> Decimal:
        return cents(Decimal(monthly) * self.months_per_year)


class Problem:
    """Why a person's figures cannot be computed (their standing's ``problem``); empty when they can."""

    NONE = ""
    NOT_PLACED = "not_placed"  # HR has not placed them
    NO_TABLE = "no_table"  # no salary table applies on the effective date
    STEP_MISSING = "step_missing"  # their scale has no such step (or none at all) in the table in force


@dataclass(frozen=True)
class Standing:
    """Where a person stands: their scale's steps in the table in force and their step, or a salary off the scales."""

    scale: str = ""  # the scale's name; empty outside the scales
    step: int | None = None
    steps: Mapping[int, Decimal] = field(default_factory=dict)  # number → monthly amount, in the table in force
    salary: Decimal | None = None  # a monthly salary outside the scales
    problem: str = Problem.NONE

    @property
    def on_scale(self) -> bool:
        return bool(self.scale)

    @property
    def monthly(self) -> Decimal | None:
        """Their monthly salary now; None when it cannot be known (see ``problem``)."""
        if self.problem:
            return None
        return self.steps[self.step] if self.on_scale else self.salary

    @property
    def top(self) -> int | None:
        return max(self.steps) if self.steps else None


@dataclass(frozen=True)
class Consequence:
    """One band's rule in a pay table, with the table's top-of-scale rule."""

    steps: int = 0
    raise_percent: Decimal = Decimal(0)
    one_off_percent: Decimal = Decimal(0)
    promotion: bool = False
    top_one_off_percent: Decimal = Decimal(0)  # per step that does not fit; 0 when the rule pays nothing instead


@dataclass(frozen=True)
class Figures:
    """What one consequence means for one person."""

    old_monthly: Decimal
    new_monthly: Decimal
    increase_month: Decimal
    increase_year: Decimal
    one_off: Decimal  # in total: the table's one-off payment plus the top-of-scale payment
    top_one_off: Decimal  # the part of ``one_off`` paid instead of steps that did not fit
    old_step: int | None = None
    new_step: int | None = None
    steps_missed: int = 0  # steps the rule gives that did not fit above the top step

    @property
    def top_bites(self) -> bool:
        return self.steps_missed > 0

    @property
    def cost_year(self) -> Decimal:
        """What it costs the organisation in the first year: the increase for a year and the one-off payment."""
        return self.increase_year + self.one_off


def figures(standing: Standing, consequence: Consequence, terms: Terms) -> Figures | None:
    """``consequence`` applied to ``standing`` under ``terms``; None when the standing has a problem."""
    old = standing.monthly
    if old is None:
        return None
    old_annual = terms.annual(old)
    old_step = new_step = None
    missed = 0
    if standing.on_scale:
        old_step = standing.step
        new_step = min(old_step + consequence.steps, standing.top)
        missed = old_step + consequence.steps - new_step
        new = standing.steps[new_step]
    else:
        new = cents(old * (1 + Decimal(consequence.raise_percent) / HUNDRED))
    top_one_off = cents(old_annual * Decimal(consequence.top_one_off_percent) * missed / HUNDRED)
    one_off = cents(old_annual * Decimal(consequence.one_off_percent) / HUNDRED) + top_one_off
    return Figures(
        old_monthly=old,
        new_monthly=new,
        increase_month=new - old,
        increase_year=terms.annual(new) - old_annual,
        one_off=one_off,
        top_one_off=top_one_off,
        old_step=old_step,
        new_step=new_step,
        steps_missed=missed,
    )
