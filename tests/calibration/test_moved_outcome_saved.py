"""After HR moved an outcome, the manager saves their draft with it without writing a justification of their own:
HR's reason stands in. Leaving HR's band (for another, or for the rule's) needs the manager's justification, so a
move is never undone in silence."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reviews import services_reviews
from reviews.models import Review
from tests.pay.budget_kit import BELOW, EXCEEDS, MEETS
from tests.pay.conftest import make_pay

from .window_kit import employees_review, moved, opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(tenant_a):
    pay = make_pay(tenant_a)
    opened(pay)
    review = employees_review(pay, MEETS)
    moved(pay, review, EXCEEDS)
    review.refresh_from_db()
    return pay, review


def save(pay, review, band):
    return services_reviews.review_save(review=review, actor=pay.tenant.manager, ratings={}, band=pay.bands[band])


def test_the_band_hr_moved_to_is_saved_without_the_managers_justification(review):
    pay, moved_review = review
    save(pay, moved_review, EXCEEDS)
    stored = Review.objects.get(pk=moved_review.pk)
    assert stored.band == pay.bands[EXCEEDS] and stored.justification == ""


HR_MOVED = "HR moved this outcome in calibration; explain why you choose another outcome than HR's."


@pytest.mark.parametrize("band", [BELOW, None], ids=["another band", "the rule's band"])
def test_leaving_hrs_band_needs_the_managers_justification(review, band):
    pay, moved_review = review
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services_reviews.review_save(
            review=moved_review,
            actor=pay.tenant.manager,
            ratings={},
            band=None if band is None else pay.bands[band],
        )
    assert refused.value.message_dict["justification"] == [HR_MOVED]
    assert Review.objects.get(pk=moved_review.pk).band == pay.bands[EXCEEDS]


def test_hrs_move_is_not_counted_as_the_managers_deviation(review):
    from calibration import flags
    from calibration.selectors_calibration import deviation_page, summary_of

    pay, moved_review = review
    Review.objects.filter(pk=moved_review.pk).update(computed_band=pay.bands[MEETS])
    counts = flags.counts_by_manager(cycle=pay.cycle, thresholds=flags.thresholds_of(cycle=pay.cycle))
    assert counts[pay.tenant.manager.pk].deviations == 0
    assert list(deviation_page(summary_of(cycle=pay.cycle), 1).object_list) == []
    # The same review with a band the manager chose is theirs to justify, and counted.
    Review.objects.filter(pk=moved_review.pk).update(band=pay.bands[BELOW])
    counts = flags.counts_by_manager(cycle=pay.cycle, thresholds=flags.thresholds_of(cycle=pay.cycle))
    assert counts[pay.tenant.manager.pk].deviations == 1
