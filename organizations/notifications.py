"""Emails of the organisations app, rendered in the recipient's language."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from .models import Invitation, Organization

logger = logging.getLogger(__name__)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def rendered(template: str, context: dict, to: str) -> EmailMultiAlternatives:
    """The email ``template`` (its _subject.txt, .txt and .html), rendered in the active language."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(subject=subject, body=render_to_string(f"{template}.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def invitation_email(*, invitation: Invitation, token: str) -> EmailMultiAlternatives:
    employee = invitation.employee
    language = employee.user.language or invitation.organization.language
    with translation.override(language):
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
        return rendered("organizations/email/invitation", context, to=employee.user.email)


def login_moved_notice_send(*, organization_id: int, email: str, language: str) -> None:
    """Tell the owner of ``email`` that its place in the organisation went to another address.

    Runs after the commit; a failure is logged, never raised: the change it
    reports has been saved.
    """
    try:
        with scopes_disabled():
            organization = Organization.objects.get(pk=organization_id)
        with translation.override(language or organization.language):
            context = {"organization": organization, "email": email, "login_url": site_url(reverse("account_login"))}
            rendered("organizations/email/login_moved", context, to=email).send()
    except Exception:
        logger.exception("The notice to the old address of a membership of organisation %s failed.", organization_id)
