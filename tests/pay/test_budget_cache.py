"""A cycle's costs are kept while their reviews, the placements and the pay table do not change (pay.selectors_budget,
core.cache): a second look runs neither of the two large queries, and what HR or a manager changes shows at once."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pay import services_budget
from pay.models import Placement
from pay.selectors_budget import budget_of
from reviews.models import Review
from tests.kit import kept_in_cache
from tests.pay.budget_kit import BELOW, crowd
from tests.pay.conftest import pay  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    with kept_in_cache(settings, "BUDGET_CACHE_SECONDS"):
        yield


def looked_at(cycle):
    with CaptureQueriesContext(connection) as queries:
        budget = budget_of(cycle=cycle)
    return budget, len(queries)


def test_a_second_look_reads_the_kept_costs(pay, kept):  # noqa: F811
    crowd(pay, range(12))
    first, computed = looked_at(pay.cycle)
    again, read = looked_at(pay.cycle)
    assert (again.total.cost, again.total.people, len(again.teams)) == (first.total.cost, first.total.people, 6)
    assert read == computed - 2  # not the grouped reviews nor the people per team


def test_a_moved_band_a_new_placement_and_a_budget_show_at_once(pay, kept):  # noqa: F811
    people = crowd(pay, range(12))
    first = budget_of(cycle=pay.cycle)
    review = Review.objects.filter(employee=people[2]).get()  # band EXCEEDS (2 % 3)
    Review.objects.filter(pk=review.pk).update(band=pay.bands[BELOW], updated_at=timezone.now())
    moved = budget_of(cycle=pay.cycle)
    assert moved.total.cost < first.total.cost
    # Person 4 (band MEETS) moves from Schaal 8 to a salary outside the scales.
    placed = {"scale": None, "step": None, "monthly_salary": Decimal("9000.00"), "updated_at": timezone.now()}
    Placement.objects.filter(employee=people[4]).update(**placed)
    assert budget_of(cycle=pay.cycle).total.cost != moved.total.cost
    services_budget.budget_set(cycle=pay.cycle, amount=Decimal("1000.00"))
    assert budget_of(cycle=pay.cycle).total.budget == Decimal("1000.00")


def test_without_the_cache_every_look_computes(pay, settings):  # noqa: F811
    settings.BUDGET_CACHE_SECONDS = 0
    crowd(pay, range(3))
    _budget, first = looked_at(pay.cycle)
    assert looked_at(pay.cycle)[1] == first
