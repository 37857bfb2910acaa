"""'My year' and the team grid show one cycle: the current one, with links to the person's (or their reports')
other cycles (?cycle=<id>); a cycle that is not theirs to see answers 404."""

import datetime
import html

import pytest
import time_machine

from cycles.models import Cycle, CycleStatus
from cycles.selectors_year import current_cycle
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import (
    assert_flat_queries,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    url,
)

pytestmark = pytest.mark.django_db

D = datetime.date
# Tuesday 15 June 2027, noon in Amsterdam: inside the 2027 cycle.
JUNE_15_2027 = datetime.datetime(2027, 6, 15, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def june_2027():
    with time_machine.travel(JUNE_15_2027, tick=False):
        yield


def year_cycle(organization, year, status=CycleStatus.ACTIVE, people=()):
    """The cycle "<year>" over the calendar year, with a moment "Talk <year>" and a conversation for ``people``."""
    cycle = CycleFactory(
        organization=organization, name=str(year), status=status, starts_on=D(year, 1, 1), ends_on=D(year, 12, 31)
    )
    moment = MomentFactory(cycle=cycle, name_en=f"Talk {year}", opens_on=D(year, 3, 1), closes_on=D(year, 3, 31))
    for person in people:
        ConversationFactory(moment=moment, employee=person)
    return cycle


@pytest.fixture
def three_years(tenant_a):
    """2026 closed, 2027 and 2028 active (activated together, as the issue describes), each with Eva's talk."""
    eva = tenant_a.employee
    return {
        year: year_cycle(tenant_a.organization, year, status, people=[eva])
        for year, status in ((2026, CycleStatus.CLOSED), (2027, CycleStatus.ACTIVE), (2028, CycleStatus.ACTIVE))
    }


def my_year(tenant, **query):
    address = url("cycles:my_year", tenant.organization)
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def team_grid(tenant, **query):
    address = url("cycles:team_grid", tenant.organization)
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def text(response):
    return html.unescape(response.content.decode())


# --- which cycle is current ------------------------------------------------------------------------------------


def cycle(name, starts_on, ends_on, status=CycleStatus.ACTIVE, pk=1):
    return Cycle(pk=pk, name=name, starts_on=starts_on, ends_on=ends_on, status=status)


def test_the_active_cycle_holding_today_is_current():
    cycles = [cycle("2026", D(2026, 1, 1), D(2026, 12, 31)), cycle("2027", D(2027, 1, 1), D(2027, 12, 31), pk=2)]
    assert current_cycle(cycles, today=D(2027, 6, 15)).name == "2027"


def test_without_one_holding_today_the_nearest_is_current_and_active_goes_before_closed():
    ended = cycle("2026", D(2026, 1, 1), D(2026, 12, 31), status=CycleStatus.CLOSED)
    coming = cycle("2028", D(2028, 1, 1), D(2028, 12, 31), pk=2)
    assert current_cycle([ended, coming], today=D(2027, 2, 1)).name == "2026"  # 32 days ago, against 334 to come
    assert current_cycle([ended, coming], today=D(2027, 12, 1)).name == "2028"
    # As near (a day either side): the active one; of two active ones, the one still to come.
    closed = cycle("Closed", D(2027, 1, 1), D(2027, 12, 30), status=CycleStatus.CLOSED, pk=3)
    assert current_cycle([closed, coming], today=D(2027, 12, 31)).name == "2028"
    running = cycle("Running", D(2027, 1, 1), D(2027, 12, 30), pk=4)
    assert current_cycle([running, coming], today=D(2027, 12, 31)).name == "2028"
    # A closed cycle holding today is the nearest of all.
    assert current_cycle([closed, coming], today=D(2027, 6, 1)).name == "Closed"
    assert current_cycle([], today=D(2027, 6, 1)) is None


# --- my year ---------------------------------------------------------------------------------------------------


def test_my_year_shows_the_current_cycle_only_and_links_to_the_others(tenant_a, employee, three_years):
    response = employee.get(my_year(tenant_a))
    page = text(response)
    assert response.status_code == 200
    assert "Talk 2027" in page and "Talk 2026" not in page and "Talk 2028" not in page
    assert '<h2 id="moments">Cycle 2027' in page
    for year in (2026, 2028):
        assert f'href="?cycle={three_years[year].pk}"' in page
    assert f'href="?cycle={three_years[2027].pk}" aria-current="page"' in page
    assert "Cycle 2026 (closed)" in page


def test_my_year_shows_another_of_their_cycles_when_asked(tenant_a, employee, three_years):
    page = text(employee.get(my_year(tenant_a, cycle=three_years[2028].pk)))
    assert "Talk 2028" in page and "Talk 2027" not in page
    assert f'href="?cycle={three_years[2028].pk}" aria-current="page"' in page
    closed = text(employee.get(my_year(tenant_a, cycle=three_years[2026].pk)))
    assert "Talk 2026" in closed and '<span class="badge">Closed</span>' in closed


def test_one_cycle_needs_no_choice(tenant_a, employee):
    year_cycle(tenant_a.organization, 2027, people=[tenant_a.employee])
    page = text(employee.get(my_year(tenant_a)))
    assert "Talk 2027" in page and "?cycle=" not in page


@pytest.mark.parametrize("asked", ["draft", "not mine", "other organisation", "abc", "0", "-1", "9" * 30, "1.0"])
def test_a_cycle_that_is_not_theirs_answers_404(tenant_a, tenant_b, employee, three_years, asked):
    cycles = {
        "draft": year_cycle(tenant_a.organization, 2029, CycleStatus.DRAFT, people=[tenant_a.employee]),
        "not mine": year_cycle(tenant_a.organization, 2025, people=[tenant_a.manager]),
        "other organisation": year_cycle(tenant_b.organization, 2027, people=[tenant_b.employee]),
    }
    value = cycles[asked].pk if asked in cycles else asked
    assert employee.get(my_year(tenant_a, cycle=value)).status_code == 404


def test_another_organisations_member_gets_404_whatever_the_cycle(tenant_a, tenant_b, client, three_years):
    assert_other_organisation_gets_404(client, tenant_b.employee, my_year(tenant_a, cycle=three_years[2027].pk))


def test_only_cycles_with_their_conversations_are_offered(tenant_a, employee, three_years):
    year_cycle(tenant_a.organization, 2025, people=[tenant_a.manager])  # Mark's, not Eva's
    year_cycle(tenant_a.organization, 2029, CycleStatus.DRAFT, people=[tenant_a.employee])
    links = employee.get(my_year(tenant_a)).context["cycle_links"]
    assert [link.cycle.name for link in links] == ["2026", "2027", "2028"]


def test_my_year_without_any_cycle_says_so(tenant_a, employee):
    page = text(employee.get(my_year(tenant_a)))
    assert "There is no active cycle with conversations for you yet." in page


def test_my_years_query_count_does_not_grow_with_the_cycles(tenant_a, employee):
    employee.get(my_year(tenant_a))  # creates the feed address: the measured visits only read

    def add_cycles(numbers):
        for number in numbers:
            year_cycle(tenant_a.organization, 2030 + number, CycleStatus.CLOSED, people=[tenant_a.employee])

    response = assert_flat_queries(lambda: employee.get(my_year(tenant_a)), add_cycles, few=2, many=40)
    assert len(response.context["cycle_links"]) == 40


# --- the team grid ---------------------------------------------------------------------------------------------


def test_the_grid_shows_the_current_cycle_and_links_to_the_others(tenant_a, manager, three_years):
    page = text(manager.get(team_grid(tenant_a)))
    assert "Talk 2027" in page and "Talk 2026" not in page and "Talk 2028" not in page
    assert page.count("<table") == 1
    assert f'href="?cycle={three_years[2027].pk}" aria-current="page"' in page
    page = text(manager.get(team_grid(tenant_a, cycle=three_years[2026].pk)))
    assert "Talk 2026" in page and "Talk 2027" not in page and '<span class="badge">Closed</span>' in page


def test_the_grid_offers_only_cycles_the_reports_have_conversations_in(tenant_a, tenant_b, manager, three_years):
    hers = year_cycle(tenant_a.organization, 2025, people=[tenant_a.outsider])  # Olaf reports to nobody
    theirs = year_cycle(tenant_b.organization, 2027, people=[tenant_b.employee])
    response = manager.get(team_grid(tenant_a))
    assert [link.cycle.name for link in response.context["cycle_links"]] == ["2026", "2027", "2028"]
    for other in (hers, theirs):
        assert manager.get(team_grid(tenant_a, cycle=other.pk)).status_code == 404
    assert manager.get(team_grid(tenant_a, cycle="2027")).status_code == 404


def test_the_grid_door_still_refuses_others(tenant_a, tenant_b, client, three_years):
    address = team_grid(tenant_a, cycle=three_years[2027].pk)
    assert_other_organisation_gets_404(client, tenant_b.manager, address)
    assert_role_forbidden(client, tenant_a.employee, address)


def test_a_manager_without_reports_is_told_so(tenant_a, three_years):
    lonely = EmployeeFactory(organization=tenant_a.organization, role="manager")
    page = text(client_for(lonely).get(team_grid(tenant_a)))
    assert "Nobody reports to you yet" in page and "<table" not in page


def test_the_grid_query_count_does_not_grow_with_the_cycles(tenant_a, manager):
    def add_cycles(numbers):
        for number in numbers:
            year_cycle(tenant_a.organization, 2030 + number, CycleStatus.CLOSED, people=[tenant_a.employee])

    response = assert_flat_queries(lambda: manager.get(team_grid(tenant_a)), add_cycles, few=2, many=40)
    assert len(response.context["cycle_links"]) == 40
