"""The calibration summary is kept while the cycle's reviews do not change, and computed again when one does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calibration.selectors_calibration import summary_of
from reviews.models import Review, ReviewState
from tests.kit import kept_in_cache
from tests.pay.budget_kit import crowd
from tests.pay.conftest import pay  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    with kept_in_cache(settings, "CALIBRATION_CACHE_SECONDS"):
        yield


def test_a_second_look_reads_the_kept_summary_and_a_changed_review_is_counted_at_once(pay, cached):  # noqa: F811
    crowd(pay, range(6))
    first = summary_of(cycle=pay.cycle)
    with CaptureQueriesContext(connection) as again:
        assert summary_of(cycle=pay.cycle).totals == first.totals
    assert len(again) == 2  # the thresholds and the fingerprint of the reviews
    review = Review.objects.filter(state=ReviewState.DRAFT).order_by("pk").first()
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SHARED, updated_at=timezone.now())
    assert summary_of(cycle=pay.cycle).totals.drafts == first.totals.drafts - 1


def test_without_the_cache_every_look_computes(pay, settings):  # noqa: F811
    settings.CALIBRATION_CACHE_SECONDS = 0
    crowd(pay, range(3))
    summary_of(cycle=pay.cycle)
    with CaptureQueriesContext(connection) as again:
        summary_of(cycle=pay.cycle)
    assert len(again) > 2
