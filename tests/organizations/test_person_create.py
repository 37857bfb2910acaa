"""HR adds a person: the page, and the person_create service behind it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from organizations import services
from organizations.models import Employee, Role

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"organizations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def field_error(response, field):
    """The error text shown at ``field`` (inside its errorlist), or None."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() if match else None


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


@pytest.fixture
def hr(tenant_a, login):
    in_english(tenant_a.hr)
    return login(tenant_a.hr)


def test_the_form_offers_only_this_organisations_teams_and_active_people_as_managers(tenant_a, tenant_b, hr):
    services.person_deactivate(employee=tenant_a.outsider, actor=tenant_a.hr)
    form = hr.get(url("person_create", tenant_a.organization)).context["form"]
    assert set(form.fields["team"].queryset) == {tenant_a.team}
    assert set(form.fields["manager"].queryset) == {tenant_a.hr, tenant_a.manager, tenant_a.employee}


def test_hr_adds_a_person_with_a_new_login_without_a_password(tenant_a, hr):
    before_people, before_users = rows()
    response = hr.post(url("person_create", tenant_a.organization), valid(tenant_a))
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
    response = hr.post(
        url("person_create", tenant_a.organization), valid(tenant_a, email=consultant.email.upper(), manager="")
    )
    assert response.status_code == 302
    assert rows() == (before_people + 1, before_users)
    membership = Employee.objects.get(organization=tenant_a.organization, user=consultant)
    assert membership.first_name == "Noor"
    consultant.refresh_from_db()
    assert consultant.password == password_before
    assert Employee.objects.get(pk=tenant_b.hr.pk).organization == tenant_b.organization


def test_a_second_membership_in_the_same_organisation_is_refused_at_the_email_field(tenant_a, hr):
    before = rows()
    response = hr.post(url("person_create", tenant_a.organization), valid(tenant_a, email=tenant_a.employee.email))
    assert response.status_code == 200
    assert field_error(response, "email") == "This person is already a member of this organisation."
    assert rows() == before


def test_a_missing_name_and_a_bad_email_get_english_field_errors_and_save_nothing(tenant_a, hr):
    before = rows()
    response = hr.post(url("person_create", tenant_a.organization), valid(tenant_a, first_name="", email="nope"))
    assert response.status_code == 200
    assert field_error(response, "first_name") == "This field is required."
    assert field_error(response, "email") == "Enter a valid email address."
    assert rows() == before


def test_a_dutch_speaking_hr_admin_gets_the_field_error_in_dutch(tenant_a, login):
    tenant_a.hr.user.language = "nl"
    tenant_a.hr.user.save(update_fields=["language"])
    before = rows()
    response = login(tenant_a.hr).post(url("person_create", tenant_a.organization), valid(tenant_a, first_name=""))
    assert field_error(response, "first_name") == "Dit veld is verplicht."
    assert '<html lang="nl">' in response.content.decode()
    assert rows() == before


def test_a_manager_from_another_organisation_in_a_tampered_form_is_refused(tenant_a, tenant_b, hr):
    before = rows()
    response = hr.post(url("person_create", tenant_a.organization), valid(tenant_a, manager=tenant_b.manager.pk))
    assert field_error(response, "manager") == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert rows() == before


def test_a_team_of_another_organisation_in_a_tampered_form_is_refused(tenant_a, tenant_b, hr):
    before = rows()
    response = hr.post(url("person_create", tenant_a.organization), valid(tenant_a, team=tenant_b.team.pk))
    assert field_error(response, "team") == "Select a valid choice. That choice is not one of the available choices."
    assert rows() == before


def test_an_unknown_role_is_refused(tenant_a, hr):
    before = rows()
    response = hr.post(url("person_create", tenant_a.organization), valid(tenant_a, role="owner"))
    assert field_error(response, "role") == "Select a valid choice. owner is not one of the available choices."
    assert rows() == before


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_a_manager_or_employee_gets_403_and_adds_nobody(tenant_a, login, role):
    client = login(tenant_a.member(role))
    before = rows()
    assert client.get(url("person_create", tenant_a.organization)).status_code == 403
    assert client.post(url("person_create", tenant_a.organization), valid(tenant_a)).status_code == 403
    assert rows() == before


def test_hr_of_another_organisation_gets_404_and_adds_nobody(tenant_a, tenant_b, login):
    client = login(tenant_b.hr)
    before = rows()
    response = client.post(url("person_create", tenant_a.organization), valid(tenant_a, team="", manager=""))
    assert response.status_code == 404
    assert rows() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_form_answers_only_get_and_post(tenant_a, hr, method):
    assert getattr(hr, method)(url("person_create", tenant_a.organization)).status_code == 405


def test_the_service_gives_an_existing_login_a_membership(tenant_a, tenant_b):
    person = services.person_create(
        organization=tenant_a.organization, email=f"  {tenant_b.employee.email.upper()} ", first_name="Eva"
    )
    assert person.user == tenant_b.employee.user
    assert Employee.objects.filter(user=tenant_b.employee.user).count() == 2


def test_the_service_refuses_a_duplicate_membership_and_creates_no_login(tenant_a):
    before = rows()
    with pytest.raises(ValidationError) as error:
        services.person_create(organization=tenant_a.organization, email=tenant_a.employee.email, first_name="Eva")
    assert "email" in error.value.error_dict
    assert rows() == before


def test_the_service_refuses_a_manager_from_another_organisation_and_rolls_back_the_new_login(tenant_a, tenant_b):
    before = rows()
    with pytest.raises(ValidationError) as error:
        services.person_create(
            organization=tenant_a.organization, email="new@example.org", first_name="Nina", manager=tenant_b.manager
        )
    assert "manager" in error.value.error_dict
    assert rows() == before
