"""The optional employee number: HR types it in the person form, it is unique within the organisation, and HR sees
it on the person's page."""

import pytest
from django.core.exceptions import ValidationError

from organizations import services
from organizations.models import Employee
from tests.kit import assert_nothing_changes, client_for, field_error, person_form, url

pytestmark = pytest.mark.django_db

TAKEN = "Someone in this organisation already has this employee number."


def edit(person):
    return url("organizations:person_edit", person.organization, employee_id=person.pk)


def detail(person):
    return url("organizations:person_detail", person.organization, employee_id=person.pk)


def numbered(person, number):
    Employee.objects.filter(pk=person.pk).update(employee_number=number)
    person.employee_number = number


def new_person(tenant, **changes):
    return {
        "email": "nieuw@example.org",
        "first_name": "Noor",
        "last_name": "",
        "job_title": "",
        "role": "employee",
        "team": "",
        "manager": "",
        **changes,
    }


def test_hr_adds_a_person_with_an_employee_number(tenant_a, hr):
    response = hr.post(
        url("organizations:person_create", tenant_a.organization), new_person(tenant_a, employee_number=" P-12 ")
    )
    assert response.status_code == 302
    assert Employee.objects.get(user__email="nieuw@example.org").employee_number == "P-12"


def test_hr_changes_an_employee_number_and_the_form_shows_the_current_one(tenant_a, hr):
    numbered(tenant_a.employee, "P-1")
    assert hr.get(edit(tenant_a.employee)).context["form"]["employee_number"].value() == "P-1"
    response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, employee_number="P-2"))
    assert response.status_code == 302
    tenant_a.employee.refresh_from_db()
    assert tenant_a.employee.employee_number == "P-2"


def test_a_number_someone_here_has_is_refused_at_the_field_and_nothing_changes(tenant_a, hr):
    numbered(tenant_a.outsider, "P-7")
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, employee_number="P-7"))
    assert response.status_code == 200
    assert field_error(response, "employee_number") == TAKEN
    with assert_nothing_changes():
        response = hr.post(
            url("organizations:person_create", tenant_a.organization), new_person(tenant_a, employee_number="P-7")
        )
    assert field_error(response, "employee_number") == TAKEN


def test_a_number_of_another_organisation_and_many_empty_numbers_are_fine(tenant_a, tenant_b, hr):
    numbered(tenant_b.employee, "P-7")
    assert hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, employee_number="P-7")).status_code == 302
    assert hr.post(edit(tenant_a.outsider), person_form(tenant_a.outsider, employee_number="")).status_code == 302
    assert hr.post(edit(tenant_a.manager), person_form(tenant_a.manager, employee_number="")).status_code == 302


def test_keeping_ones_own_number_is_no_conflict(tenant_a, hr):
    numbered(tenant_a.employee, "P-1")
    response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, employee_number="P-1", job_title="X"))
    assert response.status_code == 302


def test_a_number_longer_than_40_characters_is_refused(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, employee_number="9" * 41))
    assert field_error(response, "employee_number") == "Ensure this value has at most 40 characters (it has 41)."


def test_the_service_says_the_same_at_the_field(tenant_a, english):
    numbered(tenant_a.outsider, "P-7")
    with pytest.raises(ValidationError) as refused:
        services.person_update(employee=tenant_a.employee, employee_number="P-7")
    assert refused.value.message_dict == {"employee_number": [TAKEN]}


def test_hr_sees_the_number_on_the_persons_page_and_a_manager_does_not(tenant_a, hr, manager):
    numbered(tenant_a.employee, "P-4242")
    assert "P-4242" in hr.get(detail(tenant_a.employee)).content.decode()
    page = manager.get(detail(tenant_a.employee))
    assert page.status_code == 200 and "P-4242" not in page.content.decode()
    own = client_for(tenant_a.employee).get(detail(tenant_a.employee))
    assert "P-4242" not in own.content.decode()
