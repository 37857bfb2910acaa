"""Accepting a place for a login that already exists: the link from the mailbox, and being logged in as that login.

The consultant case: one login, several organisations, each accepted once.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from organizations.models import Employee, Invitation, Role
from tests.factories import PASSWORD, EmployeeFactory, OrganizationFactory
from tests.kit import assert_refused, client_for, invitation_path, log_in_with_password, url

pytestmark = pytest.mark.django_db


def add(hr_client, organization, email, capture):
    """HR of ``organization`` adds ``email`` as HR admin; returns the invitation path mailed to it."""
    sent = len(mail.outbox)
    with capture(execute=True):
        response = hr_client.post(
            url("organizations:person_create", organization),
            {"email": email, "first_name": "Carla", "last_name": "Consultant", "role": Role.HR_ADMIN},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == sent + 1
    message = mail.outbox[-1]
    assert message.to == [email.lower()]
    return invitation_path(message)


def test_a_consultant_accepts_two_organisations_each_once_with_one_login(
    tenant_a, tenant_b, client, django_capture_on_commit_callbacks
):
    consultant = tenant_a.hr.user
    charlie = OrganizationFactory(slug="charlie", name="Charlie BV")
    charlie_hr = EmployeeFactory(organization=charlie, role=Role.HR_ADMIN)
    links = [
        add(client_for(tenant_b.hr), tenant_b.organization, consultant.email, django_capture_on_commit_callbacks),
        add(client_for(charlie_hr), charlie, consultant.email.upper(), django_capture_on_commit_callbacks),
    ]
    assert Employee.objects.filter(user=consultant).count() == 3  # one login, three places

    for link, organization in zip(links, [tenant_b.organization, charlie], strict=True):
        client.logout()
        page = client.get(link)
        assert page.status_code == 200
        login_link = f"{reverse('account_login')}?next={link.replace('/', '%2F')}"
        assert f'href="{login_link}"'.encode() in page.content
        logged_in = log_in_with_password(client, consultant.email, login_url=login_link)
        assert (logged_in.status_code, logged_in["Location"]) == (302, link)
        confirm = client.get(link)
        assert confirm.status_code == 200 and b'<form method="post">' in confirm.content
        # Plain requests here, not the kit's refusal checks: those log in afresh, and this is the session the
        # login page made.
        assert client.get(url("organizations:home", organization)).status_code == 404, "not before confirming"
        response = client.post(link)
        assert response.status_code == 302
        assert response["Location"] == url("organizations:home", organization)
        assert client.get(response["Location"]).status_code == 200
        assert client.post(link).status_code == 404, "each link works once"

    chooser = client.get(reverse("home"))
    assert [row.organization for row in chooser.context["memberships"]] == sorted(
        [tenant_a.organization, tenant_b.organization, charlie], key=lambda organization: organization.name
    )
    consultant.refresh_from_db()
    assert consultant.check_password(PASSWORD)


def test_a_logged_in_wrong_login_is_refused_and_accepts_nothing(tenant_a, tenant_b, django_capture_on_commit_callbacks):
    link = add(client_for(tenant_b.hr), tenant_b.organization, tenant_a.hr.email, django_capture_on_commit_callbacks)
    someone_else = client_for(tenant_a.employee)

    page = assert_refused(someone_else, tenant_a.employee, link, 403)
    text = page.content.decode()
    assert "This invitation is for another login" in text
    assert f"you are logged in as {tenant_a.employee.email}" in text
    assert f'action="{reverse("account_logout")}"' in text
    assert_refused(someone_else, tenant_a.employee, link, 403, "post")
    invitation = Invitation.objects.get(organization=tenant_b.organization, employee__user=tenant_a.hr.user)
    assert invitation.accepted_at is None
    assert not Employee.objects.filter(user=tenant_a.employee.user, organization=tenant_b.organization).exists()
    assert Employee.objects.get(user=tenant_a.hr.user, organization=tenant_b.organization).joined_at is None


def test_logging_out_from_the_refusal_comes_back_to_the_invitation(
    tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    link = add(client_for(tenant_b.hr), tenant_b.organization, tenant_a.hr.email, django_capture_on_commit_callbacks)
    someone_else = client_for(tenant_a.employee)
    response = someone_else.post(reverse("account_logout"), {"next": link})
    assert response["Location"] == link
    assert someone_else.get(link).status_code == 200


def test_the_link_alone_never_accepts_for_a_login_with_a_password(
    tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    link = add(client_for(tenant_b.hr), tenant_b.organization, tenant_a.hr.email, django_capture_on_commit_callbacks)
    anonymous = Client()
    response = anonymous.post(link, {"password1": "Een-lang-wachtwoord-42", "password2": "Een-lang-wachtwoord-42"})
    assert response.status_code == 200  # the page that asks to log in, again
    place = Employee.objects.select_related("user").get(user=tenant_a.hr.user, organization=tenant_b.organization)
    assert place.joined_at is None
    assert place.user.check_password(PASSWORD)
    assert Invitation.objects.get(employee=place).accepted_at is None
