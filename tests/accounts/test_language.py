"""Which language Helder speaks: browser before login, the saved choice after, else the organisation's."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.kit import assert_method_not_allowed, browser_logged_in, in_english

pytestmark = pytest.mark.django_db


def html_lang(response):
    page = response.content.decode()
    start = page.index("<html lang=")
    return page[start + 12 : page.index('"', start + 12)]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_before_login_the_browsers_language_decides(language):
    client = Client(headers={"accept-language": language})
    response = client.get(reverse("account_login"))
    assert html_lang(response) == language
    assert response["Content-Language"] == language


def test_before_login_an_unknown_browser_language_falls_back_to_dutch():
    response = Client(headers={"accept-language": "fr"}).get(reverse("account_login"))
    assert html_lang(response) == "nl"


def test_the_language_switch_works_before_login_with_a_cookie():
    client = Client(headers={"accept-language": "nl"})
    response = client.post(reverse("language_set"), {"language": "en", "next": reverse("account_login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert html_lang(client.get(reverse("account_login"))) == "en"


def test_the_language_switch_saves_to_the_profile_and_persists_to_the_next_login(tenant_a):
    client = Client(headers={"accept-language": "nl"})
    browser_logged_in(tenant_a.employee.email, client=client)
    home = tenant_a.organization.get_absolute_url()
    assert html_lang(client.get(home)) == "nl"

    response = client.post(reverse("language_set"), {"language": "en", "next": home})
    assert response["Location"] == home
    assert User.objects.get(pk=tenant_a.employee.user_id).language == "en"
    assert html_lang(client.get(home)) == "en"

    # Another browser, Dutch, without the cookie: the saved choice still wins after login.
    elsewhere = Client(headers={"accept-language": "nl"})
    assert html_lang(elsewhere.get(reverse("account_login"))) == "nl"
    browser_logged_in(tenant_a.employee.email, client=elsewhere)
    assert html_lang(elsewhere.get(home)) == "en"


def test_a_person_who_never_chose_sees_their_dutch_organisation_in_dutch_whatever_the_browser(tenant_a):
    assert tenant_a.organization.language == "nl"
    client = Client(headers={"accept-language": "en"})
    browser_logged_in(tenant_a.employee.email, client=client)
    response = client.get(tenant_a.organization.get_absolute_url())
    assert html_lang(response) == "nl"
    assert response["Content-Language"] == "nl"


def test_a_person_who_chose_english_sees_their_dutch_organisation_in_english(tenant_a):
    in_english(tenant_a.employee)
    client = Client(headers={"accept-language": "nl"})
    browser_logged_in(tenant_a.employee.email, client=client)
    response = client.get(tenant_a.organization.get_absolute_url())
    assert html_lang(response) == "en"
    assert f"Welcome, {tenant_a.employee.first_name}" in response.content.decode()


def test_a_person_who_never_chose_sees_an_english_organisation_in_english(tenant_a):
    tenant_a.organization.language = "en"
    tenant_a.organization.save(update_fields=["language"])
    client = Client(headers={"accept-language": "nl"})
    browser_logged_in(tenant_a.employee.email, client=client)
    assert html_lang(client.get(tenant_a.organization.get_absolute_url())) == "en"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "http://testserver.evil.example.com/"]
)
def test_the_language_switch_does_not_follow_next_to_another_site(client, next_url):
    response = client.post(reverse("language_set"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_language_switch_refuses_an_unknown_language_and_saves_nothing(client, tenant_a):
    client.force_login(tenant_a.employee.user)
    response = client.post(reverse("language_set"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=tenant_a.employee.user_id).language == ""
    assert "django_language" not in response.cookies


def test_the_language_switch_answers_only_post(client):
    assert_method_not_allowed(client, reverse("language_set"), "get")
