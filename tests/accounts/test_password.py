"""Forgotten and changed passwords, through allauth."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.kit import field_error, log_in_with_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Een-nieuw-lang-wachtwoord-7"


def can_log_in(email, password):
    browser = Client()
    log_in_with_password(browser, email, password)
    return "_auth_user_id" in browser.session


def test_a_password_reset_sends_an_email_whose_link_sets_a_new_password(client, tenant_a):
    response = client.post(reverse("account_reset_password"), {"email": tenant_a.employee.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [tenant_a.employee.email]
    assert message.subject.startswith("[Helder] ")
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert can_log_in(tenant_a.employee.email, NEW_PASSWORD)
    assert not can_log_in(tenant_a.employee.email, PASSWORD)


def test_a_password_reset_for_an_unknown_address_does_not_reveal_it_and_sends_no_link(client, tenant_a):
    response = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert all("/accounts/password/reset/key/" not in message.body for message in mail.outbox)


def test_a_password_reset_without_an_email_gets_a_field_error(tenant_a):
    client = Client(headers={"accept-language": "en"})
    response = client.post(reverse("account_reset_password"), {"email": ""})
    assert response.status_code == 200
    assert field_error(response, "email") == "This field is required."
    assert mail.outbox == []


def test_a_logged_in_person_changes_their_password(employee, tenant_a):
    response = employee.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    # Still logged in on this browser.
    assert employee.get(tenant_a.organization.get_absolute_url()).status_code == 200
    assert can_log_in(tenant_a.employee.email, NEW_PASSWORD)
    assert not can_log_in(tenant_a.employee.email, PASSWORD)


def test_a_wrong_current_password_gets_an_english_field_error_and_changes_nothing(employee, tenant_a):
    response = employee.post(
        reverse("account_change_password"),
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert field_error(response, "oldpassword") == "Please type your current password."
    assert can_log_in(tenant_a.employee.email, PASSWORD)


def test_changing_the_password_needs_a_login(client):
    response = client.get(reverse("account_change_password"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
