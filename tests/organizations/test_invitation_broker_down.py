"""An invitation is saved even when the broker is down: the email then goes out from the web process."""

import logging

import pytest
from django.core import mail

from organizations import notifications
from organizations.models import Invitation
from tests.kit import broker_down, not_joined, shown_messages, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_employee_has_not_joined(tenant_a):
    # HR invites people who have not accepted yet; someone who has joined gets no new link.
    not_joined(tenant_a.employee)


@pytest.fixture(name="broker_down")
def _broker_down():
    with broker_down():
        yield


def invite(hr, person, capture):
    with capture(execute=True):
        return hr.post(url("organizations:person_invite", person.organization, employee_id=person.pk), follow=True)


def test_with_the_broker_down_the_invitation_is_saved_and_emailed_inline(
    tenant_a, hr, broker_down, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.WARNING, logger="organizations.invitations"):
        response = invite(hr, tenant_a.employee, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert shown_messages(response) == [f"An invitation has been sent to {tenant_a.employee.email}."]
    assert [message.to for message in mail.outbox] == [[tenant_a.employee.email]]
    assert Invitation.objects.get(employee=tenant_a.employee).is_usable
    assert "sending invitation" in caplog.text


def test_when_the_email_cannot_be_sent_either_the_change_stays_saved_and_the_failure_is_logged(
    tenant_a, hr, broker_down, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def mail_server_down(**kwargs):
        raise ConnectionRefusedError("SMTP server refused the connection")

    monkeypatch.setattr(notifications, "invitation_email", mail_server_down)
    with caplog.at_level(logging.ERROR, logger="organizations.invitations"):
        response = invite(hr, tenant_a.employee, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert Invitation.objects.filter(employee=tenant_a.employee).count() == 1
    assert mail.outbox == []
    assert "could not be emailed" in caplog.text


def test_adding_someone_with_a_login_elsewhere_survives_the_broker_being_down(
    tenant_a, tenant_b, hr, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            url("organizations:person_create", tenant_a.organization),
            {"email": tenant_b.employee.email, "first_name": "Bram", "role": "employee"},
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[tenant_b.employee.email]]
