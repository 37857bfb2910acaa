"""HR invites a person: one open link at a time, emailed after the commit in the person's language."""

import pytest
from django.core import mail
from django.urls import reverse

from organizations import services
from organizations.models import Invitation
from tests.kit import (
    assert_anonymous_refused,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    in_english,
    invitation_path,
    not_joined,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_employee_has_not_joined(tenant_a):
    # HR invites people who have not accepted yet; someone who has joined gets no new link.
    not_joined(tenant_a.employee)


def invite(person):
    return url("organizations:person_invite", person.organization, employee_id=person.pk)


def test_hr_invites_a_person_and_the_email_goes_out_after_the_commit(tenant_a, hr, django_capture_on_commit_callbacks):
    in_english(tenant_a.employee)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = hr.post(invite(tenant_a.employee), follow=True)
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()

    assert shown_messages(response) == [f"An invitation has been sent to {tenant_a.employee.email}."]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [tenant_a.employee.email]
    assert message.subject == "You are invited to Helder by Alfa BV"
    assert f"Hello {tenant_a.employee.first_name}," in message.body
    assert '<html lang="en">' in message.alternatives[0][0]
    invitation = Invitation.objects.get(employee=tenant_a.employee)
    assert invitation.invited_by == tenant_a.hr
    assert invitation.is_usable
    # Only a hash of the token is stored.
    token = invitation_path(message).split("/")[2]
    assert token not in invitation.token_hash
    assert invitation.token_hash == services.token_hash(token)


def test_the_invitation_is_written_in_the_organisations_language_for_someone_who_never_chose(
    tenant_a, hr, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(invite(tenant_a.employee))
    message = mail.outbox[0]
    assert message.to == [tenant_a.employee.email]
    assert '<html lang="nl">' in message.alternatives[0][0]
    assert invitation_path(message).startswith("/invite/")


def test_the_link_in_the_email_sets_the_password_and_logs_in(tenant_a, hr, client, django_capture_on_commit_callbacks):
    # People HR adds have no password until they accept.
    tenant_a.employee.user.set_unusable_password()
    tenant_a.employee.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(invite(tenant_a.employee))
    link = invitation_path(mail.outbox[0])
    response = client.post(link, {"password1": "Een-lang-wachtwoord-42", "password2": "Een-lang-wachtwoord-42"})
    assert response.status_code == 302
    assert response["Location"] == url("organizations:home", tenant_a.organization)
    assert client.get(url("organizations:home", tenant_a.organization)).status_code == 200
    assert client.login(username=tenant_a.employee.email, password="Een-lang-wachtwoord-42")


def test_a_new_invitation_revokes_the_old_link(tenant_a, hr, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(invite(tenant_a.employee))
        hr.post(invite(tenant_a.employee))
    old, new = (invitation_path(message) for message in mail.outbox)
    assert old != new
    assert_anonymous_refused(client, old, 404)
    assert client.get(new).status_code == 200
    assert Invitation.objects.filter(employee=tenant_a.employee, revoked_at__isnull=True).count() == 1


def test_an_invitation_for_a_deactivated_person_is_refused(tenant_a, hr, django_capture_on_commit_callbacks):
    services.person_deactivate(employee=tenant_a.outsider, actor=tenant_a.hr)
    before = Invitation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(invite(tenant_a.outsider), follow=True)
    assert shown_messages(response) == ["Reactivate this person before inviting them."]
    assert Invitation.objects.count() == before
    assert mail.outbox == []


@pytest.mark.parametrize("actor", ["manager", "outsider"])  # the outsider is an employee who has joined
def test_a_manager_or_employee_gets_403_and_invites_nobody(client, tenant_a, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert_role_forbidden(client, getattr(tenant_a, actor), invite(tenant_a.employee), "post")
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_hr_of_another_organisation_gets_404_and_invites_nobody(
    client, stranger, tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert_other_organisation_gets_404(client, stranger, invite(tenant_a.employee), "post")
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_get_is_refused_with_405_and_invites_nobody(tenant_a, hr):
    assert_method_not_allowed(hr, invite(tenant_a.employee), "get")
    assert not Invitation.objects.exists()


def test_an_unknown_person_gets_404(client, tenant_a):
    nobody = url("organizations:person_invite", tenant_a.organization, employee_id="abc")
    assert_refused(client, tenant_a.hr, nobody, 404, "post")
    assert not Invitation.objects.exists()


def test_an_invitation_never_resets_a_login_that_already_has_a_password(
    tenant_a, hr, client, django_capture_on_commit_callbacks, password
):
    """A consultant added to a second organisation keeps the password the first one knows, and accepts logged in."""
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(invite(tenant_a.employee))
    link = invitation_path(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert b'name="password1"' not in page.content
    assert f'href="{reverse("account_login")}?next={link.replace("/", "%2F")}"'.encode() in page.content
    response = client.post(link, {"password1": "Een-lang-wachtwoord-42", "password2": "Een-lang-wachtwoord-42"})
    assert response.status_code == 200, "without logging in, nothing is accepted"
    assert Invitation.objects.get(employee=tenant_a.employee).accepted_at is None
    assert client.login(username=tenant_a.employee.email, password=password)
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == url("organizations:home", tenant_a.organization)
    assert client.login(username=tenant_a.employee.email, password=password)
    assert_refused(client, tenant_a.employee, link, 404)  # the link is used up


def test_someone_who_has_joined_is_offered_no_invitation_and_a_crafted_post_sends_none(
    tenant_a, hr, django_capture_on_commit_callbacks
):
    joined = tenant_a.manager  # accepted their membership and logs in with a password
    page = hr.get(url("organizations:person_detail", tenant_a.organization, employee_id=joined.pk))
    assert invite(joined).encode() not in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(invite(joined), follow=True)
    assert shown_messages(response) == [f"This person has already joined and logs in as {joined.email}."]
    assert mail.outbox == [] and not Invitation.objects.filter(employee=joined).exists()
