"""The profile page: the login, the language choice, and the organisations one belongs to."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from organizations import services
from organizations.models import Employee
from tests.kit import assert_method_not_allowed, client_for, field_error

pytestmark = pytest.mark.django_db


def language_of(employee):
    return User.objects.get(pk=employee.user_id).language


def test_the_profile_shows_the_login_and_the_active_memberships(tenant_a, tenant_b, employee):
    membership = services.person_create(
        organization=tenant_b.organization, email=tenant_a.employee.email, first_name="Eva"
    )
    assert tenant_b.organization.name not in employee.get(reverse("profile")).content.decode(), "not accepted yet"
    Employee.objects.filter(pk=membership.pk).update(joined_at=timezone.now())  # she accepted the invitation
    response = employee.get(reverse("profile"))
    assert response.status_code == 200
    page = response.content.decode()
    assert tenant_a.employee.email in page
    assert tenant_a.organization.name in page and tenant_b.organization.name in page
    assert reverse("account_change_password") in page


def test_saving_a_language_changes_only_the_language(tenant_a, employee):
    before = User.objects.filter(pk=tenant_a.employee.user_id).values().get()
    response = employee.post(reverse("profile"), {"language": "nl"}, follow=True)
    assert response.redirect_chain == [(reverse("profile"), 302)]
    after = User.objects.filter(pk=tenant_a.employee.user_id).values().get()
    assert after == {**before, "language": "nl"}
    assert '<html lang="nl">' in response.content.decode()


def test_an_empty_choice_goes_back_to_the_organisations_language(tenant_a, employee):
    employee.post(reverse("profile"), {"language": ""})
    assert language_of(tenant_a.employee) == ""
    assert '<html lang="nl">' in employee.get(tenant_a.organization.get_absolute_url()).content.decode()


def test_an_unknown_language_gets_an_english_field_error_and_saves_nothing(tenant_a, employee):
    response = employee.post(reverse("profile"), {"language": "fr"})
    assert response.status_code == 200
    assert field_error(response, "language") == "Select a valid choice. fr is not one of the available choices."
    assert language_of(tenant_a.employee) == "en"


def test_a_dutch_speaker_gets_the_field_error_in_dutch(tenant_a):
    response = client_for(tenant_a.employee, language="nl").post(reverse("profile"), {"language": "fr"})
    assert field_error(response, "language") == "Selecteer een geldige keuze. fr is geen beschikbare keuze."
    assert language_of(tenant_a.employee) == "nl"


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_profile_answers_only_get_and_post(tenant_a, employee, method):
    assert_method_not_allowed(employee, reverse("profile"), method)
    assert language_of(tenant_a.employee) == "en"


def test_the_accounts_address_leads_to_the_profile_not_to_the_closed_email_page(client, tenant_a):
    client.force_login(tenant_a.employee.user)
    response = client.get("/accounts/")
    assert response.status_code == 302 and response["Location"] == reverse("profile")
