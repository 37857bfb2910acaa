"""calibration.distribution: counts, shares and average scores of a cycle's proposed outcomes."""

from decimal import Decimal

import pytest

from calibration.distribution import by_manager, organization_distribution
from reviews.models import Review
from tests.pay.budget_kit import crowd
from tests.pay.conftest import pay  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_the_organisations_average_score_is_the_mean_of_every_review(pay):  # noqa: F811
    crowd(pay, range(4))  # bands 0, 1, 2, 0
    for review, score in zip(Review.objects.order_by("pk"), ("2.00", "2.50", "3.00", "2.50"), strict=True):
        review.score = Decimal(score)
        review.save(update_fields=["score"])
    whole = organization_distribution(cycle=pay.cycle)
    assert whole.average_score == Decimal("2.50")
    assert (whole.total, [whole.count(band.pk) for band in pay.bands]) == (4, [2, 1, 1])
    assert [whole.share(band.pk) for band in pay.bands] == [Decimal("50.0"), Decimal("25.0"), Decimal("25.0")]
    assert by_manager(cycle=pay.cycle)[pay.tenant.manager.pk].average_score == Decimal("2.50")
