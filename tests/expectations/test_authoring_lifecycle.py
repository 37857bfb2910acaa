"""HR moves an expectation: open for sharpening, back to draft, publish, retire, delete a draft."""

import pytest
from django.utils import timezone

from expectations.models import Expectation, ExpectationVersion, Status, Suggestion
from tests.factories import (
    EmployeeFactory,
    ExpectationFactory,
    SuggestionFactory,
    TeamFactory,
    draft_expectation,
    sharpening_expectation,
)
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

ACTIONS = ["sharpen", "back_to_draft", "publish", "retire", "delete"]


def act(action, expectation):
    return url(f"expectations:{action}", expectation.organization, expectation_id=expectation.pk)


def detail(expectation):
    return url("expectations:detail", expectation.organization, expectation_id=expectation.pk)


def today(days=0):
    return (timezone.localdate() + timezone.timedelta(days=days)).isoformat()


# Who may, and how


@pytest.mark.parametrize("action", ACTIONS)
def test_a_member_of_another_organisation_gets_404_and_nothing_changes(client, stranger, tenant_a, action):
    if action == "back_to_draft":
        expectation = sharpening_expectation(tenant_a.organization, closes_in=3)
    else:
        expectation = draft_expectation(tenant_a.organization)
    assert_other_organisation_gets_404(client, stranger, act(action, expectation), "post", {"closes_on": today(5)})


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_move_an_expectation_even_its_proposer_gets_403(client, tenant_a, action, role):
    expectation = draft_expectation(tenant_a.organization, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    assert_role_forbidden(client, tenant_a.member(role), act(action, expectation), "post", {"closes_on": today(5)})


@pytest.mark.parametrize("action", ACTIONS)
def test_get_is_not_allowed(tenant_a, hr, action):
    assert_method_not_allowed(hr, act(action, draft_expectation(tenant_a.organization)), "get")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("expectation_id", ["abc", "0", "99999999999999999999999"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, hr, action, expectation_id):
    address = url(f"expectations:{action}", tenant_a.organization, expectation_id=expectation_id)
    assert hr.post(address).status_code == 404


# Sharpening


def test_hr_opens_a_draft_for_sharpening_until_a_date(tenant_a, hr):
    expectation = draft_expectation(tenant_a.organization)
    closes_on = timezone.localdate() + timezone.timedelta(days=10)
    response = hr.post(act("sharpen", expectation), {"closes_on": closes_on.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == detail(expectation)
    expectation.refresh_from_db()
    assert (expectation.status, expectation.sharpening_closes_on) == (Status.SHARPENING, closes_on)
    assert expectation.current_version.published_at is None


def test_today_is_a_valid_closing_date_and_hr_can_move_it(tenant_a, hr):
    expectation = sharpening_expectation(tenant_a.organization, closes_in=3)
    response = hr.post(act("sharpen", expectation), {"closes_on": today()}, follow=True)
    assert any(message.startswith("Open for suggestions until") for message in shown_messages(response))
    expectation.refresh_from_db()
    assert (expectation.status, expectation.sharpening_closes_on) == (Status.SHARPENING, timezone.localdate())


@pytest.mark.parametrize(
    ("closes_on", "message"),
    [
        (today(-1), "The closing date is in the past; choose today or a later date."),
        ("2020-02-30", "Enter a valid date."),
        ("morgen", "Enter a valid date."),
        ("99999-01-01", "Enter a valid date."),
        ("", "This field is required."),
    ],
)
def test_a_bad_closing_date_gets_a_field_error_and_changes_nothing(tenant_a, hr, closes_on, message):
    expectation = draft_expectation(tenant_a.organization)
    with assert_nothing_changes():
        response = hr.post(act("sharpen", expectation), {"closes_on": closes_on})
    assert response.status_code == 200
    assert field_error(response, "closes_on") == message
    # The page is the detail page again, with the wording and the rest of the actions.
    assert response.context["expectation"].pk == expectation.pk
    assert 'action="' + act("publish", expectation) + '"' in response.content.decode()


def test_a_published_expectation_cannot_be_reopened_for_sharpening(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    with assert_nothing_changes():
        response = hr.post(act("sharpen", expectation), {"closes_on": today(5)}, follow=True)
    assert shown_messages(response) == ["Someone else changed this expectation in the meantime; look again."]


def test_hr_closes_sharpening_early_and_suggestions_stay(tenant_a, hr):
    expectation = sharpening_expectation(tenant_a.organization, closes_in=3)
    SuggestionFactory(expectation=expectation)
    response = hr.post(act("back_to_draft", expectation), follow=True)
    assert response.redirect_chain == [(detail(expectation), 302)]
    assert shown_messages(response) == ["Back to draft: suggestions are closed. Suggestions and endorsements stay."]
    expectation.refresh_from_db()
    assert expectation.status == Status.DRAFT
    assert Suggestion.objects.filter(expectation=expectation).count() == 1


def test_a_draft_cannot_go_back_to_draft(tenant_a, hr):
    expectation = draft_expectation(tenant_a.organization)
    with assert_nothing_changes():
        response = hr.post(act("back_to_draft", expectation), follow=True)
    assert shown_messages(response) == ["Someone else changed this expectation in the meantime; look again."]


# Publishing


def test_hr_publishes_and_is_told_how_to_fix_the_weights(tenant_a, hr):
    ExpectationFactory(organization=tenant_a.organization, weight=50)
    expectation = sharpening_expectation(tenant_a.organization, closes_in=3, weight=20)
    response = hr.post(act("publish", expectation), follow=True)
    assert response.redirect_chain == [(detail(expectation), 302)]
    assert shown_messages(response) == [
        "Published: everyone it applies to now sees it.",
        "For Klantenservice the weights add up to 70 %; change them by +30 points so they add up to 100 %.",
        "For people without a team the weights add up to 70 %; change them by +30 points so they add up to 100 %.",
    ]
    expectation.refresh_from_db()
    assert expectation.status == Status.PUBLISHED
    assert expectation.current_version.published_at == expectation.published_at is not None


def test_publishing_over_the_cap_is_refused_naming_the_teams_and_people(tenant_a, hr):
    for _ in range(5):
        ExpectationFactory(organization=tenant_a.organization, teams=[tenant_a.team])
    TeamFactory(organization=tenant_a.organization, name="Leeg")
    other = TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    EmployeeFactory(organization=tenant_a.organization, team=other)
    expectation = draft_expectation(tenant_a.organization)
    with assert_nothing_changes():
        response = hr.post(act("publish", expectation), follow=True)
    assert shown_messages(response) == [
        "This would give more than 5 expectations to people in: Klantenservice (2 people, would have 6). "
        "Retire an expectation for them first, narrow the audience, or raise the maximum."
    ]


def test_publishing_without_behaviour_or_examples_is_refused_and_says_what_is_missing(tenant_a, hr):
    expectation = draft_expectation(tenant_a.organization)
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(
        behaviour_nl="",
        behaviour_en="",
        examples_yes_nl="",
        examples_yes_en="",
        examples_not_yet_nl="",
        examples_not_yet_en="",
    )
    with assert_nothing_changes():
        response = hr.post(act("publish", expectation), follow=True)
    assert shown_messages(response) == [
        "Describe the observable behaviour before publishing.",
        "Give at least one “this is it” example before publishing.",
        "Give at least one “not yet” example before publishing.",
    ]


def test_publishing_twice_says_it_is_already_done(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    with assert_nothing_changes():
        response = hr.post(act("publish", expectation), follow=True)
    assert shown_messages(response) == ["Only a draft or an expectation in sharpening can be published."]


# Retiring and deleting


def test_hr_retires_a_published_expectation_and_it_stays_readable(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    response = hr.post(act("retire", expectation), follow=True)
    assert shown_messages(response) == ["Retired: it no longer applies to anyone. Its versions stay readable."]
    expectation.refresh_from_db()
    assert expectation.status == Status.RETIRED
    assert expectation.retired_at is not None
    version_1 = url("expectations:version", tenant_a.organization, expectation_id=expectation.pk, number=1)
    assert hr.get(version_1).status_code == 200


def test_a_draft_cannot_be_retired(tenant_a, hr):
    expectation = draft_expectation(tenant_a.organization)
    with assert_nothing_changes():
        response = hr.post(act("retire", expectation), follow=True)
    assert shown_messages(response) == ["Someone else changed this expectation in the meantime; look again."]


def test_hr_deletes_a_draft_with_its_suggestions(tenant_a, hr):
    keep = draft_expectation(tenant_a.organization)
    expectation = sharpening_expectation(tenant_a.organization, closes_in=3)
    SuggestionFactory(expectation=expectation)
    response = hr.post(act("delete", expectation), follow=True)
    assert response.redirect_chain == [(url("expectations:index", tenant_a.organization), 302)]
    assert shown_messages(response) == ["The draft has been deleted."]
    assert list(Expectation.objects.values_list("pk", flat=True)) == [keep.pk]
    assert not Suggestion.objects.exists()
    assert list(ExpectationVersion.objects.values_list("expectation_id", flat=True)) == [keep.pk]


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.RETIRED])
def test_a_published_or_retired_expectation_cannot_be_deleted(tenant_a, hr, status):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=status)
    with assert_nothing_changes():
        response = hr.post(act("delete", expectation), follow=True)
    assert response.redirect_chain == [(detail(expectation), 302)]
    assert shown_messages(response) == ["Only a draft can be deleted; retire a published expectation instead."]
