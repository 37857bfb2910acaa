"""HR adds a person: the page, and the person_create service behind it."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from organizations import services
from organizations.models import Employee, Role
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    url,
)

pytestmark = pytest.mark.django_db


def create(organization):
    return url("organizations:person_create", organization)


def rows():
    return Employee.objects.count(), User.objects.count()


def valid(tenant, **changes):
    data = {
        "email": "Nieuw.Persoon@Example.org",
        "first_name": " Noor ",
        "last_name": "Jacobs",
        "job_title": "Tester",
        "role": Role.EMPLOYEE,
        "team": tenant.team.pk,
        "manager": tenant.manager.pk,
    }
    data.update(changes)
    return data


def test_the_form_offers_only_this_organisations_teams_and_active_people_as_managers(tenant_a, tenant_b, hr):
    services.person_deactivate(employee=tenant_a.outsider, actor=tenant_a.hr)
    form = hr.get(create(tenant_a.organization)).context["form"]
    assert set(form.fields["team"].queryset) == {tenant_a.team}
    assert set(form.fields["manager"].queryset) == {tenant_a.hr, tenant_a.manager, tenant_a.employee}


def test_hr_adds_a_person_with_a_new_login_without_a_password(tenant_a, hr):
    before_people, before_users = rows()
    response = hr.post(create(tenant_a.organization), valid(tenant_a))
    person = Employee.objects.get(organization=tenant_a.organization, user__email="nieuw.persoon@example.org")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert rows() == (before_people + 1, before_users + 1)
    assert (person.first_name, person.last_name, person.job_title) == ("Noor", "Jacobs", "Tester")
    assert (person.role, person.team, person.manager) == (Role.EMPLOYEE, tenant_a.team, tenant_a.manager)
    assert person.is_active
    assert not person.user.has_usable_password()


def test_a_person_who_already_has_a_login_elsewhere_gets_a_membership_for_that_login(tenant_a, tenant_b, hr):
    consultant = tenant_b.hr.user
    password_before = consultant.password
    before_people, before_users = rows()
    response = hr.post(create(tenant_a.organization), valid(tenant_a, email=consultant.email.upper(), manager=""))
    assert response.status_code == 302
    assert rows() == (before_people + 1, before_users)
    membership = Employee.objects.get(organization=tenant_a.organization, user=consultant)
    assert membership.first_name == "Noor"
    consultant.refresh_from_db()
    assert consultant.password == password_before
    assert Employee.objects.get(pk=tenant_b.hr.pk).organization == tenant_b.organization


def test_a_second_membership_in_the_same_organisation_is_refused_at_the_email_field(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(create(tenant_a.organization), valid(tenant_a, email=tenant_a.employee.email))
    assert response.status_code == 200
    assert field_error(response, "email") == "This person is already a member of this organisation."


def test_a_missing_name_and_a_bad_email_get_english_field_errors_and_save_nothing(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(create(tenant_a.organization), valid(tenant_a, first_name="", email="nope"))
    assert response.status_code == 200
    assert field_error(response, "first_name") == "This field is required."
    assert field_error(response, "email") == "Enter a valid email address."


def test_a_dutch_speaking_hr_admin_gets_the_field_error_in_dutch(tenant_a):
    hr_in_dutch = client_for(tenant_a.hr, language="nl")
    with assert_nothing_changes():
        response = hr_in_dutch.post(create(tenant_a.organization), valid(tenant_a, first_name=""))
    assert field_error(response, "first_name") == "Dit veld is verplicht."
    assert '<html lang="nl">' in response.content.decode()


def test_a_manager_from_another_organisation_in_a_tampered_form_is_refused(tenant_a, tenant_b, hr):
    with assert_nothing_changes():
        response = hr.post(create(tenant_a.organization), valid(tenant_a, manager=tenant_b.manager.pk))
    assert field_error(response, "manager") == (
        "Select a valid choice. That choice is not one of the available choices."
    )


def test_a_team_of_another_organisation_in_a_tampered_form_is_refused(tenant_a, tenant_b, hr):
    with assert_nothing_changes():
        response = hr.post(create(tenant_a.organization), valid(tenant_a, team=tenant_b.team.pk))
    assert field_error(response, "team") == "Select a valid choice. That choice is not one of the available choices."


def test_an_unknown_role_is_refused(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(create(tenant_a.organization), valid(tenant_a, role="owner"))
    assert field_error(response, "role") == "Select a valid choice. owner is not one of the available choices."


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_a_manager_or_employee_gets_403_and_adds_nobody(client, tenant_a, role):
    page = create(tenant_a.organization)
    assert_role_forbidden(client, tenant_a.member(role), page)
    assert_role_forbidden(client, tenant_a.member(role), page, "post", valid(tenant_a))


def test_hr_of_another_organisation_gets_404_and_adds_nobody(client, stranger, tenant_a):
    data = valid(tenant_a, team="", manager="")
    assert_other_organisation_gets_404(client, stranger, create(tenant_a.organization), "post", data)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_form_answers_only_get_and_post(tenant_a, hr, method):
    assert_method_not_allowed(hr, create(tenant_a.organization), method)


def test_the_service_gives_an_existing_login_a_membership(tenant_a, tenant_b):
    person = services.person_create(
        organization=tenant_a.organization, email=f"  {tenant_b.employee.email.upper()} ", first_name="Eva"
    )
    assert person.user == tenant_b.employee.user
    assert Employee.objects.filter(user=tenant_b.employee.user).count() == 2


def test_the_service_refuses_a_duplicate_membership_and_creates_no_login(tenant_a):
    with assert_nothing_changes(), pytest.raises(ValidationError) as error:
        services.person_create(organization=tenant_a.organization, email=tenant_a.employee.email, first_name="Eva")
    assert "email" in error.value.error_dict


def test_the_service_refuses_a_manager_from_another_organisation_and_rolls_back_the_new_login(tenant_a, tenant_b):
    with assert_nothing_changes(), pytest.raises(ValidationError) as error:
        services.person_create(
            organization=tenant_a.organization, email="new@example.org", first_name="Nina", manager=tenant_b.manager
        )
    assert "manager" in error.value.error_dict
