"""What a cycle's proposed outcomes cost, in total and per team, against the budgets HR entered.

Whose outcome counts: per person, their latest review of the cycle with a band (by the time of its conversation,
one never scheduled after those that were; the newest review first on a tie): :func:`counted_reviews`. The band
may be in any state of the review, so the budget follows the reviews while managers write them and HR moves them.

The figures are pay.outcomes.figures, the one computation, applied to where each person stands in the salary table
in force on the effective date (pay.standing). At 10,000 people the budget stays a fixed number of queries and
no Python object per person: the database groups the counted reviews by team, placement (scale and step, or the
salary outside the scales) and band, with a count; figures() runs once per distinct (scale, step, salary, band)
and is multiplied by the count. The total is the sum of the same groups as the teams, so the two always agree.
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from core.cache import fingerprint, remembered
from cycles.models import Conversation, ConversationState, Cycle
from organizations.models import Employee
from reviews.models import Review, ReviewState

from .models import PayBudget, PayTable, Placement, SalaryTable
from .outcomes import Consequence, Figures, Problem, Terms, figures
from .standing import (
    consequence_of,
    published_table,
    scale_steps,
    standing_from,
    table_in_force,
    terms_of,
)

PER_PAGE = 50
ZERO = Decimal("0.00")


def counted_reviews(*, cycle: Cycle, team_id: int | None = None, finalised_only: bool = False) -> QuerySet:
    """Per person of ``cycle``, the one review whose band counts: their latest with a band.

    Latest by the conversation's scheduled time (one never scheduled comes after those that were), then the newest
    review. ``finalised_only`` picks among finalised reviews instead (the payroll export). ``team_id`` narrows to
    one team's people. The latest is numbered with a window function over the cycle's reviews (one sort of them),
    not a subquery per review: 11 ms instead of 22 ms for 7,800 reviews on PostgreSQL.
    """
    candidates = Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle, band__isnull=False)
    if finalised_only:
        candidates = candidates.filter(state=ReviewState.FINALISED)
    ranked = candidates.annotate(
        latest=Window(
            RowNumber(),
            partition_by=[F("employee_id")],
            order_by=[F("conversation__scheduled_at").desc(nulls_last=True), F("pk").desc()],
        )
    )
    rows = candidates.filter(pk__in=ranked.filter(latest=1).values("pk"))
    if team_id is not None:
        rows = rows.filter(employee__team_id=team_id)
    return rows


def people_in_cycle(*, cycle: Cycle) -> QuerySet:
    """The organisation's people in ``cycle``: with an assessment conversation (not cancelled) or a review of it."""
    conversation = (
        Conversation.objects.filter(
            organization_id=cycle.organization_id,
            moment__cycle=cycle,
            moment__produces_rating=True,
            employee=OuterRef("pk"),
        )
        .exclude(state=ConversationState.CANCELLED)
        .values("pk")
    )
    review = Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle, employee=OuterRef("pk"))
    return Employee.objects.filter(organization_id=cycle.organization_id).filter(
        Q(Exists(conversation)) | Q(Exists(review.values("pk")))
    )


# The columns of a placement the budget groups by (through the review's employee).
PLACEMENT = {
    "scale_id": "employee__pay_placement__scale_id",
    "scale_name": "employee__pay_placement__scale__name",
    "step": "employee__pay_placement__step",
    "salary": "employee__pay_placement__monthly_salary",
}


@dataclass
class Costs:
    """What the proposed outcomes of a group of people (a team, everyone) cost, and who could not be costed."""

    people: int = 0  # with a proposed outcome
    counted: int = 0  # of those, costed
    not_placed: int = 0
    step_missing: int = 0
    no_salary_table: int = 0  # on a scale, but no salary table applies on the effective date
    no_rule: int = 0  # their band has no consequence in a published pay table
    increase_month: Decimal = ZERO
    increase_year: Decimal = ZERO
    one_off: Decimal = ZERO
    budget: Decimal | None = None

    @property
    def cost(self) -> Decimal:
        """The cost in the first year: the increases for a year and the one-off payments."""
        return self.increase_year + self.one_off

    @property
    def not_counted(self) -> int:
        return self.people - self.counted

    @property
    def difference(self) -> Decimal | None:
        """The budget minus the cost (negative: over budget); None without a budget."""
        return None if self.budget is None else self.budget - self.cost

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.cost > self.budget

    @property
    def overrun(self) -> Decimal:
        """By how much the cost exceeds the budget (positive), for "over budget by …"."""
        return -self.difference if self.over_budget else ZERO

    def add(self, *, people: int, figures_: Figures | None, reason: str) -> None:
        """Count ``people`` who share one placement and one band: costed with ``figures_``, or not for ``reason``."""
        self.people += people
        if figures_ is None:
            setattr(self, reason, getattr(self, reason) + people)
            return
        self.counted += people
        self.increase_month += figures_.increase_month * people
        self.increase_year += figures_.increase_year * people
        self.one_off += figures_.one_off * people


@dataclass
class TeamCosts(Costs):
    team_id: int | None = None  # None: the people without a team
    name: str = ""
    in_cycle: int = 0  # people of the team in the cycle
    without_outcome: int = 0  # of those, without a proposed outcome yet


@dataclass
class Budget:
    """A cycle's budget page: the terms and tables it rests on, the total and every team (see :func:`budget_of`)."""

    cycle: Cycle
    terms: Terms
    pay_table: PayTable | None
    salary_table: SalaryTable | None
    total: Costs
    teams: list[TeamCosts] = field(default_factory=list)
    in_cycle: int = 0
    without_outcome: int = 0

    @property
    def effective_on(self) -> datetime.date:
        return self.terms.effective_on

    def team_page(self, number) -> Page:
        """One page (of PER_PAGE) of the teams, by name, the people without a team last."""
        return Paginator(self.teams, PER_PAGE).get_page(number)


class Costing:
    """Figures for one cycle, once per distinct placement and band: what the budget and the export share.

    Built in a fixed number of queries (the published pay table with its rules, the settings only when the version
    does not keep its terms, the salary table in force on the effective date and its steps); :meth:`figures_for`
    runs no query.
    """

    def __init__(self, *, cycle: Cycle):
        self.cycle = cycle
        self.pay_table = published_table(cycle=cycle)
        self.terms = terms_of(cycle=cycle, pay_table=self.pay_table)
        self.salary_table = table_in_force(organization_id=cycle.organization_id, on=self.terms.effective_on)
        self.steps_by_scale = scale_steps(table=self.salary_table)
        self.consequences: dict[int, Consequence] = {}
        if self.pay_table is not None:
            self.consequences = {
                rule.band_id: consequence_of(rule, self.pay_table) for rule in self.pay_table.rules.all()
            }
        self._memo: dict[tuple, tuple] = {}

    def standing(self, *, scale_id, scale_name, step, salary):
        return standing_from(
            scale_id=scale_id,
            scale_name=scale_name or "",
            step=step,
            salary=salary,
            steps_by_scale=self.steps_by_scale,
            has_table=self.salary_table is not None,
        )

    def figures_for(self, *, scale_id, scale_name, step, salary, band_id) -> tuple[object, Figures | None, str]:
        """(the Standing, its Figures or None, and why not: a Costs field name) for one placement and band."""
        key = (scale_id, step, salary, band_id)
        if key not in self._memo:
            standing = self.standing(scale_id=scale_id, scale_name=scale_name, step=step, salary=salary)
            consequence = self.consequences.get(band_id)
            reason = {
                Problem.NOT_PLACED: "not_placed",
                Problem.STEP_MISSING: "step_missing",
                Problem.NO_TABLE: "no_salary_table",
            }.get(standing.problem, "")
            if not reason and consequence is None:
                reason = "no_rule"
            result = None if reason else figures(standing, consequence, self.terms)
            self._memo[key] = (standing, result, reason)
        return self._memo[key]


def _grouped(*, cycle: Cycle, team_id: int | None) -> Iterable[dict]:
    """The counted reviews by team, placement and band, with how many people each: one query, few rows."""
    return (
        counted_reviews(cycle=cycle, team_id=team_id)
        .values("employee__team_id", "band_id", *PLACEMENT.values())
        .annotate(people=Count("pk"))
        .order_by()
    )


def _people(*, cycle: Cycle, team_id: int | None) -> Iterable[dict]:
    """Per team (with its name), the people in the cycle and how many of them have no proposed outcome: one query."""
    with_band = Review.objects.filter(
        organization_id=cycle.organization_id, cycle=cycle, band__isnull=False, employee=OuterRef("pk")
    )
    rows = people_in_cycle(cycle=cycle)
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    return (
        rows.values("team_id", "team__name")
        .annotate(in_cycle=Count("pk"), without=Count("pk", filter=~Q(Exists(with_band.values("pk")))))
        .order_by()
    )


def budget_of(*, cycle: Cycle, team_id: int | None = None) -> Budget:
    """The cost of ``cycle``'s proposed outcomes in total and per team, against the budgets (``team_id``: one team).

    A fixed number of queries whatever the number of people and teams: Costing's (pay table, its rules, the
    settings when the version keeps no terms, the salary table, its steps), the grouped reviews, the people per
    team and the budgets. The costs (everything but the budgets) are kept while nothing they are made of changes
    (see :func:`_costs_key`); the budgets HR enters are read every time.
    """
    costing = Costing(cycle=cycle)
    total, ordered = remembered(
        _costs_key(cycle=cycle, team_id=team_id, costing=costing),
        lambda: _costs(cycle=cycle, team_id=team_id, costing=costing),
        seconds=settings.BUDGET_CACHE_SECONDS,
    )
    teams = {row.team_id: row for row in ordered}
    budgets = PayBudget.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
    if team_id is not None:
        budgets = budgets.filter(team_id=team_id)
    for budget_team_id, amount in budgets.values_list("team_id", "amount"):
        if budget_team_id is None:
            total.budget = amount
        elif budget_team_id in teams:
            teams[budget_team_id].budget = amount
    return Budget(
        cycle=cycle,
        terms=costing.terms,
        pay_table=costing.pay_table,
        salary_table=costing.salary_table,
        total=total,
        teams=ordered,
        in_cycle=sum(row.in_cycle for row in ordered),
        without_outcome=sum(row.without_outcome for row in ordered),
    )


def _costs_key(*, cycle: Cycle, team_id: int | None, costing: Costing) -> str:
    """The cache key of a cycle's costs: it changes with the cycle's reviews (a band proposed, moved, a review
    added), the organisation's placements, and what Costing read (the pay table and its rules, the terms, the
    salary table and its amounts). Two aggregate queries. What it does not see (a person moving to another team,
    deactivated) shows within ``BUDGET_CACHE_SECONDS``."""
    reviews = fingerprint(Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle))
    placements = fingerprint(Placement.objects.filter(organization_id=cycle.organization_id))
    read = repr(
        (
            costing.pay_table.pk if costing.pay_table else None,
            sorted(costing.consequences.items()),
            costing.terms,
            costing.salary_table.pk if costing.salary_table else None,
            sorted((scale, sorted(steps.items())) for scale, steps in costing.steps_by_scale.items()),
        )
    )
    digest = hashlib.sha256(read.encode()).hexdigest()[:16]
    return f"pay.budget.{cycle.organization_id}.{cycle.pk}.{team_id}.{reviews}.{placements}.{digest}"


def _costs(*, cycle: Cycle, team_id: int | None, costing: Costing) -> tuple[Costs, list[TeamCosts]]:
    """The total and per team costs of ``cycle``'s counted reviews, without budgets: two queries."""
    total = Costs()
    teams: dict[int | None, TeamCosts] = {}

    def team(team_id, name=""):
        if team_id not in teams:
            teams[team_id] = TeamCosts(team_id=team_id, name=name)
        return teams[team_id]

    for row in _people(cycle=cycle, team_id=team_id):
        found = team(row["team_id"], row["team__name"] or "")
        found.in_cycle, found.without_outcome = row["in_cycle"], row["without"]
    for row in _grouped(cycle=cycle, team_id=team_id):
        _standing, result, reason = costing.figures_for(
            scale_id=row[PLACEMENT["scale_id"]],
            scale_name=row[PLACEMENT["scale_name"]],
            step=row[PLACEMENT["step"]],
            salary=row[PLACEMENT["salary"]],
            band_id=row["band_id"],
        )
        for costs in (total, team(row["employee__team_id"])):
            costs.add(people=row["people"], figures_=result, reason=reason)
    ordered = sorted(
        teams.values(), key=lambda row: (row.team_id is None, row.name.casefold(), row.name, row.team_id or 0)
    )
    return total, ordered


def team_budget(*, cycle: Cycle, team_id: int) -> TeamCosts:
    """One team's costs in ``cycle`` with its budget (an empty row when nobody of the team is in the cycle)."""
    found = next((row for row in budget_of(cycle=cycle, team_id=team_id).teams if row.team_id == team_id), None)
    if found is None:
        found = TeamCosts(team_id=team_id)
        found.budget = (
            PayBudget.objects.filter(organization_id=cycle.organization_id, cycle=cycle, team_id=team_id)
            .values_list("amount", flat=True)
            .first()
        )
    return found
