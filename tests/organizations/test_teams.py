"""HR's team pages: list and create, rename, delete (members stay, without a team)."""

import pytest
from django.core.exceptions import ValidationError

from organizations import services
from organizations.models import Employee, Team
from tests.factories import EmployeeFactory, TeamFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


def team_list(tenant):
    return url("organizations:team_list", tenant.organization)


def teams():
    return sorted(Team.objects.values_list("organization_id", "name"))


def edit(team):
    return url("organizations:team_edit", team.organization, team_id=team.pk)


def delete(team):
    return url("organizations:team_delete", team.organization, team_id=team.pk)


# The list and creating a team


def test_hr_sees_this_organisations_teams_with_their_active_member_count(tenant_a, tenant_b, hr):
    EmployeeFactory(organization=tenant_a.organization, team=tenant_a.team, is_active=False)
    response = hr.get(team_list(tenant_a))
    assert response.status_code == 200
    rows = {team.name: team.member_count for team in response.context["teams"]}
    assert rows == {"Klantenservice": 2}
    assert edit(tenant_a.team) in response.content.decode()


def test_hr_creates_a_team(tenant_a, hr):
    before = teams()
    response = hr.post(team_list(tenant_a), {"name": "  Ontwikkeling "})
    assert response.status_code == 302
    assert response["Location"] == team_list(tenant_a)
    assert teams() == sorted([*before, (tenant_a.organization.pk, "Ontwikkeling")])


def test_a_team_name_used_in_another_organisation_is_fine(tenant_a, tenant_b, hr):
    hr.post(team_list(tenant_a), {"name": "Bravo-only"})
    TeamFactory(organization=tenant_b.organization, name="Gedeeld")
    assert hr.post(team_list(tenant_a), {"name": "Gedeeld"}).status_code == 302


def test_a_duplicate_team_name_gets_a_field_error_and_creates_nothing(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(team_list(tenant_a), {"name": tenant_a.team.name})
    assert response.status_code == 200
    assert field_error(response, "name") == "There is already a team with this name."


def test_an_empty_name_gets_an_english_field_error_and_creates_nothing(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(team_list(tenant_a), {"name": "   "})
    assert field_error(response, "name") == "This field is required."


def test_a_too_long_name_gets_a_field_error(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(team_list(tenant_a), {"name": "x" * 121})
    assert field_error(response, "name") == "Ensure this value has at most 120 characters (it has 121)."


def test_the_service_refuses_a_duplicate_team_name(tenant_a):
    with pytest.raises(ValidationError):
        services.team_create(organization=tenant_a.organization, name=f" {tenant_a.team.name} ")
    assert Team.objects.filter(organization=tenant_a.organization).count() == 1


# Renaming


def test_the_edit_page_lists_the_active_members(tenant_a, hr):
    gone = EmployeeFactory(organization=tenant_a.organization, team=tenant_a.team, is_active=False)
    response = hr.get(edit(tenant_a.team))
    assert {member.pk for member in response.context["members"]} == {tenant_a.manager.pk, tenant_a.employee.pk}
    assert gone.full_name not in response.content.decode()


def test_hr_renames_a_team(tenant_a, hr):
    before = [row for row in teams() if row != (tenant_a.organization.pk, "Klantenservice")]
    response = hr.post(edit(tenant_a.team), {"name": " Klantcontact "})
    assert response.status_code == 302
    assert response["Location"] == team_list(tenant_a)
    assert teams() == sorted([*before, (tenant_a.organization.pk, "Klantcontact")])
    assert Team.objects.get(pk=tenant_a.team.pk).name == "Klantcontact"


def test_renaming_to_another_teams_name_gets_a_field_error_and_keeps_the_old_name(tenant_a, hr):
    TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.team), {"name": "Ontwikkeling"})
    assert response.status_code == 200
    assert field_error(response, "name") == "There is already a team with this name."
    assert response.context["team"].name == "Klantenservice"


def test_renaming_to_an_empty_name_gets_a_field_error(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.team), {"name": ""})
    assert field_error(response, "name") == "This field is required."


def test_renaming_to_the_same_name_is_harmless(tenant_a):
    services.team_rename(team=tenant_a.team, name="Klantenservice")
    assert Team.objects.get(pk=tenant_a.team.pk).name == "Klantenservice"


# Deleting


def test_deleting_a_team_keeps_its_members_without_a_team(tenant_a, hr):
    members = {tenant_a.manager.pk, tenant_a.employee.pk}
    response = hr.post(delete(tenant_a.team), {"confirm": "yes"}, follow=True)  # as the confirmation page posts
    assert response.redirect_chain == [(team_list(tenant_a), 302)]
    assert not Team.objects.filter(pk=tenant_a.team.pk).exists()
    assert set(Employee.objects.filter(pk__in=members, team__isnull=True).values_list("pk", flat=True)) == members
    assert Employee.objects.filter(pk__in=members, is_active=True).count() == 2
    assert shown_messages(response) == ["Team Klantenservice has been deleted; its 2 members no longer have a team."]


def test_the_service_returns_how_many_members_the_deleted_team_had(tenant_a):
    assert services.team_delete(team=tenant_a.team) == 2
    assert Employee.objects.filter(organization=tenant_a.organization).count() == 4


# Who may, and how


PAGES = {
    "team_list": team_list,
    "team_edit": lambda tenant: edit(tenant.team),
    "team_delete": lambda tenant: delete(tenant.team),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["manager", "employee"])
def test_a_manager_or_employee_gets_403_and_changes_no_team(client, tenant_a, role, page):
    member, address = tenant_a.member(role), PAGES[page](tenant_a)
    assert_role_forbidden(client, member, address)
    assert_role_forbidden(client, member, address, "post", {"name": "Overgenomen"})


@pytest.mark.parametrize("page", PAGES)
def test_hr_of_another_organisation_gets_404_and_changes_no_team(client, stranger, tenant_a, page):
    assert_other_organisation_gets_404(client, stranger, PAGES[page](tenant_a), "post", {"name": "Overgenomen"})


@pytest.mark.parametrize("name", ["team_edit", "team_delete"])
def test_another_organisations_team_under_this_organisations_address_gets_404(client, tenant_a, tenant_b, name):
    for team_id in (tenant_b.team.pk, "abc"):
        address = url(f"organizations:{name}", tenant_a.organization, team_id=team_id)
        assert_refused(client, tenant_a.hr, address, 404, "post", {"name": "Overgenomen"})


@pytest.mark.parametrize(
    ("page", "method"),
    [
        ("team_list", "put"),
        ("team_list", "delete"),
        ("team_edit", "put"),
        ("team_edit", "delete"),
        ("team_delete", "put"),
    ],
)
def test_a_wrong_method_gets_405_and_changes_nothing(tenant_a, hr, page, method):
    assert_method_not_allowed(hr, PAGES[page](tenant_a), method)


def test_deleting_a_team_without_members_says_only_that_it_is_gone(tenant_a, hr):
    empty = TeamFactory(organization=tenant_a.organization, name="Leeg")
    response = hr.post(delete(empty), {"confirm": "yes"}, follow=True)
    assert shown_messages(response) == ["Team Leeg has been deleted."]


def test_the_edit_page_of_an_empty_team_does_not_speak_of_its_members(tenant_a, hr):
    empty = TeamFactory(organization=tenant_a.organization, name="Leeg")
    assert "Its members stay in the organisation" not in hr.get(edit(empty)).content.decode()
    assert "Its members stay in the organisation" in hr.get(edit(tenant_a.team)).content.decode()
