"""Suggesting better wording for a draft in sharpening."""

import pytest

from expectations.models import Status, Suggestion
from tests.factories import ExpectationFactory, TeamFactory, sharpening_expectation
from tests.kit import (
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    field_errors,
    nonfield_errors,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

GOOD = {"text": "Je belt de klant binnen vijf werkdagen na oplevering.", "why": "Dan is het meetbaar."}


def suggest(expectation):
    return url("expectations:suggest", expectation.organization, expectation_id=expectation.pk)


def test_a_member_of_another_organisation_gets_404_and_nothing_is_saved(client, tenant_a, tenant_b):
    expectation = sharpening_expectation(tenant_a.organization)
    assert_other_organisation_gets_404(client, tenant_b.employee, suggest(expectation), "post", GOOD)


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_a_person_outside_the_audience_gets_404_whatever_their_role(tenant_a, login, role):
    expectation = sharpening_expectation(tenant_a.organization, teams=[TeamFactory(organization=tenant_a.organization)])
    assert login(tenant_a.member(role)).post(suggest(expectation), GOOD).status_code == 404
    assert not Suggestion.objects.exists()


def test_no_role_is_refused_inside_the_audience_the_audience_is_the_rule(tenant_a, login):
    """There is no 403 here: everyone in the audience may suggest, anyone else gets 404 (above)."""
    expectation = sharpening_expectation(tenant_a.organization)
    for person in (tenant_a.hr, tenant_a.manager, tenant_a.employee, tenant_a.outsider):
        assert login(person).post(suggest(expectation), GOOD).status_code == 302
    assert Suggestion.objects.filter(expectation=expectation).count() == 4


@pytest.mark.parametrize("expectation_id", ["abc", "0", "-1", "99999999999999999999999"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, employee, expectation_id):
    address = url("expectations:suggest", tenant_a.organization, expectation_id=expectation_id)
    assert employee.post(address, GOOD).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_get_405(tenant_a, employee, method):
    assert_method_not_allowed(employee, suggest(sharpening_expectation(tenant_a.organization)), method)


def test_a_suggestion_is_saved_in_the_language_of_the_page_and_shown(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization)
    response = employee.post(suggest(expectation), {**GOOD, "language": "nl", "author": tenant_a.hr.pk}, follow=True)
    suggestion = Suggestion.objects.get()
    assert (suggestion.expectation, suggestion.author, suggestion.language) == (expectation, tenant_a.employee, "en")
    assert (suggestion.text, suggestion.why, suggestion.status) == (GOOD["text"], GOOD["why"], "open")
    assert response.redirect_chain == [
        (url("expectations:sharpening_detail", tenant_a.organization, expectation_id=expectation.pk), 302)
    ]
    assert shown_messages(response) == ["Thank you: your suggestion has been added. You will see here what is decided."]
    assert GOOD["text"] in response.content.decode()


def test_a_dutch_reader_suggests_dutch_wording(tenant_a, login):
    login(tenant_a.employee).post(suggest(sharpening_expectation(tenant_a.organization)), GOOD)
    assert Suggestion.objects.get().language == "nl"


def test_an_empty_text_gets_a_field_error_and_saves_nothing(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization)
    response = employee.post(suggest(expectation), {"text": "   ", "why": "Waarom niet."})
    assert response.status_code == 200
    assert response.context["form"].errors == {"text": ["Write the wording you suggest."]}
    assert field_errors(response, "text") == ["Write the wording you suggest."]  # and shown
    assert "Waarom niet." in response.content.decode()  # what was typed stays
    assert not Suggestion.objects.exists()


def test_an_over_long_text_gets_a_field_error_and_saves_nothing(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization)
    response = employee.post(suggest(expectation), {"text": "x" * 1001, "why": "y" * 1001})
    assert response.status_code == 200
    assert field_errors(response, "text") == ["Ensure this value has at most 1000 characters (it has 1001)."]
    assert field_errors(response, "why") == ["Ensure this value has at most 1000 characters (it has 1001)."]
    assert not Suggestion.objects.exists()


def test_after_the_closing_date_the_suggestion_is_refused_with_a_message_at_the_form(tenant_a, employee):
    response = employee.post(suggest(sharpening_expectation(tenant_a.organization, closes_in=-1)), GOOD)
    assert response.status_code == 200
    assert nonfield_errors(response) == ["This expectation is not open for suggestions."]
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.DRAFT, Status.RETIRED])
def test_a_suggestion_on_an_expectation_not_in_sharpening_is_refused_with_a_message(tenant_a, employee, status):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=status)
    response = employee.post(suggest(expectation), GOOD, follow=True)
    assert response.redirect_chain == [(url("expectations:sharpening_list", tenant_a.organization), 302)]
    assert shown_messages(response) == ["This expectation is not open for suggestions."]
    assert not Suggestion.objects.exists()


def test_a_suggestion_on_an_expectation_published_outside_my_audience_is_still_404(tenant_a, employee):
    expectation = ExpectationFactory(
        organization=tenant_a.organization, teams=[TeamFactory(organization=tenant_a.organization)]
    )
    assert employee.post(suggest(expectation), GOOD).status_code == 404


def test_after_the_closing_date_even_an_empty_text_gets_the_closing_message(tenant_a, employee):
    response = employee.post(suggest(sharpening_expectation(tenant_a.organization, closes_in=-1)), {"text": ""})
    assert response.status_code == 200
    assert "This expectation is not open for suggestions." in nonfield_errors(response)
    assert not Suggestion.objects.exists()
