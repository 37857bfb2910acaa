"""After HR moved an outcome, the manager saves their draft with it without writing a justification of their own:
HR's reason stands in. Another band than the rule's and HR's still needs one."""

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


def test_another_band_still_needs_a_justification(review):
    pay, moved_review = review
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        save(pay, moved_review, BELOW)
    assert refused.value.message_dict["justification"] == [
        "Explain why you choose another outcome than the rule gives."
    ]
