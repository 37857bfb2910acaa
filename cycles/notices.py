"""Telling people that HR moved a moment's window: one email each, in their own language, with the reason.

Who is told: every active person with an open (to be scheduled or scheduled)
conversation in the moment, and their active managers, each once. Unlike
reminders these are not materialised rows: a notice follows one change, at
once, and a failure to one address is logged and does not stop the others.
"""

import logging

from django.core.mail import EmailMultiAlternatives, get_connection
from django.urls import reverse

from core.email import email_message, site_url
from organizations.models import Employee

from .models import OPEN_STATES, MomentChange

logger = logging.getLogger(__name__)


def window_moved_recipients(*, change: MomentChange) -> list[Employee]:
    """The people a moved window concerns: those with an open conversation in it and their managers."""
    concerned = Employee.objects.filter(
        organization_id=change.organization_id,
        is_active=True,
        conversations__moment_id=change.moment_id,
        conversations__state__in=OPEN_STATES,
    )
    managers = Employee.objects.filter(
        organization_id=change.organization_id,
        is_active=True,
        reports__is_active=True,
        reports__conversations__moment_id=change.moment_id,
        reports__conversations__state__in=OPEN_STATES,
    )
    people = {person.pk: person for person in concerned.select_related("user").distinct()}
    for manager in managers.select_related("user").distinct():
        people.setdefault(manager.pk, manager)
    return sorted(people.values(), key=lambda person: person.pk)


def window_moved_message(*, change: MomentChange, recipient: Employee) -> EmailMultiAlternatives:
    organization = change.moment.cycle.organization
    context = {
        "recipient": recipient,
        "organization": organization,
        "moment": change.moment,
        "change": change,
        "url": site_url(reverse("cycles:my_year", kwargs={"org_slug": organization.slug})),
    }
    return email_message(
        "cycles/email/window_moved",
        context,
        language=recipient.user.language or organization.language,
        to=recipient.user.email,
    )


def window_moved_tell(*, change: MomentChange) -> int:
    """Email everyone the moved window concerns. Returns how many messages went out."""
    sent = 0
    with get_connection() as connection:
        for recipient in window_moved_recipients(change=change):
            message = window_moved_message(change=change, recipient=recipient)
            message.connection = connection
            try:
                sent += message.send()
            except Exception:  # one bad address never stops the others
                logger.warning("Could not tell %s that a window moved", recipient.pk, exc_info=True)
    return sent
