"""The pay app's lists of people sort Dutch style, by surname without its tussenvoegsel: "Sanne de Jong" between
"Anna Bakker" and "Piet Mulder", "Eline van Dijk" under D (Employee.sort_name; tests/dutch_names.py)."""

import csv
import io

import pytest

from reviews.models import ReviewState
from tests.dutch_names import IN_DUTCH_ORDER, made_in_reverse, the_four
from tests.factories import EmployeeFactory
from tests.kit import url
from tests.pay.budget_kit import MEETS, review_of

pytestmark = pytest.mark.django_db


def the_four_people(tenant) -> list:
    def make(first_name, last_name):
        return EmployeeFactory(organization=tenant.organization, first_name=first_name, last_name=last_name)

    return made_in_reverse(make)


def test_hrs_list_of_placements(hr, tenant_a):
    the_four_people(tenant_a)
    response = hr.get(url("pay:placements", tenant_a.organization))
    assert the_four(person.full_name for person, _placement, _monthly in response.context["people"]) == IN_DUTCH_ORDER


def test_the_payroll_export(hr, pay):
    for person in the_four_people(pay.tenant):
        review_of(pay, person, MEETS, state=ReviewState.FINALISED)
    response = hr.get(url("pay:export_csv", pay.tenant.organization, cycle_id=pay.cycle.pk))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert the_four(row["Name"] for row in rows) == IN_DUTCH_ORDER
