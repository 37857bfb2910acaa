"""The observations and reviews seed_demo creates for Voorbeeld BV."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from reviews.models import Observation, ObservationRequest, Review, ReviewState, SelfReflection, Shows, Source

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 28, 9, tzinfo=datetime.UTC))
def test_the_demo_has_observations_requests_reflections_and_reviews_in_every_state(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    daan = Observation.objects.filter(employee__user__email="employee@example.com")
    assert {Source.MANAGER, Source.COLLEAGUE, Source.SELF} <= set(daan.values_list("source", flat=True))
    assert daan.filter(held_for__isnull=False, held_for__state__in=("to_schedule", "scheduled")).count() == 1
    assert daan.filter(source=Source.COLLEAGUE, request__state=ObservationRequest.State.ANSWERED).count() == 2
    assert Observation.objects.filter(shows=Shows.ROOM).exists()
    waiting = ObservationRequest.objects.get(state=ObservationRequest.State.OPEN)
    assert waiting.colleague.user.email == "employee@example.com"
    assert SelfReflection.objects.filter(submitted_at__isnull=False).exists()
    assert set(Review.objects.values_list("state", flat=True)) == set(ReviewState.values)
    # Last year's, finalised (this year's is a draft his manager writes: calibration.demo).
    daans_review = Review.objects.get(employee__user__email="employee@example.com", cycle__status="closed")
    assert daans_review.state == ReviewState.FINALISED
    assert all(rating.evidence.exists() for rating in daans_review.ratings.all())
    assert len({review.band_id for review in Review.objects.all()}) > 1  # outcomes differ between people

    counts = (Observation.objects.count(), ObservationRequest.objects.count(), Review.objects.count())
    call_command("seed_demo")
    assert (Observation.objects.count(), ObservationRequest.objects.count(), Review.objects.count()) == counts
