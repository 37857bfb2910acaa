"""The login and password pages speak as the rest of Helder: "je" in Dutch, sentence case in both languages.

Django's own Dutch says "Uw wachtwoord …" and allauth's English says "Change Password"; Helder's password rules
(accounts/passwords.py), forms (accounts/allauth_forms.py) and templates (templates/account/) say it its way.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from organizations.invitations import invitation_send
from tests.factories import PASSWORD
from tests.kit import assert_nothing_changes, browser_logged_in, field_errors, not_joined

pytestmark = pytest.mark.django_db

FORMAL = re.compile(r"\b(Uw|uw|U|a\.u\.b\.|alstublieft)\b")
TITLE_CASE = re.compile(
    r"\b(Change Password|Current Password|New Password|Remember Me|Password Reset|Sign Out|Bad Token|Set Password)\b"
)


def visible_text(response):
    page = response.content.decode()
    main = re.search(r"<main.*?</main>", page, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def anonymous(language):
    return Client(headers={"accept-language": language})


def logged_in(tenant, language):
    tenant.employee.user.language = language
    tenant.employee.user.save(update_fields=["language"])
    return browser_logged_in(tenant.employee.email, client=anonymous(language))


ANONYMOUS_PAGES = ["account_login", "account_reset_password", "account_reset_password_done"]
LOGGED_IN_PAGES = ["account_change_password", "profile", "account_logout", "account_reauthenticate"]


@pytest.mark.parametrize("page", ANONYMOUS_PAGES)
def test_the_pages_before_login_say_je_in_dutch(page):
    text = visible_text(anonymous("nl").get(reverse(page)))
    assert not FORMAL.search(text), FORMAL.search(text)


@pytest.mark.parametrize("page", ANONYMOUS_PAGES)
def test_the_pages_before_login_write_sentence_case_in_english(page):
    text = visible_text(anonymous("en").get(reverse(page)))
    assert not TITLE_CASE.search(text), TITLE_CASE.search(text)


@pytest.mark.parametrize("page", LOGGED_IN_PAGES)
def test_the_profile_and_password_pages_say_je_in_dutch(tenant_a, page):
    text = visible_text(logged_in(tenant_a, "nl").get(reverse(page)))
    assert not FORMAL.search(text), FORMAL.search(text)


@pytest.mark.parametrize("page", LOGGED_IN_PAGES)
def test_the_profile_and_password_pages_write_sentence_case_in_english(tenant_a, page):
    text = visible_text(logged_in(tenant_a, "en").get(reverse(page)))
    assert not TITLE_CASE.search(text), TITLE_CASE.search(text)


def test_the_password_change_page_labels_and_rules_in_dutch(tenant_a):
    text = visible_text(logged_in(tenant_a, "nl").get(reverse("account_change_password")))
    for words in ["Huidig wachtwoord:", "Nieuw wachtwoord:", "Je wachtwoord moet minstens 8 tekens hebben."]:
        assert words in text


def test_the_password_change_page_labels_and_rules_in_english(tenant_a):
    text = visible_text(logged_in(tenant_a, "en").get(reverse("account_change_password")))
    for words in ["Current password:", "New password:", "Your password needs at least 8 characters."]:
        assert words in text


@pytest.mark.parametrize(
    ("language", "too_short", "numeric"),
    [
        (
            "nl",
            "Dit wachtwoord is te kort: het moet minstens 8 tekens hebben.",
            "Dit wachtwoord bestaat alleen uit cijfers.",
        ),
        ("en", "This password is too short: it needs at least 8 characters.", "This password is only digits."),
    ],
)
def test_a_weak_new_password_gets_helders_words_and_changes_nothing(tenant_a, language, too_short, numeric):
    client = logged_in(tenant_a, language)
    with assert_nothing_changes():
        response = client.post(
            reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": "1234", "password2": "1234"}
        )
    assert response.status_code == 200
    assert too_short in field_errors(response, "password1")
    assert numeric in field_errors(response, "password1")


def test_the_reset_email_is_helders_own_in_dutch(tenant_a):
    anonymous("nl").post(reverse("account_reset_password"), {"email": tenant_a.employee.email})
    (message,) = mail.outbox
    assert message.subject == "[Helder] Kies een nieuw wachtwoord voor Helder"
    assert "Was jij dat? Kies er dan een via deze link:" in message.body
    assert not FORMAL.search(message.body)


def test_the_invitation_page_shows_the_same_rules(tenant_a):
    not_joined(tenant_a.employee)
    invitation = invitation_send(employee=tenant_a.employee, actor=tenant_a.hr)
    tenant_a.employee.user.set_unusable_password()
    tenant_a.employee.user.save()
    page = anonymous("nl").get(reverse("invitation_accept", kwargs={"token": invitation.token}))
    text = visible_text(page)
    assert "Je wachtwoord moet minstens 8 tekens hebben." in text
    assert not FORMAL.search(text)
