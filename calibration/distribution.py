"""How a cycle's proposed outcomes are spread over its outcome bands: in the organisation, per manager, per team.

The reviews counted are pay's: per person of the cycle, their latest review with an outcome (band), in any state
(pay.selectors_budget.counted_reviews), so calibration, the budget and the export always count the same reviews.
Every function is one or two aggregate queries in the database, whatever the number of reviews.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, QuerySet

from cycles.models import Cycle
from pay.selectors_budget import counted_reviews
from reviews import scales
from reviews.models import OutcomeBand, ReviewState

from .cache import remembered

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


@dataclass
class Distribution:
    """Counts per band (by band id) of one group of reviews, with their shares in percent (one decimal)."""

    counts: dict[int, int] = field(default_factory=dict)
    average_score: Decimal | None = None  # the average weighted score of the group's scored reviews

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, band_id: int) -> int:
        return self.counts.get(band_id, 0)

    def share(self, band_id: int) -> Decimal:
        """The band's share of the group, in percent with one decimal, rounded half up; 0 for an empty group."""
        if not self.total:
            return Decimal(0)
        return (HUNDRED * self.count(band_id) / self.total).quantize(TENTH, rounding=ROUND_HALF_UP)


def reviews_in(*, cycle: Cycle) -> QuerySet:
    """The reviews calibration counts in ``cycle``: per person, their latest review with an outcome."""
    return counted_reviews(cycle=cycle)


def bands_of(*, cycle: Cycle) -> list[OutcomeBand]:
    """The cycle's outcome bands, low to high (the bottom band first, the top band last)."""
    return scales.cycle_bands(cycle=cycle)


def _grouped(rows: QuerySet, key: str | None) -> dict:
    """``{group: Distribution}`` from ``rows`` grouped by ``key`` (None: one group, key None): two queries."""
    names = [key] if key else []
    distributions: dict = {}
    for *group, band_id, count in rows.values_list(*names, "band_id").annotate(n=Count("pk")).order_by():
        distributions.setdefault(group[0] if key else None, Distribution()).counts[band_id] = count
    if key:
        averages = rows.values_list(key).annotate(average=Avg("score")).order_by()
    else:  # values_list() without a field would group by every column: one aggregate instead
        averages = [(None, rows.aggregate(average=Avg("score"))["average"])]
    for group, average in averages:
        found = distributions.setdefault(group, Distribution())
        found.average_score = None if average is None else Decimal(average).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return distributions


def organization_distribution(*, cycle: Cycle, finalised_only: bool = False) -> Distribution:
    """The whole organisation's spread of ``cycle``'s proposed outcomes (or only the finalised ones); kept while
    the cycle's reviews do not change (calibration.cache), as every manager's page compares with it."""

    def compute() -> Distribution:
        rows = reviews_in(cycle=cycle)
        if finalised_only:
            rows = rows.filter(state=ReviewState.FINALISED)
        return _grouped(rows, None).get(None, Distribution())

    return remembered(cycle=cycle, name="organization", extra=str(finalised_only), compute=compute)


def by_manager(*, cycle: Cycle, manager_id: int | None = None) -> dict[int, Distribution]:
    """``{manager id: Distribution}`` of the reviews each manager writes (only ``manager_id``'s when given)."""
    rows = reviews_in(cycle=cycle)
    if manager_id is not None:
        rows = rows.filter(manager_id=manager_id)
    return _grouped(rows, "manager_id")


def by_team(*, cycle: Cycle) -> dict[int | None, Distribution]:
    """``{team id (None: no team): Distribution}`` by the team of the person reviewed."""
    return _grouped(reviews_in(cycle=cycle), "employee__team_id")
