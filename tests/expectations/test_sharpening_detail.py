"""The sharpening page of one draft: its wording, support, the suggestion form and the suggestions so far."""

import pytest
from django.utils import timezone
from django.utils.html import escape

from expectations.models import ExpectationVersion, Status, SuggestionStatus
from tests.factories import (
    EndorsementFactory,
    ExpectationFactory,
    SuggestionFactory,
    TeamFactory,
    sharpening_expectation,
    suggestions_in_every_state,
)
from tests.kit import assert_flat_queries, assert_method_not_allowed, assert_other_organisation_gets_404, url

pytestmark = pytest.mark.django_db


def detail(expectation):
    return url("expectations:sharpening_detail", expectation.organization, expectation_id=expectation.pk)


def test_a_member_of_another_organisation_gets_404(client, stranger, tenant_a):
    assert_other_organisation_gets_404(client, stranger, detail(sharpening_expectation(tenant_a.organization)))


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_a_person_outside_the_audience_gets_404_whatever_their_role(tenant_a, login, role):
    expectation = sharpening_expectation(tenant_a.organization, teams=[TeamFactory(organization=tenant_a.organization)])
    assert login(tenant_a.member(role)).get(detail(expectation)).status_code == 404


def test_someone_without_a_team_is_outside_a_team_audience(tenant_a, outsider):
    assert outsider.get(detail(sharpening_expectation(tenant_a.organization, teams=[tenant_a.team]))).status_code == 404


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED, Status.RETIRED])
def test_an_expectation_not_in_sharpening_gets_404(tenant_a, employee, status):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=status)
    assert employee.get(detail(expectation)).status_code == 404


@pytest.mark.parametrize("expectation_id", ["abc", "0", "-1", "99999999999999999999999", "1e3"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, employee, expectation_id):
    address = url("expectations:sharpening_detail", tenant_a.organization, expectation_id=expectation_id)
    assert employee.get(address).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_get_405(tenant_a, employee, method):
    assert_method_not_allowed(employee, detail(sharpening_expectation(tenant_a.organization)), method)


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_everyone_in_the_audience_sees_the_page(tenant_a, login, role):
    assert login(tenant_a.member(role)).get(detail(sharpening_expectation(tenant_a.organization))).status_code == 200


def test_the_page_shows_the_current_wording_support_and_the_forms(tenant_a, employee):
    # For the team: its manager and its employee.
    expectation = sharpening_expectation(tenant_a.organization, teams=[tenant_a.team], title="Feedback")
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(
        examples_yes_en="- First example\n- Second example"
    )
    EndorsementFactory(expectation=expectation, employee=tenant_a.manager)
    response = employee.get(detail(expectation))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1>") == 1 and "<h1>Feedback (en)</h1>" in page
    assert "You ask the customer for feedback within a week of delivery." in page
    assert "<li>First example</li><li>Second example</li>" in page
    assert "<li>You wait until the customer complains.</li>" in page
    assert "1 of 2 in the audience finds this wording clear." in page
    endorse = url("expectations:endorse", tenant_a.organization, expectation_id=expectation.pk)
    assert f'action="{endorse}" hx-post="{endorse}" hx-target="#support"' in page
    assert ">Clear to me</button>" in page
    assert f'action="{url("expectations:suggest", tenant_a.organization, expectation_id=expectation.pk)}"' in page
    assert '<label for="id_text">Your wording of the observable behaviour:</label>' in page
    assert '<label for="id_why">Why this is clearer (optional):</label>' in page
    assert "When accepted, it replaces the wording in English." in page
    assert "No suggestions yet." in page


def test_once_endorsed_the_button_says_so_and_is_disabled(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization)
    EndorsementFactory(expectation=expectation, employee=tenant_a.employee)
    page = employee.get(detail(expectation)).content.decode()
    assert "You endorsed this wording</button>" in page
    assert 'class="button-secondary" disabled>' in page
    assert url("expectations:endorse", tenant_a.organization, expectation_id=expectation.pk) not in page


def test_an_endorsement_of_an_earlier_wording_does_not_count_as_support_now(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization)
    EndorsementFactory(expectation=expectation, employee=tenant_a.employee, wording_revision=0)
    page = employee.get(detail(expectation)).content.decode()
    assert "0 of 4 in the audience find this wording clear." in page
    assert "1 person endorsed an earlier wording only." in page
    assert ">Clear to me</button>" in page


def test_who_suggested_what_with_status_reply_and_credit(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization)
    SuggestionFactory(expectation=expectation, author=tenant_a.employee, text="Bel binnen vijf dagen.", why="Meetbaar.")
    SuggestionFactory(
        expectation=expectation,
        author=tenant_a.manager,
        status=SuggestionStatus.DECLINED,
        reply="Te vaag voor ons.",
        decided_by=tenant_a.hr,
        decided_at=timezone.now(),
        text="Wees klantgericht.",
    )
    SuggestionFactory(
        expectation=expectation,
        author=tenant_a.outsider,
        status=SuggestionStatus.ACCEPTED,
        language="en",
        reply="Thank you!",
        decided_by=tenant_a.hr,
        decided_at=timezone.now(),
        text="Call within five days.",
    )
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(behaviour_en="Call within five days.")
    page = employee.get(detail(expectation)).content.decode()
    for person in (tenant_a.employee, tenant_a.manager, tenant_a.outsider):
        assert f"Suggestion by {escape(person.full_name)}" in page
    assert "Bel binnen vijf dagen." in page and "Meetbaar." in page
    assert ">Open</span>" in page and ">Declined</span>" in page and ">Accepted</span>" in page
    assert f"Reply from {escape(tenant_a.hr.full_name)}:</strong> Te vaag voor ons." in page
    assert "Thank you!" in page
    # The author of the wording now in the draft is credited under it.
    assert f'<p class="help">Wording by {escape(tenant_a.outsider.full_name)}</p>' in page
    # The decision forms are HR's (on the HR page), never here.
    assert "suggestions/" not in page


def test_after_the_closing_date_the_forms_are_replaced_by_a_note(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization, closes_in=-1)
    SuggestionFactory(expectation=expectation, author=tenant_a.employee)
    page = employee.get(detail(expectation)).content.decode()
    assert "Suggestions and endorsements closed on" in page
    assert url("expectations:suggest", tenant_a.organization, expectation_id=expectation.pk) not in page
    assert url("expectations:endorse", tenant_a.organization, expectation_id=expectation.pk) not in page
    assert 'name="text"' not in page
    assert "Suggestion by" in page  # the suggestions so far stay visible


def test_the_page_is_in_dutch_for_a_dutch_reader(tenant_a, login):
    expectation = sharpening_expectation(tenant_a.organization, title="Feedback vragen")
    page = login(tenant_a.employee).get(detail(expectation)).content.decode()
    assert "<h1>Feedback vragen</h1>" in page
    assert "Je vraagt binnen een week na oplevering feedback aan de klant." in page


def test_the_page_makes_as_many_queries_for_40_suggestions_as_for_2(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization)

    def add(numbers):
        suggestions_in_every_state(expectation, numbers, decided_by=tenant_a.hr)

    response = assert_flat_queries(lambda: employee.get(detail(expectation)), add)
    assert response.content.decode().count("Suggestion by") == 40
