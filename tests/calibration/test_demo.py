"""The demo's active cycle has draft reviews to calibrate: a lenient manager, a severe one, and the rest."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from calibration import flags
from cycles.models import Cycle, CycleStatus
from reviews.models import Review, ReviewState

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_lenient_and_a_severe_manager_to_calibrate(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        cycle = Cycle.objects.get(organization__slug="demo", status=CycleStatus.ACTIVE)
        reviews = Review.objects.filter(cycle=cycle)
        assert reviews.count() > 20 and set(reviews.values_list("state", flat=True)) == {ReviewState.DRAFT}
        from calibration.selectors_calibration import summary_of

        summary = summary_of(cycle=cycle)
        leanings = {flag.leaning for found in summary.share_flags.values() for flag in found}
        assert {flags.Leaning.LENIENT, flags.Leaning.SEVERE} <= leanings
        call_command("seed_demo", verbosity=0)
        assert Review.objects.filter(cycle=cycle).count() == reviews.count()
