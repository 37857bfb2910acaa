"""Reading a cycle's pay table: its published versions, its draft, and the state of each cycle's table for HR.

A cycle's pay table is a handful of versions of a handful of rules (one per outcome band, at most five), so
each function here reads all of a cycle's versions at once: a fixed number of queries however many versions
there are. The latest published version is what everyone reads (pay.standing.published_table); the draft
(``published_at`` empty) is HR's alone.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, Value, When

from cycles.models import Cycle, CycleStatus
from cycles.services import people_in_scope
from organizations.models import Organization
from reviews import scales

from .models import PayRule, PayTable

# --- for other pages (the employee's page says "changed on <date>") ---------------------------------------------


@dataclass(frozen=True)
class Version:
    number: int
    published_at: datetime.datetime


def versions(*, cycle: Cycle) -> list[Version]:
    """The published versions of ``cycle``'s pay table, newest first: one query."""
    rows = (
        PayTable.objects.filter(organization_id=cycle.organization_id, cycle=cycle, published_at__isnull=False)
        .order_by("-version")
        .values_list("version", "published_at")
    )
    return [Version(number=number, published_at=published_at) for number, published_at in rows]


def changed_at(*, cycle: Cycle) -> datetime.datetime | None:
    """When the version everyone reads was published, if it replaced an earlier one (version > 1); else None."""
    latest = (
        PayTable.objects.filter(organization_id=cycle.organization_id, cycle=cycle, published_at__isnull=False)
        .order_by("-version")
        .values_list("version", "published_at")
        .first()
    )
    if latest is None or latest[0] <= 1:
        return None
    return latest[1]


# --- one cycle's pay table, for HR ------------------------------------------------------------------------------


def _rules():
    return Prefetch("rules", queryset=PayRule.objects.select_related("band").order_by("band__position"))


@dataclass
class TablePage:
    """Everything the pay table page shows of one cycle, read in four queries."""

    bands: list  # the cycle's outcome bands, low to high
    published: PayTable | None  # the version everyone reads
    history: list  # every published version, newest first (``published`` is the first)
    draft: PayTable | None
    rules_by_band: dict = field(default_factory=dict)  # of ``published``: band id -> PayRule

    @property
    def bands_without_rule(self) -> list:
        """The cycle's bands the published version gives no consequence (bands added after publishing)."""
        if self.published is None:
            return []
        return [band for band in self.bands if band.pk not in self.rules_by_band]

    @property
    def published_rows(self) -> list:
        """``(band, rule or None)`` per band of the cycle, low to high, in the version everyone reads."""
        return [(band, self.rules_by_band.get(band.pk)) for band in self.bands]

    @property
    def draft_rows(self) -> list:
        """``(band, rule or None)`` per band of the cycle in the draft (None: a band added since it was saved)."""
        rules = {rule.band_id: rule for rule in self.draft.rules.all()} if self.draft else {}
        return [(band, rules.get(band.pk)) for band in self.bands]

    @property
    def history_rows(self) -> list:
        """``(version, [(band, rule), ...])`` per published version, newest first, as each was published."""
        return [(table, [(rule.band, rule) for rule in table.rules.all()]) for table in self.history]


def table_page(*, cycle: Cycle) -> TablePage:
    """``cycle``'s bands, every version of its pay table (with who published it and its rules) and its draft."""
    bands = scales.cycle_bands(cycle=cycle)
    tables = list(
        PayTable.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
        .select_related("published_by")
        .prefetch_related(_rules())
        .order_by("-version")
    )
    history = [table for table in tables if table.is_published]
    draft = next((table for table in tables if not table.is_published), None)
    published = history[0] if history else None
    rules = {rule.band_id: rule for rule in published.rules.all()} if published else {}
    return TablePage(bands=bands, published=published, history=history, draft=draft, rules_by_band=rules)


def edit_source(*, cycle: Cycle) -> PayTable | None:
    """What the edit form starts from: the draft, else the latest published version (a copy is made on save)."""
    return (
        PayTable.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
        .annotate(is_draft=Case(When(published_at__isnull=True, then=Value(0)), default=Value(1)))
        .order_by("is_draft", "-version")
        .prefetch_related(_rules())
        .first()
    )


def readers(*, cycle: Cycle) -> int:
    """How many people read ``cycle``'s pay table: the active people the cycle is for (as its activation counts)."""
    return people_in_scope(cycle).count()


# --- every cycle, for HR's overview -----------------------------------------------------------------------------


@dataclass
class CycleTable:
    """One cycle on HR's overview and the state of its pay table."""

    cycle: Cycle
    published: int | None = None  # the latest published version
    published_at: datetime.datetime | None = None
    draft: int | None = None  # the draft's version
    links: list = field(default_factory=list)  # (label, address), filled by the view


def cycles_overview(*, organization: Organization) -> list[CycleTable]:
    """The organisation's cycles (being prepared and active first, then closed; newest first), each with the state
    of its pay table. Two queries, whatever the number of cycles (an organisation has a few)."""
    cycles = list(
        Cycle.objects.filter(organization=organization)
        .select_related("organization")
        .annotate(
            closed=Case(When(status=CycleStatus.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .order_by("closed", "-starts_on", "-pk")
    )
    rows = {cycle.pk: CycleTable(cycle=cycle) for cycle in cycles}
    tables = PayTable.objects.filter(organization=organization, cycle__in=rows).values_list(
        "cycle_id", "version", "published_at"
    )
    for cycle_id, version, published_at in tables:
        row = rows[cycle_id]
        if published_at is None:
            row.draft = version
        elif row.published is None or version > row.published:
            row.published, row.published_at = version, published_at
    return list(rows.values())
