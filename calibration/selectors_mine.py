"""Read queries of a manager's own page: their proposed outcomes beside the organisation's, and HR's moves of them.

The page compares one manager with the organisation as a whole, never with another manager: the only rows it reads
per person are the viewer's own reviews (Review.manager), and the organisation's figures are totals per band. A
fixed number of queries whatever the number of reviews and moves: the cycles, the bands, two aggregates each for
the viewer and the organisation (calibration.distribution), and a page of moves (calibration.selectors_moves).
"""

from dataclasses import dataclass
from decimal import Decimal

from cycles.models import Cycle, CycleStatus
from organizations.models import Employee
from reviews.models import OutcomeBand, Review

from .distribution import Distribution, bands_of, by_manager, organization_distribution


def cycles_with_reviews(*, organization_id: int) -> list[Cycle]:
    """The organisation's cycles that have reviews, newest first: one query (a cycle a year: no paging needed)."""
    reviewed = Review.objects.filter(organization_id=organization_id).values("cycle_id")
    return list(Cycle.objects.filter(organization_id=organization_id, pk__in=reviewed).order_by("-starts_on", "-pk"))


def chosen_cycle(*, cycles: list[Cycle], requested) -> Cycle | None:
    """The cycle asked for (``?cycle=<id>``) among ``cycles``; without one, the newest active, else the newest.

    None when ``requested`` is not among them (the view answers 404) or there are no cycles.
    """
    if requested:
        return next((cycle for cycle in cycles if str(cycle.pk) == str(requested)), None)
    active = [cycle for cycle in cycles if cycle.status == CycleStatus.ACTIVE]
    return (active or cycles or [None])[0]


@dataclass(frozen=True)
class BandRow:
    """One outcome band: the viewer's count and share beside the organisation's."""

    band: OutcomeBand
    mine: int
    mine_share: Decimal
    organization: int
    organization_share: Decimal


@dataclass(frozen=True)
class Comparison:
    """The viewer's spread of proposed outcomes in one cycle, beside the organisation's."""

    rows: list[BandRow]
    mine: Distribution
    organization: Distribution

    @property
    def has_mine(self) -> bool:
        return self.mine.total > 0


def comparison(*, cycle: Cycle, viewer: Employee) -> Comparison:
    """Per band of ``cycle`` (low to high), the proposed outcomes of the reviews ``viewer`` writes and the
    organisation's, counted as pay and calibration count them (the latest review with an outcome per person)."""
    bands = bands_of(cycle=cycle)
    mine = by_manager(cycle=cycle, manager_id=viewer.pk).get(viewer.pk, Distribution())
    everyone = organization_distribution(cycle=cycle)
    rows = [
        BandRow(
            band=band,
            mine=mine.count(band.pk),
            mine_share=mine.share(band.pk),
            organization=everyone.count(band.pk),
            organization_share=everyone.share(band.pk),
        )
        for band in bands
    ]
    return Comparison(rows=rows, mine=mine, organization=everyone)
