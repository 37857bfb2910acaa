"""The invitation link: choose a first password, log in, and never use the link twice."""

from datetime import timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from organizations import services
from organizations.models import Invitation
from tests.factories import InvitationFactory
from tests.kit import (
    assert_anonymous_refused,
    assert_method_not_allowed,
    field_error,
    field_errors,
    in_english,
    not_joined,
    shown_messages,
)

pytestmark = pytest.mark.django_db

TOKEN = "a-token-only-this-test-knows"
NEW_PASSWORD = "Een-lang-wachtwoord-42"


def link(token=TOKEN):
    return reverse("invitation_accept", kwargs={"token": token})


@pytest.fixture
def invitation(tenant_a):
    user = tenant_a.employee.user
    user.set_unusable_password()
    user.save()
    return InvitationFactory(employee=tenant_a.employee, token_hash=services.token_hash(TOKEN), invited_by=tenant_a.hr)


def accept(client, password=NEW_PASSWORD, again=None):
    return client.post(link(), {"password1": password, "password2": again or password})


def test_the_link_shows_the_form_in_the_organisations_language(client, invitation):
    response = client.get(link(), headers={"accept-language": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert invitation.employee.email in page


def test_the_link_shows_the_form_in_the_persons_own_language_like_the_email(client, invitation):
    in_english(invitation.employee)
    response = client.get(link(), headers={"accept-language": "nl"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_choosing_a_password_logs_in_and_lands_in_the_organisation(client, invitation, tenant_a):
    response = accept(client)
    assert response.status_code == 302
    assert response["Location"] == tenant_a.organization.get_absolute_url()
    user = invitation.employee.user
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(tenant_a.organization.get_absolute_url()).status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None


def test_the_welcome_message_is_shown_in_the_organisation(client, invitation):
    in_english(invitation.employee)
    response = client.post(link(), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert "Welcome to Helder. Your password has been set." in shown_messages(response)


def test_the_session_the_link_opens_ends_when_the_person_is_deactivated(
    client, invitation, tenant_a, django_capture_on_commit_callbacks
):
    accept(client)
    session_key = client.session.session_key
    assert UserSession.objects.filter(user=invitation.employee.user, session_key=session_key).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.person_deactivate(employee=tenant_a.employee, actor=tenant_a.hr)
    assert not Session.objects.filter(session_key=session_key).exists()


def test_a_used_link_gets_the_404_page(client, invitation):
    accept(client)
    response = assert_anonymous_refused(client, link(), 404)
    assert "accounts/invitation_unusable.html" in [template.name for template in response.templates]
    again = "Nog-een-ander-wachtwoord-7"
    assert_anonymous_refused(client, link(), 404, "post", {"password1": again, "password2": again})
    user = invitation.employee.user
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_expired_link_gets_the_404_page_and_sets_nothing(client, invitation):
    with time_machine.travel(invitation.expires_at + timedelta(seconds=1)):
        assert_anonymous_refused(client, link(), 404)
        assert_anonymous_refused(client, link(), 404, "post", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    user = invitation.employee.user
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_revoked_link_gets_the_404_page(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert_anonymous_refused(client, link(), 404)


def test_the_link_of_a_deactivated_person_gets_the_404_page(client, invitation, tenant_a):
    services.person_deactivate(employee=tenant_a.employee, actor=tenant_a.hr)
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=None)
    assert_anonymous_refused(client, link(), 404)


@pytest.mark.parametrize("token", ["a-token-only-this-test-know", "A-TOKEN-ONLY-THIS-TEST-KNOWS", "x" * 300])
def test_a_tampered_token_gets_the_404_page(client, invitation, token):
    response = assert_anonymous_refused(client, link(token), 404)
    assert "accounts/invitation_unusable.html" in [template.name for template in response.templates]


def test_two_different_passwords_get_an_english_field_error_and_use_up_nothing(client, invitation):
    in_english(invitation.employee)
    response = accept(client, again="Een-ander-wachtwoord-42")
    assert response.status_code == 200
    assert field_error(response, "password2") == "The two passwords differ."
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None
    user = invitation.employee.user
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert "_auth_user_id" not in client.session


def test_a_weak_password_gets_the_validators_message_at_the_field(client, invitation):
    in_english(invitation.employee)
    response = accept(client, password="12345678")
    assert "This password is too common." in field_errors(response, "password1")
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_an_empty_form_gets_the_required_message_in_the_organisations_language(client, invitation):
    response = client.post(link(), {})
    assert field_error(response, "password1") == "Dit veld is verplicht."
    assert field_error(response, "password2") == "Dit veld is verplicht."
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_link_answers_only_get_and_post(client, invitation, method):
    assert_method_not_allowed(client, link(), method)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_the_invitation_expires_after_the_configured_number_of_days(tenant_a, settings):
    settings.INVITATION_VALID_DAYS = 3
    not_joined(tenant_a.employee)
    invitation = services.invitation_send(employee=tenant_a.employee, actor=tenant_a.hr)
    assert timedelta(days=3) - timedelta(minutes=1) < invitation.expires_at - timezone.now() <= timedelta(days=3)
