"""What the calibration page flags in a cycle, counted in the database whatever the number of reviews.

The reviews looked at are the ones calibration counts (calibration.distribution.reviews_in: per person their
latest review with a proposed outcome), with the cycle's thresholds (:func:`thresholds_of`, the defaults while HR
has set none):

1. Spread (:func:`share_flags`): a manager with at least ``min_reviews`` reviews whose share in the top band or in
   the bottom band differs from the organisation's by more than ``share_points`` percentage points. More in the
   top band or fewer in the bottom band is lenient; the reverse is severe. Compared on exact fractions, shown with
   one decimal.
2. Deviations (:data:`DEVIATES`): the outcome differs from the one the published rule gives (a band chosen while
   the rule gives none counts too, as Review.deviates says); the manager's justification goes with it. A band HR
   moved the review to in calibration is HR's, not the manager's deviation: it is left out (its reason is HR's).
3. A reason instead of evidence (:func:`unevidenced`): a rating citing no observation, with a reason why.
4. Recent evidence (:func:`with_evidence`): of the distinct observations a review cites, more than
   ``recency_percent`` % were observed in the RECENCY_WEEKS weeks before its assessment conversation (its date in
   the organisation's time zone; a review whose conversation has no date: the day the review was started).
   Observations dated after that day count as recent too. A review citing none is never flagged.
5. Drafts: reviews still in draft (:data:`DRAFT`).

The per-review counts are correlated subqueries (one row per review, no join that multiplies reviews), so they can
filter and be counted per manager in the same statement (:func:`counts_by_manager`). They read the rating's review
index and the evidence table's rating index; EXPLAIN notes in calibration/selectors_calibration.py.
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from reviews.models import OutcomeBand, Rating, ReviewState

from .distribution import Distribution, reviews_in
from .models import RECENCY_WEEKS, Calibration, OutcomeMove

# The outcome is not the one the rule gives (reviews.selectors_config counts deviations the same way).
# The outcome differs from the rule's, and not because HR moved it there in calibration.
DEVIATES = (
    Q(band__isnull=False)
    & ~Q(band=F("computed_band"))
    # _base_manager: built at import, outside any scope; tied to the outer review, so it never reads another tenant.
    & ~Q(Exists(OutcomeMove._base_manager.filter(review=OuterRef("pk"), to_band=OuterRef("band"))))
)
DRAFT = Q(state=ReviewState.DRAFT)
EVIDENCE = Rating.evidence.through  # (rating, observation): one row per observation a rating cites


@dataclass(frozen=True)
class Thresholds:
    """The cycle's thresholds for the flags: HR's, or the defaults of calibration.models.Calibration."""

    share_points: int
    min_reviews: int
    recency_percent: int
    weeks: int = RECENCY_WEEKS

    @property
    def recency_days(self) -> int:
        return 7 * self.weeks


def thresholds_of(*, cycle: Cycle) -> Thresholds:
    """``cycle``'s thresholds (one query); the model's defaults when HR never changed them (nothing is written)."""
    found = Calibration.objects.filter(organization_id=cycle.organization_id, cycle=cycle).first() or Calibration()
    return Thresholds(
        share_points=found.share_points, min_reviews=found.min_reviews, recency_percent=found.recency_percent
    )


# --- 1. the spread per manager ------------------------------------------------------------------------------------


class Leaning(TextChoices):
    LENIENT = "lenient", _("Lenient")
    SEVERE = "severe", _("Severe")


@dataclass(frozen=True)
class ShareFlag:
    """One band in which a manager's share differs too much from the organisation's."""

    leaning: str  # Leaning
    band: OutcomeBand
    share: object  # Decimal, the manager's % (one decimal)
    organization_share: object  # Decimal, the organisation's %

    @property
    def is_lenient(self) -> bool:
        return self.leaning == Leaning.LENIENT

    def get_leaning_display(self) -> str:
        return Leaning(self.leaning).label


def _fraction(distribution: Distribution, band_id: int) -> Fraction:
    return Fraction(100 * distribution.count(band_id), distribution.total) if distribution.total else Fraction(0)


def share_flags(
    *, distribution: Distribution, organization: Distribution, bands: list, thresholds: Thresholds
) -> list[ShareFlag]:
    """The flags of one manager's ``distribution`` against the ``organization``'s (``bands`` low to high); no query.

    Empty below ``min_reviews`` reviews. The top band first, then the bottom band (one band: it is both, once).
    """
    if not bands or distribution.total < thresholds.min_reviews:
        return []
    flags = []
    ends = [(bands[-1], 1)] + ([(bands[0], -1)] if len(bands) > 1 else [])
    for band, direction in ends:  # direction: +1 where more is lenient (the top), -1 where more is severe
        difference = _fraction(distribution, band.pk) - _fraction(organization, band.pk)
        if abs(difference) > thresholds.share_points:
            lenient = (difference > 0) == (direction > 0)
            flags.append(
                ShareFlag(
                    leaning=Leaning.LENIENT if lenient else Leaning.SEVERE,
                    band=band,
                    share=distribution.share(band.pk),
                    organization_share=organization.share(band.pk),
                )
            )
    return flags


def share_flags_by_manager(
    *, managers: dict, organization: Distribution, bands: list, thresholds: Thresholds
) -> dict[int, list[ShareFlag]]:
    """``{manager id: flags}`` for the managers with at least one flag (from calibration.distribution.by_manager)."""
    flagged = {}
    for manager_id, distribution in managers.items():
        found = share_flags(distribution=distribution, organization=organization, bands=bands, thresholds=thresholds)
        if found:
            flagged[manager_id] = found
    return flagged


# --- 3. and 4. evidence per review --------------------------------------------------------------------------------


def unevidenced(ratings: QuerySet) -> QuerySet:
    """Of ``ratings``, those that cite no observation and give a reason instead."""
    cites = EVIDENCE.objects.filter(rating=OuterRef("pk"))
    return ratings.exclude(reason_without_evidence="").filter(~Exists(cites))


def _evidence_day():
    """The day a cited observation is measured against, on an EVIDENCE row: the date of the review's conversation
    in the active time zone (the door's: the organisation's), or, never scheduled, the day the review was started."""
    return Coalesce(
        TruncDate("rating__review__conversation__scheduled_at"),
        TruncDate("rating__review__created_at"),
        output_field=DateField(),
    )


def _is_recent(weeks: int) -> Q:
    """On an EVIDENCE row with the alias ``gap``: observed at most ``weeks`` weeks before the day (or after it)."""
    return Q(gap__lte=datetime.timedelta(days=7 * weeks))


def _with_gap(evidence: QuerySet) -> QuerySet:
    # A date minus a date: whole days as an interval on PostgreSQL, a duration on SQLite; both compare to a timedelta.
    return evidence.alias(
        gap=ExpressionWrapper(_evidence_day() - F("observation__observed_on"), output_field=DurationField())
    )


def _count(rows: QuerySet, group: str, counted: str) -> Subquery:
    """A correlated ``COUNT(DISTINCT counted)`` of ``rows`` (already tied to the outer review), 0 when none."""
    number = rows.order_by().values(group).annotate(number=Count(counted, distinct=True)).values("number")
    return Coalesce(Subquery(number, output_field=IntegerField()), 0)


def _unevidenced_count() -> Subquery:
    return _count(unevidenced(Rating.objects.filter(review=OuterRef("pk"))), "review", "pk")


def with_evidence(reviews: QuerySet, *, weeks: int = RECENCY_WEEKS, select: bool = True) -> QuerySet:
    """``reviews`` with ``unevidenced`` (ratings with a reason instead of evidence), ``cited`` (distinct observations
    its ratings cite) and ``recent`` (of those, observed at most ``weeks`` weeks before its conversation).

    Three correlated subqueries per review, no join that multiplies reviews, so they can filter and be counted per
    manager in the same statement. ``select=False`` adds them as aliases: usable, not read.
    """
    cited = EVIDENCE.objects.filter(rating__review=OuterRef("pk"))
    counts = {
        "unevidenced": _unevidenced_count(),
        "cited": _count(cited, "rating__review", "observation"),
        "recent": _count(_with_gap(cited).filter(_is_recent(weeks)), "rating__review", "observation"),
    }
    return reviews.annotate(**counts) if select else reviews.alias(**counts)


def with_unevidenced(reviews: QuerySet) -> QuerySet:
    """``reviews`` with ``unevidenced`` alone (see :func:`with_evidence`)."""
    return reviews.annotate(unevidenced=_unevidenced_count())


def _mostly_recent(reviews: QuerySet, thresholds: Thresholds) -> tuple[QuerySet, Q]:
    """``reviews`` (through :func:`with_evidence`) with the condition "more than ``recency_percent`` % of the
    cited observations are recent": ``100 × recent > percent × cited`` in whole numbers, and at least one cited."""
    over = ExpressionWrapper(100 * F("recent") - thresholds.recency_percent * F("cited"), output_field=IntegerField())
    return reviews.alias(recent_over=over), Q(cited__gt=0, recent_over__gt=0)


def recent_heavy(reviews: QuerySet, *, thresholds: Thresholds) -> QuerySet:
    """Of ``reviews`` (through :func:`with_evidence`), those resting for more than the threshold on recent evidence."""
    reviews, condition = _mostly_recent(reviews, thresholds)
    return reviews.filter(condition)


# --- the counts per manager ------------------------------------------------------------------------------------


@dataclass
class ManagerCounts:
    """How many of one manager's counted reviews each flag holds."""

    reviews: int = 0
    deviations: int = 0
    drafts: int = 0
    unevidenced: int = 0  # ratings with a reason instead of evidence
    unevidenced_reviews: int = 0  # reviews with at least one such rating
    recent: int = 0  # reviews resting mostly on recent evidence

    def add(self, other: "ManagerCounts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def counts_by_manager(*, cycle: Cycle, thresholds: Thresholds) -> dict[int, ManagerCounts]:
    """``{manager id: ManagerCounts}`` for every manager with a counted review: three queries, set-based.

    The counted reviews (one row each, a few columns), the evidence they cite grouped per review (distinct
    observations, and how many of them are recent), and their ratings with a reason instead of evidence grouped per
    review; the flags are then added up per manager here. At 10,000 people (7,800 reviews, 34,000 ratings) that is
    about 40 ms, where three correlated subqueries per review took 170 ms.
    """
    counted = reviews_in(cycle=cycle)
    rows = list(counted.values_list("pk", "manager_id", "state", "band_id", "computed_band_id"))
    evidence = _with_gap(EVIDENCE.objects.filter(rating__review__in=counted.values("pk")))
    cited = {
        review: (number, recent)
        for review, number, recent in evidence.values("rating__review")
        .annotate(
            number=Count("observation", distinct=True),
            recent=Count("observation", distinct=True, filter=_is_recent(thresholds.weeks)),
        )
        .values_list("rating__review", "number", "recent")
        .order_by()
    }
    without = dict(
        unevidenced(Rating.objects.filter(review__in=counted.values("pk")))
        .values("review")
        .annotate(number=Count("pk"))
        .values_list("review", "number")
        .order_by()
    )
    moved = set(
        OutcomeMove.objects.filter(organization_id=cycle.organization_id, cycle=cycle).values_list(
            "review_id", "to_band_id"
        )
    )
    counts: dict[int, ManagerCounts] = {}
    for pk, manager_id, state, band_id, computed_band_id in rows:
        found = counts.setdefault(manager_id, ManagerCounts())
        number, recent = cited.get(pk, (0, 0))
        unevidenced_ratings = without.get(pk, 0)
        found.reviews += 1
        found.deviations += band_id is not None and band_id != computed_band_id and (pk, band_id) not in moved
        found.drafts += state == ReviewState.DRAFT
        found.unevidenced += unevidenced_ratings
        found.unevidenced_reviews += unevidenced_ratings > 0
        # More than recency_percent % of the cited observations are recent, in whole numbers, and one at least.
        found.recent += number > 0 and 100 * recent > thresholds.recency_percent * number
    return counts
