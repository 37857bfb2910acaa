"""Emails: one way to render them, in the recipient's language, and to address them.

An email is three templates side by side: ``<base>_subject.txt``,
``<base>.txt`` and ``<base>.html``. The HTML template also gets ``subject``
(for its ``<title>``). Callers that show dates and times wrap the call in the
organisation's zone (``timezone.override``); the language is passed in,
because an email is read by its recipient, not by whoever caused it.
"""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def site_url(path: str) -> str:
    """The absolute address of ``path``: an email is opened outside any request, so it needs the host too."""
    return settings.SITE_URL.rstrip("/") + path


def tidy(text: str) -> str:
    """Template tags on lines of their own leave blank runs behind; one blank line between paragraphs is enough."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_email(template_base: str, context: dict, language: str) -> tuple[str, str, str]:
    """The subject, plain text and HTML of the email ``template_base``, rendered in ``language``.

    The subject is one line whatever the template's line breaks (a header may
    not contain one), and the plain text keeps at most one blank line in a row.
    """
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_base}_subject.txt", context).split())
        text = tidy(render_to_string(f"{template_base}.txt", context))
        html = render_to_string(f"{template_base}.html", {**context, "subject": subject})
    return subject, text, html


def email_message(template_base: str, context: dict, *, language: str, to: str) -> EmailMultiAlternatives:
    """The email ``template_base`` to the address ``to``, ready to ``send()``: plain text with an HTML alternative."""
    subject, text, html = render_email(template_base, context, language)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    return message
