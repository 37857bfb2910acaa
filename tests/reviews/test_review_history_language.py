"""A review's history reads in the reader's language, whoever made the change in whichever language."""

import pytest
from django.utils import translation

from organizations import audit
from organizations.selectors import history
from reviews import services_reviews
from tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


def test_ratings_and_cited_observations_are_named_in_the_readers_language(assessment):
    tenant = assessment.tenant
    observation = ObservationFactory(employee=tenant.employee, author=tenant.manager)
    with translation.override("en"), audit.acting_as(tenant.manager):
        review, _made = services_reviews.review_start(conversation=assessment.conversation, actor=tenant.manager)
        rating = review.ratings.order_by("pk").first()
        rating.evidence.add(observation)

    with translation.override("nl"):
        entries = history(organization=tenant.organization, objects=[review, *review.ratings.all()]).object_list
        shown = " ".join(f"{entry.subject} {change.added}" for entry in entries for change in entry.changes)

    assert "Klant om feedback vragen" in shown and "Klant om feedback vragen (en)" not in shown
    assert "observatie van" in shown and "observation of" not in shown
