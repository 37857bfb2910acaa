"""A person's page: who may open it, and what it shows to whom."""

import pytest
from django.utils import timezone

from organizations import services
from organizations.models import Employee
from tests.factories import EmployeeFactory, InvitationFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    url,
)

pytestmark = pytest.mark.django_db


def detail(person):
    return url("organizations:person_detail", person.organization, employee_id=person.pk)


def test_hr_sees_anyone_with_the_edit_and_access_controls(tenant_a, hr):
    response = hr.get(detail(tenant_a.employee))
    assert response.status_code == 200
    page = response.content.decode()
    assert tenant_a.employee.email in page
    assert tenant_a.manager.full_name in page
    assert url("organizations:person_edit", tenant_a.organization, employee_id=tenant_a.employee.pk) in page
    assert url("organizations:person_deactivate", tenant_a.organization, employee_id=tenant_a.employee.pk) in page
    assert f"; logs in as {tenant_a.employee.email}." in page  # joined, with a password


def test_hr_is_not_offered_to_deactivate_themselves(tenant_a, hr):
    page = hr.get(detail(tenant_a.hr)).content.decode()
    assert url("organizations:person_deactivate", tenant_a.organization, employee_id=tenant_a.hr.pk) not in page


def test_an_employee_sees_their_own_page_without_controls(tenant_a, employee):
    response = employee.get(detail(tenant_a.employee))
    assert response.status_code == 200
    page = response.content.decode()
    assert url("organizations:person_edit", tenant_a.organization, employee_id=tenant_a.employee.pk) not in page
    assert url("organizations:person_invite", tenant_a.organization, employee_id=tenant_a.employee.pk) not in page


def test_an_employee_opening_another_employees_page_gets_403(client, tenant_a):
    assert_role_forbidden(client, tenant_a.employee, detail(tenant_a.outsider))


def test_an_employee_opening_their_managers_page_gets_403(client, tenant_a):
    assert_role_forbidden(client, tenant_a.employee, detail(tenant_a.manager))


def test_a_manager_sees_a_direct_report(tenant_a, manager):
    assert manager.get(detail(tenant_a.employee)).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "hr"])
def test_a_manager_opening_someone_who_is_not_their_report_gets_403(client, tenant_a, who):
    assert_role_forbidden(client, tenant_a.manager, detail(getattr(tenant_a, who)))


def test_a_manager_opening_a_report_of_their_report_gets_403(client, tenant_a):
    indirect = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.employee)
    assert_role_forbidden(client, tenant_a.manager, detail(indirect))


def test_the_page_lists_the_persons_active_reports(tenant_a, hr):
    gone = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager, is_active=False)
    page = hr.get(detail(tenant_a.manager)).content.decode()
    assert tenant_a.employee.full_name in page
    assert gone.full_name not in page


def test_hr_sees_the_state_of_the_latest_invitation(tenant_a, hr):
    Employee.objects.filter(pk=tenant_a.employee.pk).update(joined_at=None)  # someone who has not joined yet
    assert "Not invited yet." in hr.get(detail(tenant_a.employee)).content.decode()
    InvitationFactory(employee=tenant_a.employee, revoked_at=timezone.now())
    assert "The last invitation has expired or was withdrawn." in hr.get(detail(tenant_a.employee)).content.decode()
    InvitationFactory(employee=tenant_a.employee)
    assert "Invited; the link is valid until" in hr.get(detail(tenant_a.employee)).content.decode()


def test_hr_sees_a_deactivated_person_with_the_reactivate_button(tenant_a, hr):
    services.person_deactivate(employee=tenant_a.outsider, actor=tenant_a.hr)
    page = hr.get(detail(tenant_a.outsider)).content.decode()
    assert "Deactivated on" in page
    assert url("organizations:person_reactivate", tenant_a.organization, employee_id=tenant_a.outsider.pk) in page


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_a_member_of_another_organisation_gets_404(client, tenant_a, tenant_b, role):
    assert_other_organisation_gets_404(client, tenant_b.member(role), detail(tenant_a.employee))


def test_another_organisations_person_under_this_organisations_address_gets_404(client, tenant_a, tenant_b):
    theirs = url("organizations:person_detail", tenant_a.organization, employee_id=tenant_b.employee.pk)
    assert_refused(client, tenant_a.hr, theirs, 404)


@pytest.mark.parametrize("employee_id", ["abc", "0", "-1", "99999999", "9" * 30])
def test_an_id_that_is_not_a_person_gets_404(client, tenant_a, employee_id):
    nobody = url("organizations:person_detail", tenant_a.organization, employee_id=employee_id)
    assert_refused(client, tenant_a.hr, nobody, 404)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_page_answers_only_get(tenant_a, hr, method):
    assert_method_not_allowed(hr, detail(tenant_a.employee), method)
