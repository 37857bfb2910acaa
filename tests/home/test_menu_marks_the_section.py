"""The main menu marks where one is: the item's own page as the page, a page below it (a cycle, a person, one
expectation) as within that item, and never two items at once."""

import re

import pytest

from tests.factories import CycleFactory, EmployeeFactory, ExpectationFactory
from tests.kit import url

pytestmark = pytest.mark.django_db


def marked(client, address) -> dict[str, str]:
    """{label: aria-current} of the main menu's marked items on the page at ``address``."""
    response = client.get(address)
    assert response.status_code == 200
    page = response.content.decode()
    menu = page[page.index('<nav class="main-nav"') : page.index("</nav>", page.index('<nav class="main-nav"'))]
    return {label: current for current, label in re.findall(r'<a href="[^"]+" aria-current="(\w+)">([^<]+)</a>', menu)}


def test_hr_sees_the_section_marked_on_its_sub_pages(tenant_a, hr):
    organization = tenant_a.organization
    cycle = CycleFactory(organization=organization)
    expectation = ExpectationFactory(organization=organization)
    assert marked(hr, url("organizations:home", organization)) == {"Home": "page"}
    assert marked(hr, url("cycles:cycle_list", organization)) == {"Cycles": "page"}
    assert marked(hr, url("cycles:cycle_detail", organization, cycle_id=cycle.pk)) == {"Cycles": "true"}
    assert marked(hr, url("expectations:detail", organization, expectation_id=expectation.pk)) == {
        "Expectations": "true"
    }
    person = url("organizations:person_detail", organization, employee_id=tenant_a.employee.pk)
    assert marked(hr, person) == {"People": "true"}


def test_the_longest_matching_item_wins(tenant_a, manager, employee):
    organization = tenant_a.organization
    # Expected of me (expectations/mine/) lies under Expectations (expectations/), My team under Cycles' address.
    assert marked(manager, url("expectations:mine", organization)) == {"Expected of me": "page"}
    assert marked(manager, url("cycles:team_grid", organization)) == {"My team": "page"}
    assert marked(employee, url("cycles:my_year", organization)) == {"My year": "page"}
    # A page of no item (what was seen) marks none, not Home.
    assert marked(employee, url("reviews:what_was_seen", organization)) == {}


def menu_labels(client, organization) -> list[str]:
    page = client.get(url("organizations:home", organization)).content.decode()
    menu = page[page.index('<nav class="main-nav"') : page.index("</nav>", page.index('<nav class="main-nav"'))]
    return re.findall(r'<a href="[^"]+"(?: aria-current="\w+")?>([^<]+)</a>', menu)


def test_my_team_is_in_the_menu_of_a_manager_and_of_hr_only_with_someone_reporting_to_them(tenant_a, hr, manager):
    organization = tenant_a.organization
    assert "My team" in menu_labels(manager, organization)
    assert "My team" not in menu_labels(hr, organization)
    report = EmployeeFactory(organization=organization, manager=tenant_a.hr)
    assert "My team" in menu_labels(hr, organization)
    report.is_active = False
    report.save(update_fields=["is_active"])
    assert "My team" not in menu_labels(hr, organization)
    # A manager with nobody reporting to them yet still finds the page, which says so.
    tenant_a.employee.manager = None
    tenant_a.employee.save(update_fields=["manager"])
    assert "My team" in menu_labels(manager, organization)
