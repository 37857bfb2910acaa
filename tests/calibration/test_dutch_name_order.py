"""The calibration app's lists of people sort Dutch style, by surname without its tussenvoegsel: "Sanne de Jong"
between "Anna Bakker" and "Piet Mulder", "Eline van Dijk" under D (Employee.sort_name; tests/dutch_names.py)."""

import csv
import io

import pytest

from calibration.selectors_calibration import Show
from organizations.models import Role
from reviews.models import ReviewState
from tests.calibration.calibration_page_kit import bulk_ratings
from tests.dutch_names import IN_DUTCH_ORDER, made_in_reverse, the_four
from tests.factories import EmployeeFactory
from tests.kit import url
from tests.pay.budget_kit import EXCEEDS, MEETS, review_of
from tests.pay.conftest import make_pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay(tenant_a):
    return make_pay(tenant_a)


def four_managers(pay, *, state=ReviewState.SHARED) -> list:
    """The four as managers, each with one report whose review (``state``) proposes "meets"; in Dutch order."""
    organization = pay.tenant.organization

    def make(first_name, last_name):
        manager = EmployeeFactory(
            organization=organization, role=Role.MANAGER, first_name=first_name, last_name=last_name
        )
        review_of(pay, EmployeeFactory(organization=organization, manager=manager), MEETS, state=state)
        return manager

    return made_in_reverse(make)


def four_reviewed(pay) -> list:
    """A review of each of the four that deviates from the rule ("exceeds" where it gives "meets"), cites mostly
    recent evidence and gives a reason instead of evidence once: on every list of reviews. In Dutch order."""
    organization = pay.tenant.organization

    def make(first_name, last_name):
        person = EmployeeFactory(
            organization=organization, manager=pay.tenant.manager, first_name=first_name, last_name=last_name
        )
        review = review_of(pay, person, EXCEEDS, state=ReviewState.SHARED)
        review.computed_band, review.justification = pay.bands[MEETS], "Droeg het project alleen."
        review.save()
        return review

    reviews = made_in_reverse(make)
    bulk_ratings(pay, reviews)
    return reviews


def page(hr, pay, show):
    address = url("calibration:calibration", pay.tenant.organization, cycle_id=pay.cycle.pk)
    response = hr.get(address, {"show": show})
    assert response.status_code == 200
    return response.context["page"].object_list


def test_the_managers_on_the_calibration_page(hr, pay):
    four_managers(pay)
    assert the_four(row.manager.full_name for row in page(hr, pay, Show.MANAGERS)) == IN_DUTCH_ORDER


@pytest.mark.parametrize("show", [Show.DEVIATIONS, Show.UNEVIDENCED, Show.RECENT])
def test_the_reviews_on_the_calibration_page(hr, pay, show):
    four_reviewed(pay)
    assert the_four(review.employee.full_name for review in page(hr, pay, show)) == IN_DUTCH_ORDER


def test_the_managers_with_drafts_on_the_calibration_page(hr, pay):
    four_managers(pay, state=ReviewState.DRAFT)  # one draft each: a tie in number, so by name
    assert the_four(row["name"] for row in page(hr, pay, Show.DRAFTS)) == IN_DUTCH_ORDER


def test_the_calibration_export(hr, pay):
    four_reviewed(pay)
    response = hr.get(url("calibration:export_csv", pay.tenant.organization, cycle_id=pay.cycle.pk))
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    assert the_four(row["Employee"] for row in rows) == IN_DUTCH_ORDER


def test_the_managers_named_before_the_calibration_window_opens(hr, pay):
    four_managers(pay, state=ReviewState.DRAFT)
    response = hr.get(url("calibration:window_open", pay.tenant.organization, cycle_id=pay.cycle.pk))
    assert response.status_code == 200
    assert the_four(response.context["names"]) == IN_DUTCH_ORDER
