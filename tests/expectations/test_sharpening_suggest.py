"""Suggesting better wording for a draft in sharpening."""

import pytest
from django.urls import reverse
from django.utils import timezone

from expectations.models import Status, Suggestion
from tests.factories import ExpectationFactory, TeamFactory

pytestmark = pytest.mark.django_db

GOOD = {"text": "Je belt de klant binnen vijf werkdagen na oplevering.", "why": "Dan is het meetbaar."}


def url(name, organization, **kwargs):
    return reverse(f"expectations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def suggest(expectation):
    return url("suggest", expectation.organization, expectation_id=expectation.pk)


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def sharpening(tenant, closes_in=7, **kwargs):
    return ExpectationFactory(
        organization=tenant.organization,
        status=Status.SHARPENING,
        published_at=None,
        sharpening_closes_on=timezone.localdate() + timezone.timedelta(days=closes_in),
        **kwargs,
    )


@pytest.fixture
def employee(tenant_a, login):
    in_english(tenant_a.employee)
    return login(tenant_a.employee)


def test_a_member_of_another_organisation_gets_404_and_nothing_is_saved(tenant_a, tenant_b, login):
    assert login(tenant_b.employee).post(suggest(sharpening(tenant_a)), GOOD).status_code == 404
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_a_person_outside_the_audience_gets_404_whatever_their_role(tenant_a, login, role):
    expectation = sharpening(tenant_a, teams=[TeamFactory(organization=tenant_a.organization)])
    assert login(tenant_a.member(role)).post(suggest(expectation), GOOD).status_code == 404
    assert not Suggestion.objects.exists()


def test_no_role_is_refused_inside_the_audience_the_audience_is_the_rule(tenant_a, login):
    """There is no 403 here: everyone in the audience may suggest, anyone else gets 404 (above)."""
    expectation = sharpening(tenant_a)
    for person in (tenant_a.hr, tenant_a.manager, tenant_a.employee, tenant_a.outsider):
        assert login(person).post(suggest(expectation), GOOD).status_code == 302
    assert Suggestion.objects.filter(expectation=expectation).count() == 4


@pytest.mark.parametrize("expectation_id", ["abc", "0", "-1", "99999999999999999999999"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, employee, expectation_id):
    assert employee.post(url("suggest", tenant_a.organization, expectation_id=expectation_id), GOOD).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_get_405(tenant_a, employee, method):
    assert getattr(employee, method)(suggest(sharpening(tenant_a))).status_code == 405


def test_a_suggestion_is_saved_in_the_language_of_the_page_and_shown(tenant_a, employee):
    expectation = sharpening(tenant_a)
    response = employee.post(suggest(expectation), {**GOOD, "language": "nl", "author": tenant_a.hr.pk}, follow=True)
    suggestion = Suggestion.objects.get()
    assert (suggestion.expectation, suggestion.author, suggestion.language) == (expectation, tenant_a.employee, "en")
    assert (suggestion.text, suggestion.why, suggestion.status) == (GOOD["text"], GOOD["why"], "open")
    assert response.redirect_chain == [
        (url("sharpening_detail", tenant_a.organization, expectation_id=expectation.pk), 302)
    ]
    page = response.content.decode()
    assert "Thank you: your suggestion has been added." in page
    assert GOOD["text"] in page


def test_a_dutch_reader_suggests_dutch_wording(tenant_a, login):
    login(tenant_a.employee).post(suggest(sharpening(tenant_a)), GOOD)
    assert Suggestion.objects.get().language == "nl"


def test_an_empty_text_gets_a_field_error_and_saves_nothing(tenant_a, employee):
    response = employee.post(suggest(sharpening(tenant_a)), {"text": "   ", "why": "Waarom niet."})
    assert response.status_code == 200
    assert response.context["form"].errors == {"text": ["Write the wording you suggest."]}
    page = response.content.decode()
    assert "Write the wording you suggest." in page
    assert "Waarom niet." in page  # what was typed stays
    assert not Suggestion.objects.exists()


def test_an_over_long_text_gets_a_field_error_and_saves_nothing(tenant_a, employee):
    response = employee.post(suggest(sharpening(tenant_a)), {"text": "x" * 1001, "why": "y" * 1001})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["text"] == ["Ensure this value has at most 1000 characters (it has 1001)."]
    assert errors["why"] == ["Ensure this value has at most 1000 characters (it has 1001)."]
    assert not Suggestion.objects.exists()


def test_after_the_closing_date_the_suggestion_is_refused_with_a_message_at_the_form(tenant_a, employee):
    response = employee.post(suggest(sharpening(tenant_a, closes_in=-1)), GOOD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This expectation is not open for suggestions."]
    assert "This expectation is not open for suggestions." in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.DRAFT, Status.RETIRED])
def test_a_suggestion_on_an_expectation_not_in_sharpening_is_refused_with_a_message(tenant_a, employee, status):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=status)
    response = employee.post(suggest(expectation), GOOD, follow=True)
    assert response.redirect_chain == [(url("sharpening_list", tenant_a.organization), 302)]
    assert "This expectation is not open for suggestions." in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_suggestion_on_an_expectation_published_outside_my_audience_is_still_404(tenant_a, employee):
    expectation = ExpectationFactory(
        organization=tenant_a.organization, teams=[TeamFactory(organization=tenant_a.organization)]
    )
    assert employee.post(suggest(expectation), GOOD).status_code == 404


def test_after_the_closing_date_even_an_empty_text_gets_the_closing_message(tenant_a, employee):
    response = employee.post(suggest(sharpening(tenant_a, closes_in=-1)), {"text": ""})
    assert response.status_code == 200
    assert "This expectation is not open for suggestions." in response.content.decode()
    assert not Suggestion.objects.exists()
