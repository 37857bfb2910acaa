"""Pages answer in a fixed number of queries, however many rows they show."""

import pytest
from django.utils import timezone

from tests.factories import EmployeeFactory, InvitationFactory, TeamFactory
from tests.kit import assert_flat_queries, client_for, url

pytestmark = pytest.mark.django_db


def people_adder(tenant):
    """Adds one person per number with everything the list shows: a team, a manager, invitations in every state."""

    def add(numbers):
        for n in numbers:
            person = EmployeeFactory(organization=tenant.organization, team=tenant.team, manager=tenant.manager)
            if n % 3 == 0:
                InvitationFactory(employee=person)
            elif n % 3 == 1:
                InvitationFactory(employee=person, accepted_at=timezone.now())

    return add


def reports_adder(manager):
    """Adds one report of ``manager`` per number, in the manager's team (or a team of their own)."""
    team = manager.team or TeamFactory(organization=manager.organization)

    def add(numbers):
        for _ in numbers:
            EmployeeFactory(organization=manager.organization, manager=manager, team=team)

    return add


@pytest.mark.parametrize(("few", "many"), [(3, 60), (2, 40)])
def test_the_people_list_makes_as_many_queries_for_many_people_as_for_few(tenant_a, hr, few, many):
    people = url("organizations:people_list", tenant_a.organization)
    response = assert_flat_queries(lambda: hr.get(people), people_adder(tenant_a), few=few, many=many)
    assert response.context["page"].paginator.count == many + 4  # and Alfa's own four


def test_the_filtered_people_list_and_its_htmx_partial_stay_flat(tenant_a, hr):
    people = url("organizations:people_list", tenant_a.organization) + f"?team={tenant_a.team.pk}&q=a&status=all"
    assert_flat_queries(lambda: hr.get(people), people_adder(tenant_a))
    partial = assert_flat_queries(lambda: hr.get(people, headers={"HX-Request": "true"}), people_adder(tenant_a))
    assert "<html" not in partial.content.decode()


def test_the_team_list_makes_as_many_queries_for_40_teams_as_for_2(tenant_a, hr):
    def add_teams(numbers):
        for _ in numbers:
            team = TeamFactory(organization=tenant_a.organization)
            EmployeeFactory.create_batch(2, organization=tenant_a.organization, team=team)

    # With the tenant's own team: 2, then 40.
    teams = url("organizations:team_list", tenant_a.organization)
    response = assert_flat_queries(lambda: hr.get(teams), add_teams, few=1, many=39)
    assert len(response.context["teams"]) == 40


def test_the_team_edit_page_makes_as_many_queries_for_40_members_as_for_2(tenant_a, hr):
    team = TeamFactory(organization=tenant_a.organization)
    page = url("organizations:team_edit", tenant_a.organization, team_id=team.pk)

    def add_members(numbers):
        EmployeeFactory.create_batch(len(numbers), organization=tenant_a.organization, team=team)

    response = assert_flat_queries(lambda: hr.get(page), add_members)
    assert len(response.context["members"]) == 40


def test_a_managers_home_page_makes_as_many_queries_for_40_reports_as_for_2(tenant_a, manager):
    # With the tenant's own employee: 2 reports, then 40.
    home = url("organizations:home", tenant_a.organization)
    assert_flat_queries(lambda: manager.get(home), reports_adder(tenant_a.manager), few=1, many=39)


def test_an_hr_admins_home_page_stays_flat_with_reports_and_people(tenant_a, hr):
    home = url("organizations:home", tenant_a.organization)
    assert_flat_queries(lambda: hr.get(home), reports_adder(tenant_a.hr))


@pytest.mark.parametrize("viewer", ["hr", "manager"])
def test_the_person_page_makes_as_many_queries_for_40_reports_as_for_2(tenant_a, viewer):
    client = client_for(tenant_a.member(viewer))
    # HR opens the manager's page; the manager opens their own.
    page = url("organizations:person_detail", tenant_a.organization, employee_id=tenant_a.manager.pk)
    InvitationFactory(employee=tenant_a.manager)
    # With the tenant's own employee: 2 reports, then 40.
    response = assert_flat_queries(lambda: client.get(page), reports_adder(tenant_a.manager), few=1, many=39)
    assert len(response.context["reports"]) == 40
