"""The home page of the organisation area: what each role sees."""

import pytest
from django.urls import reverse

from organizations.models import Role
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"organizations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def test_an_employee_sees_their_job_title_team_and_manager_but_no_reports_or_numbers(tenant_a, login):
    in_english(tenant_a.employee)
    response = login(tenant_a.employee).get(url("home", tenant_a.organization))
    assert response.status_code == 200
    page = response.content.decode()
    assert tenant_a.employee.job_title in page
    assert tenant_a.team.name in page
    assert tenant_a.manager.full_name in page
    assert "People who report to you" not in page
    assert "Organisation overview" not in page


def test_a_manager_sees_their_active_direct_reports_only(tenant_a, login):
    in_english(tenant_a.manager)
    gone = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager, is_active=False)
    indirect = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.employee)
    response = login(tenant_a.manager).get(url("home", tenant_a.organization))
    page = response.content.decode()
    assert "People who report to you" in page
    assert url("person_detail", tenant_a.organization, employee_id=tenant_a.employee.pk) in page
    assert gone.full_name not in page
    assert indirect.full_name not in page
    assert "Organisation overview" not in page


def test_a_manager_without_reports_is_told_nobody_reports_to_them(tenant_a, login):
    in_english(tenant_a.manager)
    tenant_a.employee.manager = None
    tenant_a.employee.save(update_fields=["manager"])
    page = login(tenant_a.manager).get(url("home", tenant_a.organization)).content.decode()
    assert "Nobody reports to you yet." in page


def test_an_hr_admin_sees_the_organisations_numbers(tenant_a, login):
    in_english(tenant_a.hr)
    EmployeeFactory(organization=tenant_a.organization, is_active=False)
    response = login(tenant_a.hr).get(url("home", tenant_a.organization))
    counts = response.context["counts"]
    # hr, manager, employee and outsider are active; one is deactivated.
    assert counts == {"active": 4, "inactive": 1, "managers": 1, "without_manager": 3, "teams": 1}
    assert "Organisation overview" in response.content.decode()


def test_the_navigation_offers_people_and_teams_to_hr_only(tenant_a, login, client):
    people = f'href="{url("people_list", tenant_a.organization)}"'
    assert people in login(tenant_a.hr).get(url("home", tenant_a.organization)).content.decode()
    client.logout()
    for member in (tenant_a.manager, tenant_a.employee):
        assert people not in login(member).get(url("home", tenant_a.organization)).content.decode()


def test_a_member_of_another_organisation_gets_404(tenant_a, tenant_b, login):
    for role in ("hr", "manager", "employee"):
        assert login(tenant_b.member(role)).get(url("home", tenant_a.organization)).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_home_answers_only_get(tenant_a, login, method):
    response = getattr(login(tenant_a.employee), method)(url("home", tenant_a.organization))
    assert response.status_code == 405


def test_every_role_may_open_home(tenant_a, login):
    for role in Role:
        member = EmployeeFactory(organization=tenant_a.organization, role=role)
        assert login(member).get(url("home", tenant_a.organization)).status_code == 200
