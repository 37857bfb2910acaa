"""core.email: an email's subject, text and HTML rendered in the recipient's language, whatever is active."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from core.email import email_message, render_email, tidy

INVITATION = "organizations/email/invitation"


def invitation_context():
    return {
        "employee": SimpleNamespace(first_name="Eva"),
        "organization": SimpleNamespace(name="Alfa BV"),
        "invited_by": None,
        "accept_url": "https://helder.example/invite/abc/",
        "expires_at": datetime.date(2027, 3, 1),
        "has_login": False,
        "email": "eva@example.org",
    }


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("nl", "Alfa BV nodigt je uit voor Helder", "Hallo Eva,"),
        ("en", "You are invited to Helder by Alfa BV", "Hello Eva,"),
    ],
)
def test_an_email_is_rendered_in_the_language_asked_for_not_the_active_one(language, subject, greeting):
    other = "en" if language == "nl" else "nl"
    with translation.override(other):
        rendered_subject, text, html = render_email(INVITATION, invitation_context(), language)
        assert translation.get_language() == other  # the caller's language is back afterwards
    assert rendered_subject == subject
    assert text.startswith(greeting)
    assert f'<html lang="{language}">' in html
    assert "https://helder.example/invite/abc/" in text and "https://helder.example/invite/abc/" in html


def test_the_subject_is_one_line_and_the_text_keeps_at_most_one_blank_line():
    subject, text, _html = render_email(INVITATION, invitation_context(), "en")
    assert "\n" not in subject
    assert "\n\n\n" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert tidy("a  \n\n\n\nb\n\n") == "a\n\nb\n"


def test_an_email_message_goes_to_one_address_with_text_and_html(settings):
    message = email_message(INVITATION, invitation_context(), language="en", to="eva@example.org")
    assert message.to == ["eva@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "You are invited to Helder by Alfa BV"
    assert message.body.startswith("Hello Eva,")
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "Hello Eva," in html
