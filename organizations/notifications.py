"""Emails of the organisations app, rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Invitation


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


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
        }
        subject = render_to_string("organizations/email/invitation_subject.txt", context).strip()
        text = render_to_string("organizations/email/invitation.txt", context)
        html = render_to_string("organizations/email/invitation.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[employee.user.email])
    message.attach_alternative(html, "text/html")
    return message
