"""HR's expectations index at scale: the weight groups computed once in the database, a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from expectations import selectors
from expectations.models import Status
from organizations.models import Employee
from tests.factories import EmployeeFactory, ExpectationFactory, TeamFactory
from tests.kit import assert_flat_queries, url

pytestmark = pytest.mark.django_db


def index(tenant):
    return url("expectations:index", tenant.organization)


def naive_groups(organization):
    """What selectors.groups must give, counted the slow way: per team, the expectations that apply."""
    published = [row for row in selectors.expectations(organization=organization) if row.status == Status.PUBLISHED]
    result = {}
    for team in [*organization.teams.all(), None]:
        applicable = [row for row in published if row.for_everyone or (team is not None and team in row.teams.all())]
        people = Employee.objects.filter(organization=organization, is_active=True, team=team).count()
        result[team.pk if team else None] = (people, len(applicable), sum(r.current_version.weight for r in applicable))
    return result


def test_groups_count_and_weigh_per_team_as_the_audiences_say(tenant_a):
    organization = tenant_a.organization
    ontwikkeling = TeamFactory(organization=organization, name="Ontwikkeling")
    EmployeeFactory(organization=organization, team=ontwikkeling)
    ExpectationFactory(organization=organization, weight=30)
    ExpectationFactory(organization=organization, weight=25, for_everyone=False, teams=[tenant_a.team])
    ExpectationFactory(organization=organization, weight=45, for_everyone=False, teams=[tenant_a.team, ontwikkeling])
    ExpectationFactory(organization=organization, weight=99, status=Status.DRAFT, published_at=None)
    groups = selectors.groups(organization=organization)
    found = {group.team.pk if group.team else None: (group.people, group.count, group.weight) for group in groups}
    assert found == naive_groups(organization)
    assert found[tenant_a.team.pk] == (2, 3, 100) and found[ontwikkeling.pk] == (1, 2, 75)
    assert found[None] == (2, 1, 30)  # HR and Olaf have no team


def test_extra_and_without_count_one_as_published_or_leave_it_out(tenant_a):
    organization = tenant_a.organization
    live = ExpectationFactory(organization=organization, weight=30, for_everyone=False, teams=[tenant_a.team])
    draft = ExpectationFactory(
        organization=organization,
        weight=20,
        status=Status.DRAFT,
        published_at=None,
        for_everyone=False,
        teams=[tenant_a.team],
    )
    by_team = lambda groups: {g.team.pk if g.team else None: (g.count, g.weight) for g in groups}  # noqa: E731
    assert by_team(selectors.groups(organization=organization, extra=draft))[tenant_a.team.pk] == (2, 50)
    assert by_team(selectors.groups(organization=organization, without=live))[tenant_a.team.pk] == (0, 0)
    assert by_team(selectors.groups(organization=organization, extra=live))[tenant_a.team.pk] == (1, 30)


def test_the_index_makes_at_most_15_queries_whatever_the_number_of_teams_and_expectations(tenant_a, hr):
    organization = tenant_a.organization

    def build(numbers):
        for number in numbers:
            team = TeamFactory(organization=organization, name=f"Team {number:03}")
            EmployeeFactory(organization=organization, team=team)
            ExpectationFactory(organization=organization, for_everyone=False, teams=[team], weight=100)

    response = assert_flat_queries(lambda: hr.get(index(tenant_a)), build, few=2, many=40)
    assert len(response.context["groups"]) == 42  # 40 teams, Klantenservice and the people without a team
    with CaptureQueriesContext(connection) as queries:
        hr.get(index(tenant_a))
    assert len(queries) <= 15
    assert sum("expectations_expectation_teams" in q["sql"] for q in queries) == 2  # groups once, audiences once


@pytest.mark.parametrize("page", ["expectations:index", "expectations:settings"])
def test_what_weighs_shows_the_groups_that_need_attention_first_50_a_page_and_five_warnings(tenant_a, hr, page):
    organization = tenant_a.organization
    for number in range(60):
        team = TeamFactory(organization=organization, name=f"Team {number:03}")
        EmployeeFactory(organization=organization, team=team)
        # Teams 000–049 have it in order; the ten from 050 weigh 80 % and need attention.
        ExpectationFactory(
            organization=organization, for_everyone=False, teams=[team], weight=100 if number < 50 else 80
        )
    address = url(page, organization)
    first = hr.get(address)
    weights = first.context["weights"]
    assert (weights.paginator.count, len(weights.object_list), weights.paginator.num_pages) == (62, 50, 2)
    assert first.context["weights_attention"] == 10  # Klantenservice and the people without a team have none
    named = [group.team.name if group.team else None for group in weights.object_list]
    assert set(named[:10]) == {f"Team {number:03}" for number in range(50, 60)}
    body = first.content.decode()
    assert len(first.context["warnings_shown"]) == 5 and first.context["warnings_more"] == 5
    assert body.count("change them by") == 5
    assert "And 5 more groups whose weights do not add up to 100 %: marked in the table below." in body
    assert "The table starts with the 10 groups that need attention." in body
    assert "?weights=2#" in body
    second = hr.get(address + "?weights=2")
    assert len(second.context["weights"].object_list) == 12
    assert hr.get(address + "?weights=x").status_code == 200  # a bad page number gives the first page
