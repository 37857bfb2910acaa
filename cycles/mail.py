"""Reminder emails: one message per due ``Reminder``, in the recipient's language and the organisation's time zone.

The dispatcher (cycles.dispatch) loads the reminder with its organisation,
cycle, rule, recipient, moment and conversation (with its moment, employee and
manager) and calls ``reminder_message`` outside any scope. What a message says
depends on the rule's anchor and the target (see cycles.planning for who gets
what):

- a window opens or closes, target a conversation: the employee's own
  reminder (closes: only while it is not scheduled);
- a window opens or closes, target a moment: a manager's digest of their
  active reports in that moment (the planner gives HR no such reminder: HR's
  is the weekly digest);
- the scheduled conversation: the employee or the manager, with an .ics file
  carrying the calendar feed's own event (same UID and SEQUENCE);
- the weekly overdue digest for HR: per-moment counts and the first names;
- an anchor a higher app registered (cycles.anchors; reviews' observation
  requests): that app's context and templates, rendered here the same way.

``None`` means there is nothing left to remind of (everyone scheduled, the
conversation moved on: cycles.wanted says which states each anchor speaks to);
the dispatcher then marks the reminder skipped. Each
list is one query, whatever the team size. Agreements never go into a
reminder: an email is forwarded and stored in places Helder does not control.
"""

import contextlib
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from core.email import render_email, site_url

from . import anchors, ical
from .models import OPEN_STATES, Conversation, Moment, Reminder, ReminderAnchor
from .wanted import WANTED_STATES, wants

OVERDUE_NAMES = 50  # names listed in the weekly digest; the counts cover the rest
TEMPLATES = "cycles/email/reminder"


class Outbox:
    """One connection to the mail server for a batch of reminders (cycles.dispatch), instead of one per message.

    A new SMTP connection (TCP, greeting, EHLO, STARTTLS and login where configured, QUIT) cost more than the
    message itself: to the bench's local SMTP server, 250–300 reminders a second with one connection each, twice
    that with one per batch (docs/benchmarks.md). The
    connection opens with the first message, so a mail server that cannot be reached fails that message as before,
    and closes after the batch. After any error it is dropped and the next message opens a fresh one: a server that
    hung up, or a refusal that left the session in doubt, costs one reconnect, never the rest of the batch. Each
    message still goes through its own ``send()``, so a message class that decides something at sending keeps
    doing so.
    """

    def __init__(self):
        self._backend = None

    def send(self, message: EmailMessage) -> None:
        """Hand ``message`` to the mail server over the batch's connection; raises what sending raises."""
        if self._backend is None:
            backend = get_connection()
            backend.open()  # open here: a send_messages() that opens its own connection also closes it
            self._backend = backend
        message.connection = self._backend
        try:
            message.send()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Say goodbye to the mail server (harmless twice). A server gone already is not an error here: every
        message of the batch has its answer by now."""
        backend, self._backend = self._backend, None
        if backend is not None:
            with contextlib.suppress(Exception):
                backend.close()


def reminder_message(reminder: Reminder) -> EmailMultiAlternatives | None:
    """The email for ``reminder``, or None when there is nothing left to remind of."""
    organization = reminder.organization
    user = reminder.recipient.user
    # Dates and times in the organisation's zone: the date and time filters convert to the active zone.
    hooks = anchors.hooks_for(reminder.rule.anchor)
    with translation.override(user.language or organization.language), timezone.override(organization.zone):
        context = _context(reminder) if hooks is None else hooks.context(reminder)
        if context is None:
            return None
        template = TEMPLATES if hooks is None else hooks.template
        subject, text, html = render_email(template, context, user.language or organization.language)
        invitation = None
        if hooks is None and context["kind"] == ReminderAnchor.CONVERSATION:
            conversation = context["conversation"]
            invitation = ical.conversation_invitation(conversation, own=context["audience"] == "employee")
            filename = f"{slugify(conversation.moment.local_name) or 'helder'}.ics"
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    if invitation is not None:
        # Built by hand because the method parameter belongs in the Content-Type (RFC 6047), which attach() drops.
        part = MIMEText(invitation.decode(), "calendar", "utf-8")
        part.set_param("method", "PUBLISH")
        part.add_header("Content-Disposition", "attachment", filename=filename)
        message.attach(part)
    return message


def _context(reminder: Reminder) -> dict | None:
    organization = reminder.organization
    anchor = reminder.rule.anchor
    base = {
        "kind": anchor,
        "organization": organization,
        "recipient": reminder.recipient,
        "cycle": reminder.cycle,
    }
    if anchor == ReminderAnchor.OVERDUE_WEEKLY:
        more = _overdue(reminder)
        url = reverse("cycles:cycle_progress", kwargs={"org_slug": organization.slug, "cycle_id": reminder.cycle_id})
        return None if more is None else {**base, **more, "audience": "hr", "url": site_url(url)}
    if reminder.conversation_id is not None:
        more = _about_conversation(reminder)
    elif reminder.moment_id is not None:
        more = _about_moment(reminder)
    else:
        more = None
    return None if more is None else {**base, **more}


def _about_conversation(reminder: Reminder) -> dict | None:
    """The employee's window reminders and either side's reminder of the scheduled conversation."""
    organization = reminder.organization
    conversation = reminder.conversation
    conversation.organization = organization  # the same row, already loaded: the .ics reads its zone
    moment = conversation.moment
    person = conversation.employee
    own = reminder.recipient_id == person.pk
    anchor = reminder.rule.anchor
    if not wants(anchor, conversation.state):
        return None
    if anchor == ReminderAnchor.CONVERSATION or not own:
        path = reverse(
            "cycles:conversation_detail", kwargs={"org_slug": organization.slug, "conversation_id": conversation.pk}
        )
    else:
        path = reverse("cycles:my_year", kwargs={"org_slug": organization.slug})
    return {
        "audience": "employee" if own else "manager",
        "moment": moment,
        "conversation": conversation,
        "person": person,
        "manager": person.manager,
        "when": conversation.scheduled_at,
        "preparation": moment.local_preparation_employee if own else moment.local_preparation_manager,
        "url": site_url(path),
    }


def _about_moment(reminder: Reminder) -> dict | None:
    """A window opens or closes: the manager's digest of their active reports in that moment."""
    organization = reminder.organization
    moment = reminder.moment
    rows = list(
        Conversation.objects.filter(
            organization_id=organization.pk,
            moment_id=moment.pk,
            employee__is_active=True,
            employee__manager_id=reminder.recipient_id,
            state__in=WANTED_STATES[reminder.rule.anchor],
        )
        .select_related("employee")
        .order_by("employee__sort_name", "employee_id", "pk")
    )
    if not rows:
        return None
    return {
        "audience": "manager",
        "moment": moment,
        "rows": rows,
        "pending": len(rows),
        "preparation": moment.local_preparation_manager,
        "url": site_url(reverse("cycles:team_grid", kwargs={"org_slug": organization.slug})),
    }


def _overdue(reminder: Reminder) -> dict | None:
    """HR's weekly digest: the cycle's conversations whose window closed before the day it goes out."""
    day = reminder.occasion or timezone.localdate(timezone=reminder.organization.zone)
    overdue = Q(
        conversations__state__in=OPEN_STATES,
        conversations__employee__is_active=True,
        conversations__organization_id=reminder.organization_id,
    )
    moments = list(
        Moment.objects.filter(organization_id=reminder.organization_id, cycle_id=reminder.cycle_id, closes_on__lt=day)
        .annotate(overdue=Count("conversations", filter=overdue))
        .filter(overdue__gt=0)
        .order_by("closes_on", "opens_on", "pk")
    )
    if not moments:
        return None
    rows = list(
        Conversation.objects.filter(
            organization_id=reminder.organization_id,
            moment__in=moments,
            state__in=OPEN_STATES,
            employee__is_active=True,
        )
        .select_related("moment", "employee", "employee__manager")
        .order_by("moment__closes_on", "moment__opens_on", "moment_id", "employee__sort_name", "employee_id")[
            :OVERDUE_NAMES
        ]
    )
    total = sum(moment.overdue for moment in moments)
    return {"day": day, "moments": moments, "rows": rows, "total": total, "unlisted": total - len(rows)}
