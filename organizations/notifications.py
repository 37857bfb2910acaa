"""Emails of the organisations app, rendered in the recipient's language (core.email)."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django_scopes import scopes_disabled

from core.email import email_message, site_url

from .models import Invitation, Organization

logger = logging.getLogger(__name__)


def invitation_email(*, invitation: Invitation, token: str) -> EmailMultiAlternatives:
    employee = invitation.employee
    context = {
        "employee": employee,
        "organization": invitation.organization,
        "invited_by": invitation.invited_by,
        "accept_url": site_url(reverse("invitation_accept", kwargs={"token": token})),
        "expires_at": invitation.expires_at,
        # A login with a password accepts while logged in; one without chooses its password.
        "has_login": employee.user.has_usable_password(),
        "email": employee.user.email,
    }
    language = employee.user.language or invitation.organization.language
    return email_message("organizations/email/invitation", context, language=language, to=employee.user.email)


def login_moved_notice_send(*, organization_id: int, email: str, language: str) -> None:
    """Tell the owner of ``email`` that its place in the organisation went to another address.

    Runs after the commit; a failure is logged, never raised: the change it
    reports has been saved.
    """
    try:
        with scopes_disabled():
            organization = Organization.objects.get(pk=organization_id)
        context = {"organization": organization, "email": email, "login_url": site_url(reverse("account_login"))}
        email_message(
            "organizations/email/login_moved", context, language=language or organization.language, to=email
        ).send()
    except Exception:
        logger.exception("The notice to the old address of a membership of organisation %s failed.", organization_id)
