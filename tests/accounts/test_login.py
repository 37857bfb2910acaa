"""Logging in with email and password, and landing in the right organisation."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from organizations import services
from organizations.models import Employee
from tests.factories import UserFactory
from tests.kit import assert_method_not_allowed, browser_logged_in, log_in_with_password, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(tenant_a, tenant_b):
    """One login, HR admin in both organisations."""
    membership = services.person_create(
        organization=tenant_b.organization, email=tenant_a.hr.email, first_name="Hanna", role="hr_admin"
    )
    # She accepted the invitation the new membership mailed her (tests/security/test_claiming_* walk that step).
    Employee.objects.filter(pk=membership.pk).update(joined_at=timezone.now())
    return tenant_a.hr.user


def test_a_person_logs_in_with_email_and_password_and_lands_in_their_only_organisation(client, tenant_a):
    response = log_in_with_password(client, tenant_a.employee.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    landing = client.get(response["Location"])
    assert landing.status_code == 302
    assert landing["Location"] == url("organizations:home", tenant_a.organization)
    assert client.get(landing["Location"]).status_code == 200


def test_the_email_is_matched_whatever_its_case(client, tenant_a):
    assert log_in_with_password(client, tenant_a.employee.email.upper()).status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_password_shows_an_error_and_logs_nobody_in(client, tenant_a):
    response = log_in_with_password(client, tenant_a.employee.email, "wrong password")
    assert response.status_code == 200
    # Before login, without a browser preference, Helder speaks Dutch.
    assert "Het door jou opgegeven e-mailadres en/of wachtwoord is niet correct." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_error_is_english_for_an_english_browser(tenant_a):
    client = Client(headers={"accept-language": "en"})
    response = log_in_with_password(client, tenant_a.employee.email, "wrong password")
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_a_person_whose_login_was_switched_off_cannot_log_in(client, tenant_a):
    services.person_deactivate(employee=tenant_a.employee, actor=tenant_a.hr)
    response = log_in_with_password(client, tenant_a.employee.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert "_auth_user_id" not in client.session


def test_a_member_of_two_organisations_chooses_one_after_login(client, tenant_a, tenant_b, consultant):
    browser_logged_in(consultant.email, client=client)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "organizations/choose.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert f'href="{url("organizations:home", tenant_a.organization)}"' in page
    assert f'href="{url("organizations:home", tenant_b.organization)}"' in page
    assert client.get(url("organizations:home", tenant_a.organization)).status_code == 200
    assert client.get(url("organizations:home", tenant_b.organization)).status_code == 200


def test_a_member_of_two_organisations_finds_the_switch_link_in_the_menu(client, tenant_a, consultant):
    browser_logged_in(consultant.email, client=client)
    page = client.get(url("organizations:home", tenant_a.organization)).content.decode()
    assert f'href="{reverse("organization_choose")}"' in page


def test_a_member_of_one_organisation_has_no_switch_link(client, tenant_a):
    browser_logged_in(tenant_a.employee.email, client=client)
    page = client.get(url("organizations:home", tenant_a.organization)).content.decode()
    assert f'href="{reverse("organization_choose")}"' not in page


def test_the_chooser_leaves_out_organisations_where_the_person_was_deactivated(client, tenant_a, tenant_b, consultant):
    other = services.person_create(organization=tenant_b.organization, email="x@example.org", first_name="X")
    assert other.organization == tenant_b.organization
    membership = tenant_b.organization.employees.get(user=consultant)
    services.person_deactivate(employee=membership, actor=tenant_b.hr)
    browser_logged_in(consultant.email, client=client)
    assert client.get(reverse("home"))["Location"] == url("organizations:home", tenant_a.organization)


def test_a_login_without_any_membership_is_told_to_ask_hr(client):
    user = UserFactory()
    browser_logged_in(user.email, client=client)
    response = client.get(reverse("home"), headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "Your login is not (or no longer) part of any organisation" in response.content.decode()


def test_next_to_another_site_is_not_followed_after_login(client, tenant_a):
    response = log_in_with_password(client, tenant_a.employee.email, next="https://evil.example.com/steal")
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


def test_next_inside_helder_is_followed_after_login(client, tenant_a):
    people = url("organizations:person_detail", tenant_a.organization, employee_id=tenant_a.employee.pk)
    response = log_in_with_password(client, tenant_a.employee.email, next=people)
    assert response["Location"] == people


def test_the_start_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["home", "organization_choose"])
def test_the_start_page_answers_only_get(client, tenant_a, name):
    browser_logged_in(tenant_a.employee.email, client=client)
    assert_method_not_allowed(client, reverse(name), "post")


def test_nobody_can_sign_up_on_their_own(client):
    client.post(reverse("account_signup"), {"email": "new@example.org", "password1": "Lang-genoeg-42"})
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="new@example.org").exists()
