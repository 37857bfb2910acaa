"""HR edits a person: the page, and the person_update service's guards on reporting lines."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from organizations import services
from organizations.models import Employee, Role
from tests.factories import EmployeeFactory, TeamFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    field_error,
    field_errors,
    person_form,
    rows_by_pk,
    url,
)

pytestmark = pytest.mark.django_db


def edit(person):
    return url("organizations:person_edit", person.organization, employee_id=person.pk)


def test_the_form_starts_with_the_persons_values_and_does_not_offer_them_as_their_own_manager(tenant_a, hr):
    form = hr.get(edit(tenant_a.employee)).context["form"]
    assert form["first_name"].value() == tenant_a.employee.first_name
    assert form["manager"].value() == tenant_a.manager.pk
    assert tenant_a.employee not in form.fields["manager"].queryset


def test_hr_changes_job_title_role_team_and_manager_and_nothing_else(tenant_a, hr):
    other_team = TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    people_before, logins_before = rows_by_pk(Employee), rows_by_pk(User)
    response = hr.post(
        edit(tenant_a.employee),
        person_form(
            tenant_a.employee, job_title=" Teamleider ", role=Role.MANAGER, team=other_team.pk, manager=tenant_a.hr.pk
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == tenant_a.employee.get_absolute_url()
    people_after, logins_after = rows_by_pk(Employee), rows_by_pk(User)
    expected = dict(people_before)
    expected[tenant_a.employee.pk] = {
        **people_before[tenant_a.employee.pk],
        "job_title": "Teamleider",
        "role": Role.MANAGER,
        "team": other_team.pk,
        "manager": tenant_a.hr.pk,
    }
    assert people_after == expected
    assert logins_after == logins_before


def test_hr_changes_the_email_of_a_login_nobody_has_used_by_renaming_it(tenant_a, hr):
    login = tenant_a.employee.user
    login.set_unusable_password()
    login.save()
    response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, email="Eva.Nieuw@Example.org"))
    assert response.status_code == 302
    login.refresh_from_db()
    assert login.email == "eva.nieuw@example.org"
    person = Employee.objects.get(pk=tenant_a.employee.pk)
    assert person.user_id == login.pk
    assert person.joined_at is None  # the owner of the new address has not accepted anything yet


def test_a_new_email_for_a_login_someone_used_moves_the_membership_and_leaves_the_login_alone(tenant_a, hr):
    old_login = tenant_a.employee.user
    response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, email="Eva.Nieuw@Example.org"))
    assert response.status_code == 302
    person = Employee.objects.select_related("user").get(pk=tenant_a.employee.pk)
    assert person.user.email == "eva.nieuw@example.org" and person.user_id != old_login.pk
    assert not person.user.has_usable_password() and person.joined_at is None
    old_login.refresh_from_db()
    assert old_login.email == tenant_a.employee.email
    assert not old_login.is_active  # it opens no organisation any more


def test_an_email_another_person_of_this_organisation_uses_is_refused(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, email=tenant_a.outsider.email))
    assert field_error(response, "email") == "Another person in this organisation already uses this email address."


def test_a_new_email_for_a_login_shared_with_another_organisation_moves_only_this_membership(tenant_a, tenant_b, hr):
    consultant = services.person_create(organization=tenant_a.organization, email=tenant_b.hr.email, first_name="Carla")
    response = hr.post(edit(consultant), person_form(consultant, email="carla@elders.example", job_title="Anders"))
    assert response.status_code == 302
    moved = Employee.objects.select_related("user").get(pk=consultant.pk)
    assert (moved.user.email, moved.job_title) == ("carla@elders.example", "Anders")
    shared = User.objects.get(pk=tenant_b.hr.user_id)
    assert shared.email == tenant_b.hr.email and shared.is_active
    assert Employee.objects.get(pk=tenant_b.hr.pk).user_id == shared.pk


def test_a_manager_from_another_organisation_in_a_tampered_post_is_refused(tenant_a, tenant_b, hr):
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, manager=tenant_b.manager.pk))
    assert response.status_code == 200
    assert field_error(response, "manager") == (
        "Select a valid choice. That choice is not one of the available choices."
    )


def test_a_two_person_reporting_loop_is_refused_at_the_manager_field(tenant_a, hr):
    # Eva reports to Mark; making Mark report to Eva would close a circle.
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.manager), person_form(tenant_a.manager, manager=tenant_a.employee.pk))
    assert response.status_code == 200
    assert field_error(response, "manager") == (
        f"{tenant_a.employee.full_name} reports (directly or through others) to {tenant_a.manager.full_name}; "
        "that would make the reporting line go round in a circle."
    )
    # The page shows the person as saved, not the refused change.
    assert response.context["person"].manager_id is None


def test_a_longer_reporting_loop_is_refused(tenant_a, hr):
    # Olaf -> Eva -> Mark; making Mark report to Olaf closes a circle of three.
    tenant_a.outsider.manager = tenant_a.employee
    tenant_a.outsider.save(update_fields=["manager"])
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.manager), person_form(tenant_a.manager, manager=tenant_a.outsider.pk))
    assert "go round in a circle" in field_error(response, "manager")


def test_a_person_cannot_be_made_their_own_manager_through_the_form(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, manager=tenant_a.employee.pk))
    assert field_error(response, "manager") == (
        "Select a valid choice. That choice is not one of the available choices."
    )


def test_a_missing_first_name_gets_an_english_field_error_and_saves_nothing(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, first_name="", job_title="Anders"))
    assert field_error(response, "first_name") == "This field is required."


def test_the_service_refuses_a_manager_from_another_organisation(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as error:
        services.person_update(employee=tenant_a.employee, manager=tenant_b.manager)
    assert "manager" in error.value.error_dict
    assert Employee.objects.get(pk=tenant_a.employee.pk).manager == tenant_a.manager


def test_the_service_refuses_a_team_of_another_organisation(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as error:
        services.person_update(employee=tenant_a.employee, team=tenant_b.team)
    assert "team" in error.value.error_dict


def test_the_service_refuses_self_management(tenant_a):
    with pytest.raises(ValidationError) as error:
        services.person_update(employee=tenant_a.employee, manager=tenant_a.employee)
    assert error.value.message_dict["manager"] == ["A person cannot be their own manager."]


@pytest.mark.parametrize("length", [2, 3, 5])
def test_the_service_refuses_a_reporting_loop_of_any_length(tenant_a, length):
    chain = [EmployeeFactory(organization=tenant_a.organization) for _ in range(length)]
    for person, boss in zip(chain, chain[1:], strict=False):
        services.person_update(employee=person, manager=boss)
    with pytest.raises(ValidationError) as error:
        services.person_update(employee=chain[-1], manager=chain[0])
    assert "manager" in error.value.error_dict
    assert Employee.objects.get(pk=chain[-1].pk).manager_id is None


def test_the_service_accepts_a_manager_change_that_makes_no_loop(tenant_a):
    services.person_update(employee=tenant_a.outsider, manager=tenant_a.employee)
    assert Employee.objects.get(pk=tenant_a.outsider.pk).manager == tenant_a.employee


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_a_manager_or_employee_gets_403_and_changes_nothing(client, tenant_a, role):
    member, page = tenant_a.member(role), edit(tenant_a.employee)
    assert_role_forbidden(client, member, page)
    assert_role_forbidden(client, member, page, "post", person_form(tenant_a.employee, job_title="Baas"))


def test_hr_of_another_organisation_gets_404_and_changes_nothing(client, stranger, tenant_a):
    data = person_form(tenant_a.employee, job_title="Baas", team="", manager="")
    assert_other_organisation_gets_404(client, stranger, edit(tenant_a.employee), "post", data)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_form_answers_only_get_and_post(tenant_a, hr, method):
    assert_method_not_allowed(hr, edit(tenant_a.employee), method)


def test_an_unknown_person_gets_404(client, tenant_a):
    nobody = url("organizations:person_edit", tenant_a.organization, employee_id="nobody")
    assert_refused(client, tenant_a.hr, nobody, 404)


def test_editing_a_report_of_a_deactivated_manager_keeps_the_manager(tenant_a, hr):
    services.person_deactivate(employee=tenant_a.manager, actor=tenant_a.hr)
    form = hr.get(edit(tenant_a.employee)).context["form"]
    assert f'<option value="{tenant_a.manager.pk}" selected>' in str(form["manager"])
    response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, job_title="Senior adviseur"))
    assert response.status_code == 302
    person = Employee.objects.get(pk=tenant_a.employee.pk)
    assert (person.job_title, person.manager_id) == ("Senior adviseur", tenant_a.manager.pk)


def test_a_deactivated_person_is_not_offered_as_a_new_manager(tenant_a, hr):
    services.person_deactivate(employee=tenant_a.outsider, actor=tenant_a.hr)
    form = hr.get(edit(tenant_a.employee)).context["form"]
    assert tenant_a.outsider not in form.fields["manager"].queryset
    response = hr.post(edit(tenant_a.employee), person_form(tenant_a.employee, manager=tenant_a.outsider.pk))
    assert field_errors(response, "manager")
