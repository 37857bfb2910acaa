"""HR's cockpit and "the rules here" speak of the cycle my year shows: the active cycle whose dates hold today, not
next year's, which HR activates in December while this year's conversations still run."""

import datetime

import pytest
from django.utils import timezone

from calibration.selectors_cockpit import cockpit_cycle
from calibration.selectors_rules import current_cycle
from cycles.models import CycleStatus
from tests.factories import CycleFactory
from tests.kit import url
from tests.pay.conftest import make_pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(tenant_a):
    """tests/pay/conftest.py's active cycle around today, and next year's, activated already."""
    pay = make_pay(tenant_a)
    this_year = pay.assessment.cycle
    start = this_year.ends_on + datetime.timedelta(days=1)
    next_year = CycleFactory(
        organization=tenant_a.organization,
        name="Volgend jaar",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=364),
        status=CycleStatus.ACTIVE,
    )
    return this_year, next_year


def test_this_years_cycle_is_current_while_today_is_in_it(tenant_a, two_years):
    this_year, next_year = two_years
    assert this_year.starts_on <= timezone.localdate() <= this_year.ends_on < next_year.starts_on
    assert cockpit_cycle(organization=tenant_a.organization) == this_year
    assert current_cycle(organization=tenant_a.organization) == this_year


def test_once_this_years_cycle_is_over_next_years_is_current(tenant_a, two_years, time_machine):
    this_year, next_year = two_years
    time_machine.move_to(datetime.datetime.combine(next_year.starts_on, datetime.time(12), tzinfo=datetime.UTC))
    assert cockpit_cycle(organization=tenant_a.organization) == next_year
    assert current_cycle(organization=tenant_a.organization) == next_year


def test_the_pages_name_this_years_cycle(tenant_a, two_years, hr, employee):
    this_year, next_year = two_years
    for client, page in ((hr, "calibration:cockpit"), (employee, "calibration:rules")):
        text = client.get(url(page, tenant_a.organization)).content.decode()
        assert this_year.name in text and next_year.name not in text, page


def test_without_an_active_cycle_the_cockpit_says_so_under_one_cockpit_heading(tenant_a, hr):
    page = hr.get(url("calibration:cockpit", tenant_a.organization)).content.decode()
    assert page.count(">Cockpit</h") == 1 and ">No active cycle</h2>" in page
    card = hr.get(url("calibration:cockpit", tenant_a.organization), headers={"HX-Request": "true"}).content.decode()
    assert ">Cockpit</h2>" in card


def test_hrs_home_names_the_reviews_of_two_active_cycles_in_the_plural(tenant_a, two_years, hr):
    page = hr.get(url("organizations:home", tenant_a.organization)).content.decode()
    assert "Reviews in the active cycles" in page
