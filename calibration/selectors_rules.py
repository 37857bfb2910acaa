"""What "The rules here" reads: the rules that bind every manager in the organisation's current cycle.

The current cycle is the newest active one, else the latest closed one; a cycle being prepared is not in force
yet, so it is never shown. Everything comes in a fixed number of queries whatever the organisation's size: the
cycle, its moments, what does not count, the scale, the bands, the published pay table (three: the table, its
rules, their bands) and, once the cycle is closed, the finalised outcomes per band (two aggregates).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from cycles.models import Cycle, CycleStatus, Moment
from cycles.selectors_year import organization_cycle
from expectations.models import NotCounted
from organizations.models import Organization
from pay.models import PayRule, PayTable
from pay.standing import published_table
from reviews import scales
from reviews.models import OutcomeBand, RatingLevel

from .distribution import organization_distribution

# The organisation's spread of outcomes is shown from this many people on, so nobody can be recognised in it.
FEWEST_SHOWN = 5


@dataclass
class BandShare:
    band: OutcomeBand
    count: int
    share: Decimal  # percent, one decimal


@dataclass
class Spread:
    """The finalised outcomes of a closed cycle per band; ``shown`` only from FEWEST_SHOWN people on."""

    total: int
    bands: list[BandShare] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.total >= FEWEST_SHOWN


@dataclass
class Consequence:
    """One band of the pay table: its rule, or None when the published table says nothing for it."""

    band: OutcomeBand
    rule: PayRule | None


@dataclass
class Rules:
    """Everything the page states, for ``cycle`` (None: no cycle is active or closed yet)."""

    cycle: Cycle | None
    cap: int
    not_counted: list[NotCounted]
    levels: list[RatingLevel]
    moments: list[Moment] = field(default_factory=list)
    bands: list[OutcomeBand] = field(default_factory=list)
    pay_table: PayTable | None = None
    consequences: list[Consequence] = field(default_factory=list)
    spread: Spread | None = None  # only once the cycle is closed

    @property
    def is_closed(self) -> bool:
        return self.cycle is not None and self.cycle.status == CycleStatus.CLOSED


def current_cycle(*, organization: Organization) -> Cycle | None:
    """The active cycle whose dates hold today, else the nearest active or closed one (cycles.selectors_year, as my
    year picks it); None when there is none: one query."""
    return organization_cycle(organization=organization)


def spread_of(*, cycle: Cycle, bands: list[OutcomeBand]) -> Spread:
    """The organisation's finalised outcomes of ``cycle`` per band, low to high: two aggregate queries."""
    distribution = organization_distribution(cycle=cycle, finalised_only=True)
    return Spread(
        total=distribution.total,
        bands=[BandShare(band, distribution.count(band.pk), distribution.share(band.pk)) for band in bands],
    )


def rules_here(*, organization: Organization) -> Rules:
    """The rules of the organisation's current cycle (see :func:`current_cycle`), as "The rules here" states them.

    Without a current cycle: the cap, what does not count and the organisation's rating scale.
    """
    cycle = current_cycle(organization=organization)
    not_counted = list(NotCounted.objects.filter(organization=organization).order_by("order", "pk"))
    if cycle is None:
        return Rules(
            cycle=None,
            cap=organization.expectation_cap,
            not_counted=not_counted,
            levels=scales.organization_levels(organization_id=organization.pk),
        )
    bands = scales.cycle_bands(cycle=cycle)
    pay_table = published_table(cycle=cycle)
    by_band = {rule.band_id: rule for rule in pay_table.rules.all()} if pay_table is not None else {}
    return Rules(
        cycle=cycle,
        cap=organization.expectation_cap,
        not_counted=not_counted,
        levels=scales.cycle_levels(cycle=cycle),
        moments=list(
            Moment.objects.filter(organization=organization, cycle=cycle).order_by("opens_on", "closes_on", "pk")
        ),
        bands=bands,
        pay_table=pay_table,
        consequences=[Consequence(band, by_band.get(band.pk)) for band in bands] if pay_table is not None else [],
        spread=spread_of(cycle=cycle, bands=bands) if cycle.status == CycleStatus.CLOSED else None,
    )
