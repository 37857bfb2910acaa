"""The published outcome rule: the weighted score of a review's ratings, and the band it falls in.

The score is the average of the rated levels weighted by each expectation's
weight (a plain average when every weight is 0), to two decimals, rounded half
up. The band is the highest one whose ``min_score`` the score reaches. Because
no weight is negative, raising one rating never lowers the score, and so never
the band (tests/reviews/test_outcome.py holds that as a property).
"""

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def weighted_score(ratings: Iterable[tuple[int | None, int]]) -> Decimal | None:
    """The score of ``(level, weight)`` pairs, unrated ones (level None) left out; None when nothing is rated."""
    rated = [(Decimal(level), Decimal(weight)) for level, weight in ratings if level is not None]
    if not rated:
        return None
    total = sum(weight for _, weight in rated)
    if total == 0:
        score = sum(level for level, _ in rated) / len(rated)
    else:
        score = sum(level * weight for level, weight in rated) / total
    return score.quantize(CENT, rounding=ROUND_HALF_UP)


def band_for(score: Decimal | None, bands: Sequence):
    """The band ``score`` falls in: the last of ``bands`` (ordered low to high) whose ``min_score`` it reaches."""
    if score is None:
        return None
    reached = [band for band in bands if score >= band.min_score]
    return reached[-1] if reached else (bands[0] if bands else None)
