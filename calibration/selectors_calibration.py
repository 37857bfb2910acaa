"""What HR's calibration page of a cycle reads, and the rows of the calibration export.

The page is a summary (:func:`summary_of`: the organisation's spread, every manager's, the flags' counts) and one
list, chosen with ``?show=`` (:class:`Show`), paged by PER_PAGE. Everything is counted in the database
(calibration.distribution, calibration.flags), so the page makes the same number of queries for 20 reviews as for
20,000: seven for the summary, one to three for the list (a list the summary counted is not counted again). Names
are read for the rows of the page only.

At 10,000 people (the large demo: about 7,800 counted reviews, 34,000 ratings, 18,000 cited observations) every
query reads through indexes: the counted reviews through the cycle's reviews (pay.selectors_budget), the ratings
through their review's foreign key index, the evidence through its rating's, the observations and conversations by
primary key. EXPLAIN ANALYZE on PostgreSQL 15 (7,800 counted reviews): 0.18 s for the counts per manager
(flags.counts_by_manager: three correlated subqueries per review, all nested loops over those indexes, no
sequential scan but the one pass over the cycle's reviews and conversations that numbers the latest per person),
so calibration adds no index; the whole page is 0.25 to 0.45 s of SQL.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Subquery, TextChoices, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from organizations.models import Employee, Team
from reviews.models import Rating, ReviewState

from . import flags
from .cache import remembered
from .distribution import Distribution, bands_of, by_manager, by_team, organization_distribution, reviews_in
from .flags import DEVIATES, DRAFT, ManagerCounts, ShareFlag, Thresholds
from .models import RECENCY_WEEKS, OutcomeMove

PER_PAGE = 50
TENTH = Decimal("0.1")
NAME_ORDER = ("sort_name", "pk")
EMPLOYEE_ORDER = ("employee__sort_name", "employee_id", "pk")


class Show(TextChoices):
    """The lists of the calibration page (``?show=``); anything else shows the managers."""

    MANAGERS = "managers", _("Managers")
    TEAMS = "teams", _("Teams")
    DEVIATIONS = "deviations", _("Deviations")
    UNEVIDENCED = "unevidenced", _("Reasons instead of evidence")
    RECENT = "recent", _("Recent evidence")
    DRAFTS = "drafts", _("Drafts")


def shown(value) -> str:
    """The list ``?show=`` asks for; the managers for anything that is not one."""
    return value if value in Show.values else Show.MANAGERS


def _share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent with one decimal, rounded half up; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


# --- the summary -------------------------------------------------------------------------------------------------


@dataclass
class Summary:
    """The top of the calibration page: the thresholds, the spreads and how many of each flag there are."""

    cycle: Cycle
    thresholds: Thresholds
    bands: list  # low to high
    organization: Distribution
    managers: dict[int, Distribution]
    share_flags: dict[int, list[ShareFlag]]  # only the managers with a flag
    counts: dict[int, ManagerCounts]
    totals: ManagerCounts = field(default_factory=ManagerCounts)

    @property
    def top(self):
        return self.bands[-1] if self.bands else None

    @property
    def bottom(self):
        return self.bands[0] if self.bands else None

    def _leaning(self, lenient: bool) -> int:
        return sum(any(flag.is_lenient == lenient for flag in found) for found in self.share_flags.values())

    @property
    def lenient(self) -> int:
        """How many managers are flagged lenient."""
        return self._leaning(True)

    @property
    def severe(self) -> int:
        """How many managers are flagged severe."""
        return self._leaning(False)

    @property
    def compared(self) -> int:
        """How many managers have enough reviews to be compared with the organisation."""
        return sum(found.total >= self.thresholds.min_reviews for found in self.managers.values())


def summary_of(*, cycle: Cycle) -> Summary:
    """The summary of ``cycle``'s calibration: seven queries whatever the number of reviews and managers, or two
    while its reviews have not changed since the last time (calibration.cache)."""
    thresholds = flags.thresholds_of(cycle=cycle)
    extra = f"{thresholds.share_points}.{thresholds.min_reviews}.{thresholds.recency_percent}.{thresholds.weeks}"
    return remembered(cycle=cycle, name="summary", extra=extra, compute=lambda: _summary(cycle, thresholds))


def _summary(cycle: Cycle, thresholds) -> Summary:
    bands = bands_of(cycle=cycle)
    organization = organization_distribution(cycle=cycle)
    managers = by_manager(cycle=cycle)
    counts = flags.counts_by_manager(cycle=cycle, thresholds=thresholds)
    totals = ManagerCounts()
    for found in counts.values():
        totals.add(found)
    return Summary(
        cycle=cycle,
        thresholds=thresholds,
        bands=bands,
        organization=organization,
        managers=managers,
        share_flags=flags.share_flags_by_manager(
            managers=managers, organization=organization, bands=bands, thresholds=thresholds
        ),
        counts=counts,
        totals=totals,
    )


# --- the lists ---------------------------------------------------------------------------------------------------


def _window(total: int, number) -> tuple[Page, int, int]:
    """A page of positions 0 to ``total`` - 1 (any ``number``: a bad one gives the first or the last page), with
    the slice of the list it covers."""
    page = Paginator(range(total), PER_PAGE).get_page(number)
    start = (page.number - 1) * PER_PAGE
    return page, start, start + PER_PAGE


@dataclass
class ManagerRow:
    manager: Employee
    distribution: Distribution
    flags: list[ShareFlag]
    counts: ManagerCounts


def manager_page(summary: Summary, number) -> Page:
    """One page of the managers, those flagged lenient or severe first, then by name: one query for their names."""
    page, start, end = _window(len(summary.managers), number)
    flagged = list(summary.share_flags)
    first = Case(When(pk__in=flagged, then=Value(0)), default=Value(1)) if flagged else Value(1)
    people = (
        Employee.objects.filter(organization_id=summary.cycle.organization_id, pk__in=list(summary.managers))
        .annotate(flagged_first=first)
        .order_by("flagged_first", *NAME_ORDER)
        .only("pk", "first_name", "last_name")[start:end]
    )
    page.object_list = [
        ManagerRow(
            manager=person,
            distribution=summary.managers[person.pk],
            flags=summary.share_flags.get(person.pk, []),
            counts=summary.counts.get(person.pk, ManagerCounts()),
        )
        for person in people
    ]
    return page


@dataclass
class TeamRow:
    team: Team | None  # None: the people without a team
    distribution: Distribution


def team_page(*, cycle: Cycle, number) -> Page:
    """One page of the teams by name, the people without a team last: three queries (by_team's two, the names)."""
    teams = by_team(cycle=cycle)
    named = [team_id for team_id in teams if team_id is not None]
    page, start, end = _window(len(teams), number)
    found = Team.objects.filter(organization_id=cycle.organization_id, pk__in=named).order_by("name", "pk")
    rows = [TeamRow(team=team, distribution=teams[team.pk]) for team in found.only("pk", "name")[start:end]]
    if None in teams and end > len(named):
        rows.append(TeamRow(team=None, distribution=teams[None]))
    page.object_list = rows
    return page


def _reviews(cycle: Cycle):
    return reviews_in(cycle=cycle).select_related("employee", "manager")


def _paged(rows, count: int, number) -> Page:
    """A page of ``rows``, whose number the summary counted already: one query, not a second count."""
    paginator = Paginator(rows, PER_PAGE)
    paginator.count = count  # a cached_property: set, it is never counted again
    return paginator.get_page(number)


def deviation_page(summary: Summary, number) -> Page:
    """The counted reviews whose outcome is not the rule's, with the justification, by person: one query."""
    rows = _reviews(summary.cycle).filter(DEVIATES).select_related("band", "computed_band")
    return _paged(rows.order_by(*EMPLOYEE_ORDER), summary.totals.deviations, number)


def unevidenced_page(summary: Summary, number) -> Page:
    """The counted reviews with a rating that rests on a reason instead of evidence, with those ratings: two
    queries (the page, its ratings with their expectation's wording)."""
    ratings = flags.unevidenced(Rating.objects.filter(organization_id=summary.cycle.organization_id))
    rows = (
        flags.with_unevidenced(_reviews(summary.cycle))
        .filter(unevidenced__gt=0)
        .prefetch_related(
            Prefetch("ratings", queryset=ratings.select_related("expectation_version"), to_attr="without_evidence")
        )
        .order_by(*EMPLOYEE_ORDER)
    )
    return _paged(rows, summary.totals.unevidenced_reviews, number)


def recent_page(summary: Summary, number) -> Page:
    """The counted reviews resting for more than the threshold on recent evidence, with the share: one query."""
    thresholds = summary.thresholds
    reviews = flags.with_evidence(_reviews(summary.cycle).select_related("conversation"), weeks=thresholds.weeks)
    rows = flags.recent_heavy(reviews, thresholds=thresholds).order_by(*EMPLOYEE_ORDER)
    page = _paged(rows, summary.totals.recent, number)
    for review in page.object_list:
        review.recent_share = _share(review.recent, review.cited)
    return page


def draft_page(summary: Summary, number) -> Page:
    """Per manager, how many counted reviews are still in draft, the most first: one query."""
    rows = (
        reviews_in(cycle=summary.cycle)
        .filter(DRAFT)
        .values("manager_id", "manager__first_name", "manager__last_name")
        .annotate(drafts=Count("pk"))
        .order_by("-drafts", "manager__sort_name", "manager_id")
    )
    with_drafts = sum(1 for counts in summary.counts.values() if counts.drafts)
    page = _paged(rows, with_drafts, number)
    for row in page.object_list:
        row["name"] = f"{row['manager__first_name']} {row['manager__last_name']}".strip()
    return page


# --- the export --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    """One counted review of the calibration export, its texts in the reader's language."""

    employee: str
    team: str
    manager: str
    state: str
    score: Decimal | None
    rule_band: str  # the outcome the rule gives ("" without a score)
    outcome: str
    deviates: bool
    justification: str
    unevidenced: int  # ratings with a reason instead of evidence
    recent_share: Decimal | None  # % of the cited observations that are recent; None when none is cited
    moves: int  # how often HR moved the outcome in calibration


def _moves():
    moved = OutcomeMove.objects.filter(organization_id=OuterRef("organization_id"), review=OuterRef("pk"))
    number = moved.order_by().values("review").annotate(number=Count("pk")).values("number")
    return Coalesce(Subquery(number, output_field=IntegerField()), 0)


def export_rows(*, cycle: Cycle) -> Iterator[ExportRow]:
    """Every counted review of ``cycle``, by person: two queries (the bands, the rows as plain values)."""
    names = {band.pk: band.local_name for band in bands_of(cycle=cycle)}
    states = dict(ReviewState.choices)
    rows = (
        flags.with_evidence(reviews_in(cycle=cycle), weeks=RECENCY_WEEKS)
        .annotate(moves=_moves())
        .order_by(*EMPLOYEE_ORDER)
        .values_list(
            "employee__first_name",
            "employee__last_name",
            "employee__team__name",
            "manager__first_name",
            "manager__last_name",
            "state",
            "score",
            "computed_band_id",
            "band_id",
            "justification",
            "unevidenced",
            "cited",
            "recent",
            "moves",
        )
    )
    for values in rows.iterator(chunk_size=2000):
        first, last, team, manager_first, manager_last, state, score, rule, band, why, without, cited, recent, moves = (
            values
        )
        yield ExportRow(
            employee=f"{first} {last}".strip(),
            team=team or "",
            manager=f"{manager_first} {manager_last}".strip(),
            state=str(states.get(state, state)),
            score=score,
            rule_band=names.get(rule, ""),
            outcome=names.get(band, ""),
            deviates=band is not None and band != rule,
            justification=why,
            unevidenced=without,
            recent_share=_share(recent, cited),
            moves=moves,
        )
