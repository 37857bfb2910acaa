"""The people list's team filter is typed, not a select of every team: it stays light at 300 teams.

Part of a name shows the people of every team containing it and lists those teams as links that choose one;
a whole name chooses that team. It all works without JavaScript (plain GET links and a submit button), and
htmx swaps only the results as one types.
"""

import pytest

from organizations.models import Team
from tests.factories import EmployeeFactory, TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    url,
)

pytestmark = pytest.mark.django_db


def people_list(tenant):
    return url("organizations:people_list", tenant.organization)


def listed(response):
    return {person.pk for person in response.context["page"].object_list}


@pytest.fixture
def teams(tenant_a):
    """Verkoop Noord, Verkoop Zuid and Inkoop, one person each."""
    made = {}
    for name in ["Verkoop Noord", "Verkoop Zuid", "Inkoop"]:
        team = TeamFactory(organization=tenant_a.organization, name=name)
        made[name] = (team, EmployeeFactory(organization=tenant_a.organization, team=team))
    return made


def test_the_page_has_no_select_of_teams(tenant_a, hr):
    TeamFactory.create_batch(30, organization=tenant_a.organization)
    page = hr.get(people_list(tenant_a)).content.decode()
    assert 'name="team_name"' in page
    assert '<select name="team"' not in page
    assert page.count("<option") < 10  # role and status only


def test_part_of_a_name_shows_the_people_of_every_team_containing_it_and_those_teams(tenant_a, hr, teams):
    response = hr.get(people_list(tenant_a), {"team_name": "verkoop"})
    assert listed(response) == {teams["Verkoop Noord"][1].pk, teams["Verkoop Zuid"][1].pk}
    page = response.content.decode()
    assert "Teams whose name contains “verkoop”" in page
    assert 'href="?team_name=Verkoop+Noord"' in page and 'href="?team_name=Verkoop+Zuid"' in page
    assert "Inkoop" not in page


def test_a_whole_name_in_any_case_chooses_that_team(tenant_a, hr, teams):
    response = hr.get(people_list(tenant_a), {"team_name": "verkoop noord"})
    assert listed(response) == {teams["Verkoop Noord"][1].pk}
    assert "Teams whose name contains" not in response.content.decode()


def test_choosing_a_team_keeps_the_other_filters(tenant_a, hr, teams):
    response = hr.get(people_list(tenant_a), {"team_name": "verkoop", "status": "all", "page": "1"})
    assert 'href="?team_name=Verkoop+Noord&amp;status=all"' in response.content.decode()


def test_a_name_in_no_team_says_so_and_lists_nobody(tenant_a, hr, teams):
    response = hr.get(people_list(tenant_a), {"team_name": "Marketing"})
    assert listed(response) == set()
    assert "No team's name contains “Marketing”." in response.content.decode()


def test_a_team_chosen_by_id_shows_its_name_and_a_typed_name_wins(tenant_a, hr, teams):
    team, member = teams["Inkoop"]
    response = hr.get(people_list(tenant_a), {"team": team.pk})
    assert listed(response) == {member.pk}
    assert 'value="Inkoop"' in response.content.decode()
    other = hr.get(people_list(tenant_a), {"team": team.pk, "team_name": "Verkoop Zuid"})
    assert listed(other) == {teams["Verkoop Zuid"][1].pk}


def test_more_than_twenty_teams_asks_for_more_of_the_name(tenant_a, hr):
    for n in range(25):
        TeamFactory(organization=tenant_a.organization, name=f"Regio {n:02d}")
    response = hr.get(people_list(tenant_a), {"team_name": "regio"})
    assert len(response.context["teams"]) == 20
    assert "Only the first 20 teams are shown; type more of the name." in response.content.decode()


def test_another_organisations_team_name_finds_nothing_here(tenant_a, tenant_b, hr):
    response = hr.get(people_list(tenant_a), {"team_name": tenant_b.team.name + "x"})
    assert listed(response) == set()
    Team.objects.filter(pk=tenant_b.team.pk).update(name="Alleen bij Bravo")
    assert listed(hr.get(people_list(tenant_a), {"team_name": "Alleen bij Bravo"})) == set()


def test_another_organisations_team_id_gets_a_dutch_field_error_and_shows_everyone(tenant_a, tenant_b):
    dutch = client_for(tenant_a.hr, language="nl")
    response = dutch.get(people_list(tenant_a), {"team": tenant_b.team.pk})
    assert response.status_code == 200
    assert field_error(response, "team") == "Selecteer een geldige keuze. Deze keuze is niet beschikbaar."
    assert len(listed(response)) == 4


@pytest.mark.parametrize("name", ["x" * 500, "%", "_", "\\", "' OR 1=1 --"])
def test_odd_team_names_never_fail(tenant_a, hr, name):
    assert hr.get(people_list(tenant_a), {"team_name": name}).status_code == 200


def test_typing_gets_only_the_results_with_the_matching_teams(tenant_a, hr, teams):
    response = hr.get(people_list(tenant_a), {"team_name": "verkoop"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="people-results"')
    assert "Verkoop Noord" in page


def test_the_team_search_stays_flat_with_many_teams_and_people(tenant_a, hr):
    def add(numbers):
        for n in numbers:
            team = TeamFactory(organization=tenant_a.organization, name=f"Verkoop {n}")
            EmployeeFactory(organization=tenant_a.organization, team=team, manager=tenant_a.manager)

    people = people_list(tenant_a) + "?team_name=verkoop&status=all"
    assert_flat_queries(lambda: hr.get(people), add)


def test_a_manager_gets_403_and_another_organisations_hr_404(client, tenant_a, stranger):
    address = people_list(tenant_a) + "?team_name=Klantenservice"
    assert_role_forbidden(client, tenant_a.manager, address)
    assert_other_organisation_gets_404(client, stranger, address)


def test_the_search_answers_only_get(tenant_a, hr):
    assert_method_not_allowed(hr, people_list(tenant_a) + "?team_name=x", "post")
