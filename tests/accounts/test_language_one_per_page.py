"""One language per page: profile, else organisation, else browser, also for messages set before a redirect.

The browsers here send what a real one sends ("en-US,en;q=0.9"), not a bare "en".
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import languages
from accounts.models import User
from organizations import services
from organizations.models import Employee
from tests.factories import PASSWORD
from tests.kit import browser_logged_in, log_in_with_password, shown_messages, url

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = "en-US,en;q=0.9,nl;q=0.5"
DUTCH_BROWSER = "nl-NL,nl;q=0.9,en;q=0.5"


def browser(accept_language):
    return Client(headers={"accept-language": accept_language})


def html_lang(response):
    page = response.content.decode()
    start = page.index('<html lang="') + len('<html lang="')
    return page[start : page.index('"', start)]


def profile_language(employee, language):
    User.objects.filter(pk=employee.user_id).update(language=language)


@pytest.fixture
def consultant(tenant_a, tenant_b):
    """Hanna, HR admin of Alfa, also joined Bravo; she never chose a language."""
    membership = services.person_create(
        organization=tenant_b.organization, email=tenant_a.hr.email, first_name="Hanna", role="hr_admin"
    )
    Employee.objects.filter(pk=membership.pk).update(joined_at=timezone.now())
    return tenant_a.hr.user


def test_an_english_browser_with_a_dutch_profile_is_greeted_in_dutch_on_a_dutch_page(tenant_a):
    profile_language(tenant_a.employee, "nl")
    client = browser(ENGLISH_BROWSER)
    response = client.post(
        reverse("account_login"), {"login": tenant_a.employee.email, "password": PASSWORD}, follow=True
    )
    assert html_lang(response) == "nl"
    assert shown_messages(response) == [f"Je bent ingelogd als {tenant_a.employee.email}."]
    assert "Successfully signed in" not in response.content.decode()


def test_a_dutch_browser_with_an_english_profile_is_greeted_in_english_on_an_english_page(tenant_a):
    profile_language(tenant_a.employee, "en")
    response = browser(DUTCH_BROWSER).post(
        reverse("account_login"), {"login": tenant_a.employee.email, "password": PASSWORD}, follow=True
    )
    assert html_lang(response) == "en"
    assert shown_messages(response) == [f"You are logged in as {tenant_a.employee.email}."]


def test_without_a_profile_language_the_organisations_language_greets_an_english_browser(tenant_a):
    response = browser(ENGLISH_BROWSER).post(
        reverse("account_login"), {"login": tenant_a.employee.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("organizations:home", tenant_a.organization)
    assert html_lang(response) == "nl"
    assert shown_messages(response) == [f"Je bent ingelogd als {tenant_a.employee.email}."]


def test_the_chooser_speaks_the_language_of_the_organisations_not_the_browser(consultant, tenant_a, tenant_b):
    client = browser_logged_in(consultant.email, client=browser(ENGLISH_BROWSER))
    chooser = client.get(reverse("home"))
    assert "organizations/choose.html" in [template.name for template in chooser.templates]
    assert html_lang(chooser) == "nl"
    assert "Kies een organisatie" in chooser.content.decode()
    assert html_lang(client.get(url("organizations:home", tenant_b.organization))) == "nl"


def test_organisations_that_differ_leave_the_chooser_to_the_browser_and_each_speaks_its_own(
    consultant, tenant_a, tenant_b
):
    tenant_b.organization.language = "en"
    tenant_b.organization.save(update_fields=["language"])
    client = browser_logged_in(consultant.email, client=browser(ENGLISH_BROWSER))
    assert html_lang(client.get(reverse("home"))) == "en"
    assert html_lang(client.get(url("organizations:home", tenant_a.organization))) == "nl"
    assert html_lang(client.get(url("organizations:home", tenant_b.organization))) == "en"


def test_the_profile_and_password_pages_follow_the_profile_not_the_browser(tenant_a):
    profile_language(tenant_a.employee, "nl")
    client = browser_logged_in(tenant_a.employee.email, client=browser(ENGLISH_BROWSER))
    assert html_lang(client.get(reverse("profile"))) == "nl"
    assert html_lang(client.get(reverse("account_change_password"))) == "nl"
    new = "Een-nieuw-lang-wachtwoord-7"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
        follow=True,
    )
    assert html_lang(response) == "nl"
    assert shown_messages(response) == ["Je wachtwoord is gewijzigd."]


def test_logging_out_shows_the_login_page_and_its_message_in_the_language_just_read(tenant_a):
    profile_language(tenant_a.employee, "nl")
    client = browser_logged_in(tenant_a.employee.email, client=browser(ENGLISH_BROWSER))
    client.get(reverse("profile"))  # reads the login's greeting
    response = client.post(reverse("account_logout"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert html_lang(response) == "nl"
    assert shown_messages(response) == ["Je bent uitgelogd."]


def test_the_switch_used_before_login_is_saved_on_the_profile_at_login(tenant_a):
    client = browser(DUTCH_BROWSER)
    client.post(reverse("language_set"), {"language": "en", "next": reverse("account_login")})
    response = log_in_with_password(client, tenant_a.employee.email)
    assert response.status_code == 302
    assert User.objects.get(pk=tenant_a.employee.user_id).language == "en"
    assert html_lang(client.get(url("organizations:home", tenant_a.organization))) == "en"
    # Someone else logging in afterwards in the same browser keeps their own (empty) profile.
    client.post(reverse("account_logout"))
    log_in_with_password(client, tenant_a.manager.email)
    assert User.objects.get(pk=tenant_a.manager.user_id).language == ""


def test_a_session_from_before_gets_its_organisations_language_on_its_first_page(tenant_a):
    client = browser_logged_in(tenant_a.employee.email, client=browser(ENGLISH_BROWSER))
    session = client.session
    del session[languages.SESSION_KEY]
    session.save()
    assert html_lang(client.get(reverse("profile"))) == "nl"
    assert client.session[languages.SESSION_KEY] == "nl"


def test_a_login_without_any_organisation_reads_its_browsers_language(db):
    user = User.objects.create_user("los@example.org", PASSWORD)
    client = browser_logged_in(user.email, client=browser(ENGLISH_BROWSER))
    assert html_lang(client.get(reverse("home"))) == "en"


def test_the_switch_used_before_login_replaces_a_language_chosen_earlier(tenant_a):
    profile_language(tenant_a.hr, "nl")
    client = browser(DUTCH_BROWSER)
    client.post(reverse("language_set"), {"language": "en", "next": reverse("account_login")})
    response = client.post(reverse("account_login"), {"login": tenant_a.hr.email, "password": PASSWORD}, follow=True)
    assert User.objects.get(pk=tenant_a.hr.user_id).language == "en"
    assert html_lang(response) == "en"
    assert shown_messages(response) == [f"You are logged in as {tenant_a.hr.email}."]
