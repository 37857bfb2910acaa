"""The profile page: the login, the language choice, and the organisations one belongs to."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from organizations import services
from organizations.models import Employee

pytestmark = pytest.mark.django_db


def field_error(response, field):
    """The error text shown at ``field`` (inside its errorlist), or None."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() if match else None


def language_of(employee):
    return User.objects.get(pk=employee.user_id).language


@pytest.fixture
def english(tenant_a, login):
    tenant_a.employee.user.language = "en"
    tenant_a.employee.user.save(update_fields=["language"])
    return login(tenant_a.employee)


def test_the_profile_shows_the_login_and_the_active_memberships(tenant_a, tenant_b, english):
    membership = services.person_create(
        organization=tenant_b.organization, email=tenant_a.employee.email, first_name="Eva"
    )
    assert tenant_b.organization.name not in english.get(reverse("profile")).content.decode(), "not accepted yet"
    Employee.objects.filter(pk=membership.pk).update(joined_at=timezone.now())  # she accepted the invitation
    response = english.get(reverse("profile"))
    assert response.status_code == 200
    page = response.content.decode()
    assert tenant_a.employee.email in page
    assert tenant_a.organization.name in page and tenant_b.organization.name in page
    assert reverse("account_change_password") in page


def test_saving_a_language_changes_only_the_language(tenant_a, english):
    before = User.objects.filter(pk=tenant_a.employee.user_id).values().get()
    response = english.post(reverse("profile"), {"language": "nl"}, follow=True)
    assert response.redirect_chain == [(reverse("profile"), 302)]
    after = User.objects.filter(pk=tenant_a.employee.user_id).values().get()
    assert after == {**before, "language": "nl"}
    assert '<html lang="nl">' in response.content.decode()


def test_an_empty_choice_goes_back_to_the_organisations_language(tenant_a, english):
    english.post(reverse("profile"), {"language": ""})
    assert language_of(tenant_a.employee) == ""
    assert '<html lang="nl">' in english.get(tenant_a.organization.get_absolute_url()).content.decode()


def test_an_unknown_language_gets_an_english_field_error_and_saves_nothing(tenant_a, english):
    response = english.post(reverse("profile"), {"language": "fr"})
    assert response.status_code == 200
    assert field_error(response, "language") == "Select a valid choice. fr is not one of the available choices."
    assert language_of(tenant_a.employee) == "en"


def test_a_dutch_speaker_gets_the_field_error_in_dutch(tenant_a, login):
    tenant_a.employee.user.language = "nl"
    tenant_a.employee.user.save(update_fields=["language"])
    response = login(tenant_a.employee).post(reverse("profile"), {"language": "fr"})
    assert field_error(response, "language") == "Selecteer een geldige keuze. fr is geen beschikbare keuze."
    assert language_of(tenant_a.employee) == "nl"


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_profile_answers_only_get_and_post(tenant_a, english, method):
    assert getattr(english, method)(reverse("profile")).status_code == 405
    assert language_of(tenant_a.employee) == "en"
