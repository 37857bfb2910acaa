"""HR's home page says how many conversations are overdue and links straight to the overdue list, in one query
whatever the organisation's size; managers and employees do not get the card. The clock and the people:
tests/cycles/overdue_world.py."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles import selectors_overdue
from cycles.models import Conversation, ConversationState
from tests.cycles.overdue_world import JULY, add_overdue, list_url, overdue_year
from tests.factories import CycleFactory
from tests.kit import assert_flat_queries, client_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def july():
    with time_machine.travel(JULY):
        yield


@pytest.fixture
def year(tenant_a):
    return overdue_year(tenant_a)


def home(tenant):
    return url("organizations:home", tenant.organization)


def test_hr_sees_how_many_are_overdue_with_a_link_to_the_list(tenant_a, year, july):
    response = client_for(tenant_a.hr).get(home(tenant_a))
    page = response.content.decode()
    assert f'<a href="{list_url(tenant_a, year.cycle)}">2 conversations overdue</a>' in page
    assert client_for(tenant_a.hr).get(list_url(tenant_a, year.cycle)).status_code == 200  # one click away


def test_with_nothing_overdue_the_card_says_so(tenant_a, year, july):
    Conversation.objects.filter(moment=year.june).update(state=ConversationState.HELD)
    page = client_for(tenant_a.hr).get(home(tenant_a)).content.decode()
    assert f"Nothing is overdue in cycle {year.cycle.name}." in page
    assert list_url(tenant_a, year.cycle) not in page


def test_each_active_cycle_has_its_line_and_a_draft_has_none(tenant_a, year, july):
    CycleFactory(organization=tenant_a.organization, name="Concept 2028")  # being prepared
    response = client_for(tenant_a.hr).get(home(tenant_a))
    assert [(cycle.pk, cycle.overdue) for cycle in response.context["overdue_home"]] == [(year.cycle.pk, 2)]


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_managers_and_employees_get_no_card(tenant_a, year, july, role):
    response = client_for(tenant_a.member(role)).get(home(tenant_a))
    assert response.context["overdue_home"] is None
    assert list_url(tenant_a, year.cycle) not in response.content.decode()


def test_the_card_is_one_query(tenant_a, year, july):
    with CaptureQueriesContext(connection) as queries:
        card = selectors_overdue.home_card(employee=tenant_a.hr)
    assert len(queries) == 1 and card["overdue_home"][0].overdue == 2


def test_the_home_page_costs_the_same_with_2_and_40_overdue(tenant_a, year, july):
    hr = client_for(tenant_a.hr)
    response = assert_flat_queries(
        lambda: hr.get(home(tenant_a)), lambda numbers: add_overdue(tenant_a, year.june, numbers)
    )
    assert "42 conversations overdue" in response.content.decode()
