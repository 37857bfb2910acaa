"""HR or the proposing manager accepts a suggestion (the draft takes it) or declines it with a reply."""

import pytest
from django.utils.html import escape

from expectations.models import Expectation, ExpectationVersion, Suggestion, SuggestionStatus
from tests.factories import EndorsementFactory, ExpectationFactory, SuggestionFactory, sharpening_expectation
from tests.kit import (
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    in_english,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

TEXT = "Je belt de klant binnen vijf werkdagen na oplevering."
ORIGINAL = "Je vraagt binnen een week na oplevering feedback aan de klant."


def accept(suggestion):
    return url("expectations:suggestion_accept", suggestion.organization, suggestion_id=suggestion.pk)


def decline(suggestion):
    return url("expectations:suggestion_decline", suggestion.organization, suggestion_id=suggestion.pk)


def detail(expectation):
    return url("expectations:detail", expectation.organization, expectation_id=expectation.pk)


def open_suggestion(tenant, **kwargs):
    expectation = kwargs.pop("expectation", None) or sharpening_expectation(tenant.organization)
    return SuggestionFactory(expectation=expectation, author=tenant.employee, text=TEXT, language="nl", **kwargs)


def unchanged(suggestion):
    """Nothing was decided and the draft's wording is as it was."""
    suggestion.refresh_from_db()
    version = ExpectationVersion.objects.get(pk=suggestion.expectation.current_version_id)
    return (
        suggestion.status == SuggestionStatus.OPEN
        and suggestion.reply == ""
        and suggestion.decided_by is None
        and version.behaviour_nl == ORIGINAL
        and Expectation.objects.get(pk=suggestion.expectation_id).wording_revision == 1
    )


@pytest.mark.parametrize("action", [accept, decline])
def test_a_member_of_another_organisation_gets_404(client, stranger, tenant_a, action):
    suggestion = open_suggestion(tenant_a)
    assert_other_organisation_gets_404(client, stranger, action(suggestion), "post", {"reply": "Nee."})
    assert unchanged(suggestion)


@pytest.mark.parametrize("action", ["suggestion_accept", "suggestion_decline"])
@pytest.mark.parametrize("suggestion_id", ["abc", "0", "-1", "99999999999999999999999"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, hr, action, suggestion_id):
    address = url(f"expectations:{action}", tenant_a.organization, suggestion_id=suggestion_id)
    assert hr.post(address, {"reply": "x"}).status_code == 404


@pytest.mark.parametrize("action", [accept, decline])
@pytest.mark.parametrize("role", ["employee", "manager"])
def test_an_employee_or_a_manager_who_did_not_propose_it_gets_403(client, tenant_a, action, role):
    expectation = sharpening_expectation(tenant_a.organization, teams=[tenant_a.team])
    suggestion = open_suggestion(tenant_a, expectation=expectation)
    assert_role_forbidden(client, tenant_a.member(role), action(suggestion), "post", {"reply": "Nee."})
    assert unchanged(suggestion)


@pytest.mark.parametrize("action", [accept, decline])
@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_get_405(tenant_a, hr, action, method):
    suggestion = open_suggestion(tenant_a)
    assert_method_not_allowed(hr, action(suggestion), method)
    assert unchanged(suggestion)


def test_accepting_puts_the_wording_into_the_draft_and_credits_the_author(tenant_a, hr, login):
    suggestion = open_suggestion(tenant_a)
    expectation = suggestion.expectation
    EndorsementFactory(expectation=expectation, employee=tenant_a.manager)
    response = hr.post(accept(suggestion), {"reply": "Veel beter, dank je."}, follow=True)
    assert response.redirect_chain == [(detail(expectation), 302)]
    assert shown_messages(response) == [
        f"Accepted: the draft now has the wording by {tenant_a.employee.full_name}. "
        "Endorsements of the earlier wording no longer count as support."
    ]

    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reply, suggestion.decided_by) == (
        "accepted",
        "Veel beter, dank je.",
        tenant_a.hr,
    )
    version = ExpectationVersion.objects.get(pk=expectation.current_version_id)
    assert version.behaviour_nl == TEXT
    assert version.behaviour_en == "", "the English translation of the old words is not kept"
    assert Expectation.objects.get(pk=expectation.pk).wording_revision == 2

    # The author sees it on the sharpening page: credited, with the reply; the old endorsement no longer counts.
    page_url = url("expectations:sharpening_detail", tenant_a.organization, expectation_id=expectation.pk)
    client = login(tenant_a.employee)
    assert client.get(page_url).context["credit"] == suggestion  # a Dutch reader reads the accepted Dutch wording
    in_english(tenant_a.employee)
    response = client.get(page_url)
    # The English text of the old words was emptied, so an English reader reads the accepted wording too.
    assert response.context["credit"] == suggestion
    page = response.content.decode()
    assert f"Wording by {escape(tenant_a.employee.full_name)}: the draft took this wording." in page
    assert "Veel beter, dank je." in page
    assert "0 of 4 in the audience find this wording clear." in page


def test_accepting_needs_no_reply(tenant_a, hr):
    suggestion = open_suggestion(tenant_a)
    hr.post(accept(suggestion), {})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reply) == ("accepted", "")


def test_the_proposing_manager_may_decide(tenant_a, manager):
    expectation = sharpening_expectation(tenant_a.organization, teams=[tenant_a.team], proposed_by=tenant_a.manager)
    first, second = (
        open_suggestion(tenant_a, expectation=expectation),
        open_suggestion(tenant_a, expectation=expectation),
    )
    assert manager.post(accept(first)).status_code == 302
    assert manager.post(decline(second), {"reply": "Dubbel."}).status_code == 302
    assert Suggestion.objects.get(pk=first.pk).status == "accepted"
    assert Suggestion.objects.get(pk=second.pk).status == "declined"


def test_declining_keeps_the_reply_and_leaves_the_wording(tenant_a, hr):
    suggestion = open_suggestion(tenant_a)
    response = hr.post(decline(suggestion), {"reply": "  Te lang voor ons.  "}, follow=True)
    assert response.redirect_chain == [(detail(suggestion.expectation), 302)]
    assert shown_messages(response) == [f"Declined. {tenant_a.employee.full_name} sees your reply."]
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reply, suggestion.decided_by) == (
        "declined",
        "Te lang voor ons.",
        tenant_a.hr,
    )
    assert ExpectationVersion.objects.get(pk=suggestion.expectation.current_version_id).behaviour_nl == ORIGINAL


@pytest.mark.parametrize("reply", [None, "", "   "])
def test_declining_without_a_reply_is_refused_and_saves_nothing(tenant_a, hr, reply):
    suggestion = open_suggestion(tenant_a)
    response = hr.post(decline(suggestion), {} if reply is None else {"reply": reply}, follow=True)
    assert response.redirect_chain == [(detail(suggestion.expectation), 302)]
    assert shown_messages(response) == ["Tell the author why, in a sentence or two."]
    assert unchanged(suggestion)


@pytest.mark.parametrize("action", [accept, decline])
def test_an_over_long_reply_is_refused_and_saves_nothing(tenant_a, hr, action):
    suggestion = open_suggestion(tenant_a)
    response = hr.post(action(suggestion), {"reply": "x" * 1001}, follow=True)
    assert shown_messages(response) == ["Ensure this value has at most 1000 characters (it has 1001)."]
    assert unchanged(suggestion)


@pytest.mark.parametrize("first, second", [(accept, decline), (decline, accept), (decline, decline)])
def test_a_decided_suggestion_cannot_be_decided_again(tenant_a, hr, first, second):
    suggestion = open_suggestion(tenant_a)
    hr.post(first(suggestion), {"reply": "Eerste."})
    response = hr.post(second(suggestion), {"reply": "Tweede."}, follow=True)
    assert "This suggestion has already been decided." in shown_messages(response)  # after the first decision's
    suggestion.refresh_from_db()
    assert suggestion.reply == "Eerste."


def test_accepting_on_a_published_expectation_is_refused_and_changes_nothing(tenant_a, hr):
    suggestion = open_suggestion(tenant_a, expectation=ExpectationFactory(organization=tenant_a.organization))
    response = hr.post(accept(suggestion), {"reply": "Ja."}, follow=True)
    assert response.redirect_chain == [(detail(suggestion.expectation), 302)]
    assert shown_messages(response) == ["Only the wording of a draft can take a suggestion."]
    assert unchanged(suggestion)


def test_declining_after_the_closing_date_still_works(tenant_a, hr):
    suggestion = open_suggestion(tenant_a, expectation=sharpening_expectation(tenant_a.organization, closes_in=-3))
    hr.post(decline(suggestion), {"reply": "Te laat, maar dank je."})
    suggestion.refresh_from_db()
    assert suggestion.status == "declined"
