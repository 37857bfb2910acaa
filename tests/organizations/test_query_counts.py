"""Pages answer in a fixed number of queries, however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import EmployeeFactory, InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"organizations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def queries(client, path):
    """How many queries one GET of ``path`` makes (after a first request has settled the session)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), [query["sql"] for query in captured]


def assert_flat(small, large, what):
    (few, _), (many, many_sql) = small, large
    assert few == many, f"{what}: {few} queries with few rows, {many} with many:\n" + "\n".join(many_sql)


def add_people(tenant, count):
    """People with everything the list shows: a team, a manager, invitations in every state."""
    for n in range(count):
        person = EmployeeFactory(organization=tenant.organization, team=tenant.team, manager=tenant.manager)
        if n % 3 == 0:
            InvitationFactory(employee=person)
        elif n % 3 == 1:
            InvitationFactory(employee=person, accepted_at=timezone.now())


@pytest.mark.parametrize(("few", "many"), [(3, 60), (2, 40)])
def test_the_people_list_makes_as_many_queries_for_many_people_as_for_few(tenant_a, login, few, many):
    client = login(tenant_a.hr)
    people = url("people_list", tenant_a.organization)
    add_people(tenant_a, few)
    small = queries(client, people)
    add_people(tenant_a, many - few)
    large = queries(client, people)
    assert_flat(small, large, "people list")


def test_the_filtered_people_list_and_its_htmx_partial_stay_flat(tenant_a, login):
    client = login(tenant_a.hr)
    people = url("people_list", tenant_a.organization) + f"?team={tenant_a.team.pk}&q=a&status=all"
    add_people(tenant_a, 2)
    small = queries(client, people)
    add_people(tenant_a, 38)
    assert_flat(small, queries(client, people), "filtered people list")
    client.defaults["HTTP_HX_REQUEST"] = "true"
    add_people(tenant_a, 2)
    small = queries(client, people)
    add_people(tenant_a, 38)
    assert_flat(small, queries(client, people), "people list partial")


def test_the_team_list_makes_as_many_queries_for_40_teams_as_for_2(tenant_a, login):
    client = login(tenant_a.hr)
    teams = url("team_list", tenant_a.organization)

    def add_teams(count):
        for _ in range(count):
            team = TeamFactory(organization=tenant_a.organization)
            EmployeeFactory.create_batch(2, organization=tenant_a.organization, team=team)

    add_teams(1)  # with the tenant's own team: 2
    small = queries(client, teams)
    add_teams(38)
    assert_flat(small, queries(client, teams), "team list")


def test_the_team_edit_page_makes_as_many_queries_for_40_members_as_for_2(tenant_a, login):
    client = login(tenant_a.hr)
    team = TeamFactory(organization=tenant_a.organization)
    page = url("team_edit", tenant_a.organization, team_id=team.pk)
    EmployeeFactory.create_batch(2, organization=tenant_a.organization, team=team)
    small = queries(client, page)
    EmployeeFactory.create_batch(38, organization=tenant_a.organization, team=team)
    assert_flat(small, queries(client, page), "team edit page")


def add_reports(manager, count):
    team = manager.team or TeamFactory(organization=manager.organization)
    for _ in range(count):
        EmployeeFactory(organization=manager.organization, manager=manager, team=team)


def test_a_managers_home_page_makes_as_many_queries_for_40_reports_as_for_2(tenant_a, login):
    client = login(tenant_a.manager)
    home = url("home", tenant_a.organization)
    add_reports(tenant_a.manager, 1)  # with the tenant's own employee: 2
    small = queries(client, home)
    add_reports(tenant_a.manager, 38)
    assert_flat(small, queries(client, home), "manager's home page")


def test_an_hr_admins_home_page_stays_flat_with_reports_and_people(tenant_a, login):
    client = login(tenant_a.hr)
    home = url("home", tenant_a.organization)
    add_reports(tenant_a.hr, 2)
    small = queries(client, home)
    add_reports(tenant_a.hr, 38)
    assert_flat(small, queries(client, home), "HR's home page")


@pytest.mark.parametrize("viewer", ["hr", "manager"])
def test_the_person_page_makes_as_many_queries_for_40_reports_as_for_2(tenant_a, login, viewer):
    client = login(tenant_a.member(viewer))
    # HR opens the manager's page; the manager opens their own.
    page = url("person_detail", tenant_a.organization, employee_id=tenant_a.manager.pk)
    add_reports(tenant_a.manager, 1)
    InvitationFactory(employee=tenant_a.manager)
    small = queries(client, page)
    add_reports(tenant_a.manager, 38)
    assert_flat(small, queries(client, page), f"person page seen by {viewer}")
