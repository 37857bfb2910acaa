"""HR deactivates and reactivates people: access ends at once, history stays."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from organizations import services
from organizations.models import Employee, Invitation
from tests.factories import PASSWORD, InvitationFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    browser_logged_in,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


CONFIRM = {"confirm": "yes"}  # what the confirmation page posts (tests/organizations/test_confirmations.py)


def deactivate(person):
    return url("organizations:person_deactivate", person.organization, employee_id=person.pk)


def reactivate(person):
    return url("organizations:person_reactivate", person.organization, employee_id=person.pk)


def test_hr_deactivating_a_person_ends_their_sessions(tenant_a, hr, django_capture_on_commit_callbacks):
    browser = browser_logged_in(tenant_a.employee.email)
    home = url("organizations:home", tenant_a.organization)
    assert browser.get(home).status_code == 200
    assert UserSession.objects.filter(user=tenant_a.employee.user).count() == 1
    session_key = browser.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(deactivate(tenant_a.employee), CONFIRM)

    assert response.status_code == 302
    assert response["Location"] == tenant_a.employee.get_absolute_url()
    assert not UserSession.objects.filter(user=tenant_a.employee.user).exists()
    assert not Session.objects.filter(session_key=session_key).exists()
    after = browser.get(home)
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("account_login"))


def test_deactivation_keeps_the_history_and_switches_off_a_login_used_nowhere_else(tenant_a, hr):
    response = hr.post(deactivate(tenant_a.employee), CONFIRM, follow=True)
    person = Employee.objects.get(pk=tenant_a.employee.pk)
    assert not person.is_active
    assert person.deactivated_at is not None
    assert person.manager == tenant_a.manager and person.team == tenant_a.team
    assert not User.objects.get(pk=person.user_id).is_active
    assert shown_messages(response) == [
        f"{person.full_name} has been deactivated and no longer has access to this organisation. Their history is kept."
    ]
    assert not Client().login(username=person.email, password=PASSWORD)


def test_deactivation_changes_nobody_else(tenant_a, tenant_b, hr):
    others = {row.pk: row.is_active for row in Employee.objects.exclude(pk=tenant_a.employee.pk)}
    hr.post(deactivate(tenant_a.employee), CONFIRM)
    assert {row.pk: row.is_active for row in Employee.objects.exclude(pk=tenant_a.employee.pk)} == others


def test_deactivation_revokes_open_invitations(tenant_a, hr):
    invitation = InvitationFactory(employee=tenant_a.employee)
    hr.post(deactivate(tenant_a.employee), CONFIRM)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_deactivating_a_consultant_in_one_organisation_keeps_their_login_working_for_the_other(
    tenant_a, tenant_b, hr, django_capture_on_commit_callbacks
):
    consultant = services.person_create(organization=tenant_a.organization, email=tenant_b.hr.email, first_name="Carla")
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(deactivate(consultant), CONFIRM)

    assert User.objects.get(pk=consultant.user_id).is_active
    assert Employee.objects.get(pk=tenant_b.hr.pk).is_active
    browser = browser_logged_in(consultant.email)
    # One active membership left, so the login lands in it.
    assert browser.get(reverse("home"))["Location"] == url("organizations:home", tenant_b.organization)
    assert browser.get(url("organizations:home", tenant_b.organization)).status_code == 200
    assert browser.get(url("organizations:home", tenant_a.organization)).status_code == 404


def test_hr_cannot_deactivate_themselves(tenant_a, hr):
    response = hr.post(deactivate(tenant_a.hr), follow=True)
    assert shown_messages(response) == ["You cannot deactivate yourself; ask another HR admin."]
    assert Employee.objects.get(pk=tenant_a.hr.pk).is_active
    assert User.objects.get(pk=tenant_a.hr.user_id).is_active


def test_the_service_refuses_to_deactivate_the_actor(tenant_a):
    with pytest.raises(ValidationError):
        services.person_deactivate(employee=tenant_a.hr, actor=tenant_a.hr)


def test_deactivating_twice_is_harmless(tenant_a):
    first = services.person_deactivate(employee=tenant_a.employee, actor=tenant_a.hr)
    second = services.person_deactivate(employee=tenant_a.employee, actor=tenant_a.hr)
    assert second.deactivated_at == first.deactivated_at


def test_reactivation_gives_access_back(tenant_a, hr):
    services.person_deactivate(employee=tenant_a.employee, actor=tenant_a.hr)
    response = hr.post(reactivate(tenant_a.employee), follow=True)
    person = Employee.objects.get(pk=tenant_a.employee.pk)
    assert person.is_active and person.deactivated_at is None
    assert User.objects.get(pk=person.user_id).is_active
    assert shown_messages(response) == [f"{person.full_name} is active again."]
    assert browser_logged_in(person.email).get(url("organizations:home", tenant_a.organization)).status_code == 200


def test_reactivating_an_active_person_is_harmless(tenant_a, hr):
    assert hr.post(reactivate(tenant_a.employee)).status_code == 302
    person = Employee.objects.get(pk=tenant_a.employee.pk)
    assert person.is_active and person.deactivated_at is None


@pytest.mark.parametrize("action", [deactivate, reactivate])
@pytest.mark.parametrize("role", ["manager", "employee"])
def test_a_manager_or_employee_gets_403_and_changes_nothing(client, tenant_a, role, action):
    services.person_deactivate(employee=tenant_a.outsider, actor=tenant_a.hr)
    assert_role_forbidden(client, tenant_a.member(role), action(tenant_a.employee), "post")
    assert_role_forbidden(client, tenant_a.member(role), action(tenant_a.outsider), "post")


@pytest.mark.parametrize("action", [deactivate, reactivate])
def test_hr_of_another_organisation_gets_404_and_changes_nothing(client, stranger, tenant_a, action):
    services.person_deactivate(employee=tenant_a.outsider, actor=tenant_a.hr)
    assert_other_organisation_gets_404(client, stranger, action(tenant_a.employee), "post")
    assert_other_organisation_gets_404(client, stranger, action(tenant_a.outsider), "post")


@pytest.mark.parametrize("action", [deactivate, reactivate])
def test_a_wrong_method_is_refused_with_405_and_changes_nothing(tenant_a, hr, action):
    # Deactivating answers a GET with its confirmation page (tests/organizations/test_confirmations.py).
    assert_method_not_allowed(hr, action(tenant_a.employee), "put" if action is deactivate else "get")
    assert Employee.objects.get(pk=tenant_a.employee.pk).is_active


@pytest.mark.parametrize("name", ["person_deactivate", "person_reactivate"])
def test_an_unknown_person_gets_404(client, tenant_a, name):
    for employee_id in ("abc", "123456789"):
        address = url(f"organizations:{name}", tenant_a.organization, employee_id=employee_id)
        assert_refused(client, tenant_a.hr, address, 404, "post")


def test_an_invitation_of_a_deactivated_person_stays_unusable_after_reactivation(tenant_a):
    invitation = InvitationFactory(employee=tenant_a.employee)
    services.person_deactivate(employee=tenant_a.employee, actor=tenant_a.hr)
    services.person_reactivate(employee=tenant_a.employee)
    invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.revoked_at is not None and invitation.revoked_at <= timezone.now()
