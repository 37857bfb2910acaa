"""HR's people list: search, filters, status, pagination and the htmx partial."""

import pytest
from django.utils import timezone

from organizations.models import Employee, Role
from tests.factories import EmployeeFactory, InvitationFactory, TeamFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    url,
)

pytestmark = pytest.mark.django_db


def people_list(tenant):
    return url("organizations:people_list", tenant.organization)


def listed(response):
    return {person.pk for person in response.context["page"].object_list}


def test_hr_sees_every_active_person_with_team_manager_and_email(tenant_a, hr):
    gone = EmployeeFactory(organization=tenant_a.organization, is_active=False)
    response = hr.get(people_list(tenant_a))
    assert response.status_code == 200
    everyone = {tenant_a.hr.pk, tenant_a.manager.pk, tenant_a.employee.pk, tenant_a.outsider.pk}
    assert listed(response) == everyone
    page = response.content.decode()
    assert tenant_a.employee.user.email in page
    assert tenant_a.team.name in page
    assert gone.full_name not in page
    assert "4 people" in page


def test_the_list_does_not_show_another_organisations_people(tenant_a, tenant_b, hr):
    response = hr.get(people_list(tenant_a), {"status": "all"})
    assert not listed(response) & {tenant_b.hr.pk, tenant_b.employee.pk, tenant_b.outsider.pk}


def test_hr_can_list_deactivated_people_or_everyone(tenant_a, hr):
    gone = EmployeeFactory(organization=tenant_a.organization, is_active=False)
    assert listed(hr.get(people_list(tenant_a), {"status": "inactive"})) == {gone.pk}
    assert gone.pk in listed(hr.get(people_list(tenant_a), {"status": "all"}))
    page = hr.get(people_list(tenant_a), {"status": "inactive"}).content.decode()
    assert "Deactivated" in page


def test_search_matches_every_word_in_name_email_or_job_title(tenant_a, hr):
    sanne = EmployeeFactory(
        organization=tenant_a.organization, first_name="Sanne", last_name="Bakker", job_title="Klantadviseur"
    )
    EmployeeFactory(organization=tenant_a.organization, first_name="Sanne", last_name="Visser", job_title="Tester")
    people = people_list(tenant_a)
    assert listed(hr.get(people, {"q": "sanne klantadv"})) == {sanne.pk}
    assert listed(hr.get(people, {"q": sanne.user.email.upper()})) == {sanne.pk}


def test_hr_can_filter_by_team_and_by_role(tenant_a, hr):
    people = people_list(tenant_a)
    assert listed(hr.get(people, {"team": tenant_a.team.pk})) == {tenant_a.manager.pk, tenant_a.employee.pk}
    assert listed(hr.get(people, {"role": Role.MANAGER})) == {tenant_a.manager.pk}


def test_the_status_column_tells_who_was_invited_and_who_accepted(tenant_a, hr):
    # Eva and Olaf have not joined yet: Eva has an open link, Olaf none. Mark joined and has a login.
    Employee.objects.filter(pk__in=[tenant_a.employee.pk, tenant_a.outsider.pk]).update(joined_at=None)
    InvitationFactory(employee=tenant_a.employee)
    InvitationFactory(employee=tenant_a.manager, accepted_at=timezone.now())
    response = hr.get(people_list(tenant_a))
    rows = {person.pk: person for person in response.context["page"].object_list}
    assert rows[tenant_a.employee.pk].invited_at is not None
    assert rows[tenant_a.employee.pk].invitation_accepted_at is None
    assert rows[tenant_a.manager.pk].invitation_accepted_at is not None
    assert rows[tenant_a.outsider.pk].invited_at is None
    page = response.content.decode()
    assert "Invited" in page and "Has access" in page and "Not invited" in page


def test_a_team_of_another_organisation_in_the_filter_gets_a_field_error_and_shows_everyone(tenant_a, tenant_b, hr):
    response = hr.get(people_list(tenant_a), {"team": tenant_b.team.pk})
    assert response.status_code == 200
    assert field_error(response, "team") == "Select a valid choice. That choice is not one of the available choices."
    assert listed(response) == {tenant_a.hr.pk, tenant_a.manager.pk, tenant_a.employee.pk, tenant_a.outsider.pk}


@pytest.mark.parametrize("params", [{"status": "bogus"}, {"role": "king"}, {"team": "x"}, {"page": "x"}])
def test_nonsense_in_the_query_string_never_fails(tenant_a, hr, params):
    response = hr.get(people_list(tenant_a), params)
    assert response.status_code == 200
    assert len(listed(response)) == 4


def test_the_list_is_paginated_and_keeps_the_filter_in_page_links(tenant_a, hr):
    team = TeamFactory(organization=tenant_a.organization, name="Groot")
    EmployeeFactory.create_batch(55, organization=tenant_a.organization, team=team)
    people = people_list(tenant_a)
    first = hr.get(people, {"team": team.pk})
    assert len(listed(first)) == 50
    assert f"?team={team.pk}&amp;page=2" in first.content.decode()
    second = hr.get(people, {"team": team.pk, "page": 2})
    assert len(listed(second)) == 5
    assert not listed(first) & listed(second)


def test_an_htmx_request_gets_only_the_results(tenant_a, hr):
    response = hr.get(people_list(tenant_a), {"q": "x"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="people-results"')
    assert "<html" not in page


def test_a_boosted_htmx_request_gets_the_whole_page(tenant_a, hr):
    headers = {"HX-Request": "true", "HX-Boosted": "true"}
    page = hr.get(people_list(tenant_a), headers=headers).content.decode()
    assert "<html" in page


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_a_manager_or_employee_gets_403(client, tenant_a, role):
    assert_role_forbidden(client, tenant_a.member(role), people_list(tenant_a))


def test_hr_of_another_organisation_gets_404(client, stranger, tenant_a):
    assert_other_organisation_gets_404(client, stranger, people_list(tenant_a))


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_list_answers_only_get(tenant_a, hr, method):
    assert_method_not_allowed(hr, people_list(tenant_a), method)
