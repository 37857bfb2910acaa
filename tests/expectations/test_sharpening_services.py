"""The sharpening flow in the services: suggest, endorse, accept, decline, and who is in the audience."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import override

from expectations import selectors, services
from expectations.models import Endorsement, Expectation, ExpectationVersion, Status, Suggestion, SuggestionStatus
from tests.factories import (
    EmployeeFactory,
    EndorsementFactory,
    ExpectationFactory,
    SuggestionFactory,
    TeamFactory,
    sharpening_expectation,
)

pytestmark = pytest.mark.django_db


def test_a_suggestion_is_saved_with_its_author_language_and_trimmed_text(tenant_a):
    expectation = sharpening_expectation(tenant_a.organization)
    suggestion = services.suggestion_create(
        expectation=expectation,
        author=tenant_a.employee,
        text="  Je belt binnen vijf dagen.  ",
        why=" Dan is het meetbaar. ",
        language="en",
    )
    suggestion.refresh_from_db()
    assert (suggestion.author, suggestion.language, suggestion.status) == (tenant_a.employee, "en", "open")
    assert (suggestion.text, suggestion.why) == ("Je belt binnen vijf dagen.", "Dan is het meetbaar.")


def test_a_suggestion_in_an_unknown_language_takes_the_organisations_language(tenant_a):
    suggestion = services.suggestion_create(
        expectation=sharpening_expectation(tenant_a.organization), author=tenant_a.employee, text="Tekst", language="xx"
    )
    assert suggestion.language == "nl"


def test_an_empty_suggestion_is_refused_at_the_text(tenant_a):
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.suggestion_create(
            expectation=sharpening_expectation(tenant_a.organization),
            author=tenant_a.employee,
            text="   ",
            language="en",
        )
    assert "text" in excinfo.value.error_dict
    assert not Suggestion.objects.exists()


def test_endorsing_twice_is_one_endorsement(tenant_a):
    expectation = sharpening_expectation(tenant_a.organization)
    assert services.endorsement_add(expectation=expectation, employee=tenant_a.employee) is True
    assert services.endorsement_add(expectation=expectation, employee=tenant_a.employee) is False
    assert Endorsement.objects.filter(expectation=expectation).count() == 1
    support = selectors.support(expectation=expectation, viewer=tenant_a.employee)
    assert (support.endorsed, support.earlier, support.mine) == (1, 0, True)


def test_accepting_puts_the_text_into_the_draft_in_the_suggestions_language_and_resets_support(tenant_a):
    expectation = sharpening_expectation(tenant_a.organization)
    services.endorsement_add(expectation=expectation, employee=tenant_a.employee)
    suggestion = SuggestionFactory(
        expectation=expectation, author=tenant_a.employee, language="en", text="Call in 5 days."
    )
    services.suggestion_accept(suggestion=suggestion, actor=tenant_a.hr, reply="Thanks!")

    version = ExpectationVersion.objects.get(pk=expectation.current_version_id)
    assert version.behaviour_en == "Call in 5 days."
    # The Dutch text translated the replaced words; it is emptied so Dutch readers fall back to the new ones.
    assert version.behaviour_nl == ""
    with translation.override("nl"):
        assert version.local_behaviour == "Call in 5 days."
    expectation.refresh_from_db()
    assert expectation.wording_revision == 2
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by, suggestion.reply) == (
        SuggestionStatus.ACCEPTED,
        tenant_a.hr,
        "Thanks!",
    )
    # The endorsement was for the old words: it no longer counts as support of the current wording.
    support = selectors.support(expectation=expectation, viewer=tenant_a.employee)
    assert (support.endorsed, support.earlier, support.mine) == (0, 1, False)
    # ... and the person can endorse the new wording.
    assert services.endorsement_add(expectation=expectation, employee=tenant_a.employee) is True


def test_a_dutch_suggestion_goes_into_the_dutch_behaviour(tenant_a):
    expectation = sharpening_expectation(tenant_a.organization)
    suggestion = SuggestionFactory(expectation=expectation, language="nl", text="Bel binnen vijf dagen.")
    services.suggestion_accept(suggestion=suggestion, actor=tenant_a.hr)
    version = ExpectationVersion.objects.get(pk=expectation.current_version_id)
    assert version.behaviour_nl == "Bel binnen vijf dagen."
    assert version.behaviour_en == ""
    with translation.override("en"):
        assert version.local_behaviour == "Bel binnen vijf dagen."


def test_declining_needs_a_reply_and_saves_nothing_without_one(tenant_a):
    suggestion = SuggestionFactory(expectation=sharpening_expectation(tenant_a.organization))
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.suggestion_decline(suggestion=suggestion, actor=tenant_a.hr, reply="  ")
    assert excinfo.value.message_dict == {"reply": ["Tell the author why, in a sentence or two."]}
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by, suggestion.reply) == (SuggestionStatus.OPEN, None, "")


def test_declining_keeps_the_reply_for_the_author_and_leaves_the_wording(tenant_a):
    expectation = sharpening_expectation(tenant_a.organization)
    suggestion = SuggestionFactory(expectation=expectation)
    services.suggestion_decline(suggestion=suggestion, actor=tenant_a.hr, reply="Te lang voor ons.")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reply, suggestion.decided_by) == (
        "declined",
        "Te lang voor ons.",
        tenant_a.hr,
    )
    expectation.refresh_from_db()
    assert expectation.wording_revision == 1


@pytest.mark.parametrize("first, second", [("accept", "decline"), ("decline", "accept"), ("accept", "accept")])
def test_a_suggestion_is_decided_only_once(tenant_a, first, second):
    expectation = sharpening_expectation(tenant_a.organization)
    suggestion = SuggestionFactory(expectation=expectation, text="Eerste besluit telt.")
    getattr(services, f"suggestion_{first}")(suggestion=suggestion, actor=tenant_a.hr, reply="Eerste.")
    with override("en"), pytest.raises(ValidationError) as excinfo:
        getattr(services, f"suggestion_{second}")(suggestion=suggestion, actor=tenant_a.manager, reply="Tweede.")
    assert excinfo.value.messages == ["This suggestion has already been decided."]
    suggestion.refresh_from_db()
    assert (suggestion.reply, suggestion.decided_by) == ("Eerste.", tenant_a.hr)
    expectation.refresh_from_db()
    assert expectation.wording_revision == (2 if first == "accept" else 1)


def test_nothing_new_after_the_closing_date_but_decisions_are_still_possible(tenant_a):
    expectation = sharpening_expectation(tenant_a.organization, closes_in=-1)
    suggestion = SuggestionFactory(expectation=expectation)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.suggestion_create(expectation=expectation, author=tenant_a.employee, text="Te laat.", language="nl")
    assert excinfo.value.messages == ["This expectation is not open for suggestions."]
    with override("en"), pytest.raises(ValidationError):
        services.endorsement_add(expectation=expectation, employee=tenant_a.employee)
    assert Suggestion.objects.count() == 1
    assert not Endorsement.objects.exists()
    services.suggestion_accept(suggestion=suggestion, actor=tenant_a.hr)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED


def test_the_closing_day_itself_is_still_open(tenant_a):
    expectation = sharpening_expectation(tenant_a.organization, closes_in=0)
    assert services.endorsement_add(expectation=expectation, employee=tenant_a.employee) is True


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.DRAFT, Status.RETIRED])
def test_suggesting_or_endorsing_outside_sharpening_is_refused(tenant_a, status):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=status)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.suggestion_create(expectation=expectation, author=tenant_a.employee, text="Beter.", language="nl")
    assert excinfo.value.messages == ["This expectation is not open for suggestions."]
    with pytest.raises(ValidationError):
        services.endorsement_add(expectation=expectation, employee=tenant_a.employee)
    assert not Suggestion.objects.exists() and not Endorsement.objects.exists()


def test_accepting_on_a_published_expectation_is_refused_and_changes_nothing(tenant_a):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    suggestion = SuggestionFactory(expectation=expectation, text="Nieuwe tekst.")
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.suggestion_accept(suggestion=suggestion, actor=tenant_a.hr)
    assert excinfo.value.messages == ["Only the wording of a draft can take a suggestion."]
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN
    version = ExpectationVersion.objects.get(pk=expectation.current_version_id)
    assert version.behaviour_nl == "Je vraagt binnen een week na oplevering feedback aan de klant."
    assert Expectation.objects.get(pk=expectation.pk).wording_revision == 1


def test_the_audience_is_everyone_or_the_named_teams(tenant_a):
    everyone = sharpening_expectation(tenant_a.organization)
    team_only = sharpening_expectation(tenant_a.organization, teams=[tenant_a.team])
    other_team = TeamFactory(organization=tenant_a.organization)
    elsewhere = EmployeeFactory(organization=tenant_a.organization, team=other_team)
    assert selectors.in_audience(expectation=everyone, employee=tenant_a.outsider)
    assert selectors.in_audience(expectation=team_only, employee=tenant_a.employee)
    assert not selectors.in_audience(expectation=team_only, employee=tenant_a.outsider)
    assert not selectors.in_audience(expectation=team_only, employee=elsewhere)
    assert [row.pk for row in selectors.sharpening_for(employee=elsewhere)] == [everyone.pk]
    assert {row.pk for row in selectors.sharpening_for(employee=tenant_a.employee)} == {everyone.pk, team_only.pk}


def test_support_counts_the_current_wording_against_the_active_audience(tenant_a):
    expectation = sharpening_expectation(tenant_a.organization, teams=[tenant_a.team])  # manager and employee
    EndorsementFactory(expectation=expectation, employee=tenant_a.employee)
    support = selectors.support(expectation=expectation, viewer=tenant_a.manager)
    assert (support.endorsed, support.audience, support.mine) == (1, 2, False)
