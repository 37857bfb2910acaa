"""Read queries for the rating scale, the outcome bands, the published rule and HR's list of a cycle's reviews.

Each returns rows of one organisation with what its page shows already fetched,
in a number of queries that does not grow with the rows: the rule page reads the
scales and bands of all the person's cycles in two queries, the list of a cycle's
reviews counts with one aggregate and pages its rows with only the columns shown.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q

from cycles.models import Conversation, ConversationState, Cycle, CycleStatus
from expectations.selectors import applicable_expectations
from organizations.models import Employee, Organization

from . import scales
from .models import OutcomeBand, RatingLevel, Review, ReviewState
from .outcome import band_for, weighted_score
from .rules_config import SHARED_STATES

PER_PAGE = 50
# Shared: a state after the draft, or shared once and reopened since (the employee saw an outcome).
SHARED = Q(state__in=SHARED_STATES) | Q(shared_at__isnull=False)


# --- the scale and the bands -----------------------------------------------------------------------------------


def has_shared_review(*, cycle: Cycle) -> bool:
    """Whether an employee has seen an outcome of ``cycle``: from then on its bands are fixed."""
    return Review.objects.filter(SHARED, organization_id=cycle.organization_id, cycle=cycle).exists()


def cycles_for_bands(*, organization: Organization):
    """The organisation's cycles, each with ``has_shared_review`` (what rules_config.bands_open reads)."""
    shared = Review.objects.filter(SHARED, organization_id=organization.pk, cycle=OuterRef("pk"))
    return (
        Cycle.objects.filter(organization=organization)
        .select_related("organization")
        .annotate(has_shared_review=Exists(shared))
    )


def scale_of(*, cycle: Cycle) -> list[RatingLevel]:
    """The scale ``cycle`` rates on: its own copy once active, the organisation's while it is being prepared.

    A cycle being prepared gets no copy yet: it copies the scale as it is on the day it is activated.
    """
    if cycle.status == CycleStatus.DRAFT:
        return scales.organization_levels(organization_id=cycle.organization_id)
    return scales.cycle_levels(cycle=cycle)


@dataclass
class CycleCopy:
    """A cycle and the scale it keeps (names and values only), compared with the organisation's scale now."""

    cycle: Cycle
    levels: list
    same_as_now: bool


def open_cycles(*, organization: Organization, levels: list[RatingLevel]) -> tuple[list[CycleCopy], list[Cycle]]:
    """The active cycles with their copy of the scale, and the cycles being prepared: three queries in all.

    ``levels`` is the organisation's scale, to tell whether a copy still reads the same.
    """
    rows = list(
        Cycle.objects.filter(organization=organization, status__in=(CycleStatus.ACTIVE, CycleStatus.DRAFT))
        .only("pk", "name", "status", "starts_on", "organization_id")
        .order_by("-starts_on", "name")
    )
    active = [cycle for cycle in rows if cycle.status == CycleStatus.ACTIVE]
    copies = defaultdict(list)
    for level in RatingLevel.objects.filter(organization=organization, cycle__in=active).only(
        "cycle_id", "value", "label_nl", "label_en"
    ):
        copies[level.cycle_id].append(level)
    now = [(level.value, level.label_nl, level.label_en) for level in levels]
    result = []
    for cycle in active:
        copy = sorted(copies[cycle.pk], key=lambda level: level.value)
        result.append(CycleCopy(cycle, copy, same_as_now=[(lv.value, lv.label_nl, lv.label_en) for lv in copy] == now))
    return result, [cycle for cycle in rows if cycle.status == CycleStatus.DRAFT]


# --- the published rule ----------------------------------------------------------------------------------------


@dataclass
class ExampleRow:
    title: str
    weight: int
    level: RatingLevel

    @property
    def product(self) -> int:
        return self.level.value * self.weight


@dataclass
class CycleRule:
    """One cycle's rule as the rule page shows it: its scale, its bands, and the worked example."""

    cycle: Cycle
    levels: list
    bands: list
    example: list = field(default_factory=list)
    total_weight: int = 0
    total_product: int = 0
    score: Decimal | None = None
    band: OutcomeBand | None = None


def rule_cycles(*, employee: Employee) -> list[Cycle]:
    """The active cycles ``employee`` has a conversation in; else the organisation's latest active cycle; else none."""
    active = Cycle.objects.filter(organization_id=employee.organization_id, status=CycleStatus.ACTIVE)
    mine = Conversation.objects.filter(
        organization_id=employee.organization_id, employee=employee, moment__cycle=OuterRef("pk")
    )
    cycles = list(active.filter(Exists(mine)).order_by("-starts_on", "name"))
    if not cycles:
        cycles = list(active.order_by("-starts_on", "-pk")[:1])
    return cycles


def example_levels(levels: list) -> list:
    """The levels the worked example gives in turn: the one above the middle, then the middle one, and so on.

    An example, not a prediction: it shows the arithmetic with ratings most people will recognise.
    """
    if not levels:
        return []
    middle = (len(levels) - 1) // 2
    return [levels[min(middle + 1, len(levels) - 1)], levels[middle]]


def outcome_rule(*, employee: Employee) -> tuple[list[CycleRule], list]:
    """The rule of each of ``employee``'s cycles (see rule_cycles), with a worked example on their own expectations.

    Returns the cycles' rules and the person's applicable expectations. The scales and bands of all the cycles
    come in two queries; a cycle activated before reviews existed gets its copy here, the first time.
    """
    cycles = rule_cycles(employee=employee)
    ids = [cycle.pk for cycle in cycles]
    levels, bands = defaultdict(list), defaultdict(list)
    for level in RatingLevel.objects.filter(organization_id=employee.organization_id, cycle_id__in=ids):
        levels[level.cycle_id].append(level)
    for band in OutcomeBand.objects.filter(organization_id=employee.organization_id, cycle_id__in=ids):
        bands[band.cycle_id].append(band)
    expectations = list(applicable_expectations(employee=employee))
    rules = []
    for cycle in cycles:
        cycle_levels = sorted(levels[cycle.pk], key=lambda level: level.value) or scales.cycle_levels(cycle=cycle)
        cycle_bands = sorted(bands[cycle.pk], key=lambda band: band.position) or scales.cycle_bands(cycle=cycle)
        rules.append(_with_example(CycleRule(cycle, cycle_levels, cycle_bands), expectations))
    return rules, expectations


def _with_example(rule: CycleRule, expectations: list) -> CycleRule:
    turns = example_levels(rule.levels)
    if not turns:
        return rule
    rule.example = [
        ExampleRow(
            title=expectation.current_version.local_title if expectation.current_version_id else str(expectation),
            weight=expectation.current_version.weight if expectation.current_version_id else 0,
            level=turns[number % len(turns)],
        )
        for number, expectation in enumerate(expectations)
    ]
    rule.total_weight = sum(row.weight for row in rule.example)
    rule.total_product = sum(row.product for row in rule.example)
    rule.score = weighted_score((row.level.value, row.weight) for row in rule.example)
    rule.band = band_for(rule.score, rule.bands)
    return rule


# --- HR's list of a cycle's reviews ----------------------------------------------------------------------------


def review_counts(*, cycle: Cycle) -> dict:
    """How many reviews of ``cycle`` are in each state, how many in all and how many deviate: one query.

    Reads the index review_cycle_state_idx (organization, cycle, state).
    """
    counts = {state: Count("pk", filter=Q(state=state)) for state in ReviewState.values}
    return Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle).aggregate(
        total=Count("pk"),
        deviating=Count("pk", filter=Q(band__isnull=False) & ~Q(band=F("computed_band"))),
        **counts,
    )


def conversations_without_review(*, cycle: Cycle) -> int:
    """The cycle's assessment conversations (of a moment that produces a rating), not cancelled, without a review."""
    return (
        Conversation.objects.filter(
            organization_id=cycle.organization_id,
            moment__cycle=cycle,
            moment__produces_rating=True,
            review__isnull=True,
        )
        .exclude(state=ConversationState.CANCELLED)
        .count()
    )


def cycle_reviews(*, cycle: Cycle, state: str = "", page: str | int | None = 1) -> Page:
    """One page (of PER_PAGE) of ``cycle``'s reviews, by person, with only the columns the list shows.

    Among them whether the person disagrees (``employee_disagrees``), which HR reads before finalising.

    ``state`` narrows to one state (empty: all). A page number that is not one gives the first or last page.
    """
    rows = (
        # The employee's organisation too, though implied: with an index on the employee's (organization, sort_name)
        # PostgreSQL walks the people in name order and stops after one page instead of sorting the whole cycle.
        Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
        .filter(employee__organization_id=cycle.organization_id)
        .select_related("employee", "manager", "band")
        .only(
            "state",
            "employee",
            "manager",
            "band",
            "computed_band",
            "employee_disagrees",
            "employee__first_name",
            "employee__last_name",
            "manager__first_name",
            "manager__last_name",
            "band__name_nl",
            "band__name_en",
        )
        .order_by("employee__sort_name", "pk")
    )
    if state:
        rows = rows.filter(state=state)
    return Paginator(rows, PER_PAGE).get_page(page)
