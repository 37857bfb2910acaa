"""The published outcome rule (reviews/outcome.py): hand-worked examples and a property of the whole rule."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reviews.outcome import band_for, weighted_score
from reviews.scales import DEFAULT_BANDS


class Band:
    def __init__(self, position, name, min_score):
        self.position, self.name, self.min_score = position, name, min_score


BANDS = [Band(position, name_en, min_score) for position, _nl, name_en, _dnl, _den, min_score in DEFAULT_BANDS]


def band_name(levels_and_weights):
    return band_for(weighted_score(levels_and_weights), BANDS).name


def test_weights_60_and_40_with_levels_3_and_2_score_2_60_and_meet_expectations():
    # (3 × 60 + 2 × 40) / 100 = 260 / 100
    assert weighted_score([(3, 60), (2, 40)]) == Decimal("2.60")
    assert band_name([(3, 60), (2, 40)]) == "Meets expectations"


def test_weights_60_and_40_with_levels_2_and_3_score_2_40_and_fall_below_expectations():
    # (2 × 60 + 3 × 40) / 100 = 240 / 100
    assert weighted_score([(2, 60), (3, 40)]) == Decimal("2.40")
    assert band_name([(2, 60), (3, 40)]) == "Below expectations"


def test_a_score_exactly_on_a_threshold_reaches_that_band():
    # (4 × 50 + 3 × 50) / 100 = 3.50: "from a weighted score of 3.50"
    assert weighted_score([(4, 50), (3, 50)]) == Decimal("3.50")
    assert band_name([(4, 50), (3, 50)]) == "Exceeds expectations"


def test_thirds_round_half_up_to_two_decimals():
    # (3 + 3 + 2) / 3 = 2.666… with equal weights; weights of 0 everywhere mean a plain average too
    assert weighted_score([(3, 20), (3, 20), (2, 20)]) == Decimal("2.67")
    assert weighted_score([(3, 0), (3, 0), (2, 0)]) == Decimal("2.67")


def test_unrated_expectations_are_left_out_and_nothing_rated_gives_no_score():
    assert weighted_score([(4, 60), (None, 40)]) == Decimal("4.00")
    assert weighted_score([(None, 60), (None, 40)]) is None
    assert band_for(None, BANDS) is None


ratings = st.lists(st.tuples(st.integers(1, 4), st.integers(0, 100)), min_size=1, max_size=12)


@given(ratings=ratings, data=st.data())
def test_raising_one_rating_never_lowers_the_computed_band(ratings, data):
    index = data.draw(st.integers(0, len(ratings) - 1))
    level, weight = ratings[index]
    raised_level = data.draw(st.integers(level, 4))
    raised = [*ratings[:index], (raised_level, weight), *ratings[index + 1 :]]

    before, after = weighted_score(ratings), weighted_score(raised)
    assert after >= before
    assert band_for(after, BANDS).position >= band_for(before, BANDS).position
