"""The review workflow's services: start, the draft's refusals, the outcome, every step and its refusals."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from organizations.audit_models import AuditEntry
from reviews import services_reviews as services
from reviews.models import Rating, Review, ReviewState
from reviews.scales import cycle_bands
from reviews.services_reviews import RatingInput, evidence_field, level_field, reason_field
from tests.factories import ConversationFactory, EmployeeFactory, ObservationFactory
from tests.kit import assert_nothing_changes
from tests.reviews.review_steps import fill, finalised, held, observation, ratings, shared, start

pytestmark = pytest.mark.usefixtures("english")


def review_entries(review):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Review), object_id=review.pk, action=AuditEntry.Action.UPDATE
    )


def refusal(call, **kwargs):
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value


# --- start ------------------------------------------------------------------------------------------------------


def test_starting_makes_one_rating_per_applicable_expectation_with_its_weight(assessment):
    review = start(assessment)

    assert review.state == ReviewState.DRAFT and review.manager == assessment.tenant.manager
    assert sorted((row.expectation_id, row.weight) for row in ratings(review)) == sorted(
        (row.pk, weight) for row, weight in zip(assessment.expectations, (60, 40), strict=True)
    )
    assert all(row.level is None for row in ratings(review))


def test_starting_twice_gives_the_same_review(assessment):
    first = start(assessment)
    again, made = services.review_start(conversation=assessment.conversation, actor=assessment.tenant.manager)
    assert (again, made) == (first, False)
    assert Review.objects.count() == 1 and Rating.objects.count() == 2


def test_ratings_are_pinned_to_the_version_published_by_the_windows_close(assessment):
    expectation = assessment.expectations[0]
    later = expectation.current_version
    later.pk, later.number, later.weight = None, 2, 10
    later.published_at = timezone.now() + datetime.timedelta(days=60)  # after the window closes
    later.save()
    expectation.current_version = later
    expectation.save()

    rating = next(row for row in ratings(start(assessment)) if row.expectation_id == expectation.pk)

    assert rating.expectation_version.number == 1 and rating.weight == 60


def test_a_conversation_that_produces_no_rating_has_no_review(assessment):
    conversation = assessment.progress_conversation
    error = refusal(services.review_start, conversation=conversation, actor=assessment.tenant.manager)
    assert error.messages == ["This conversation is not at a moment that produces a rating, so it has no review."]
    assert not Review.objects.exists()


def test_only_the_persons_manager_starts_it(assessment):
    error = refusal(services.review_start, conversation=assessment.conversation, actor=assessment.tenant.hr)
    assert error.messages == ["You may not do this with this review."]


# --- the draft's refusals ---------------------------------------------------------------------------------------


def save(review, given):
    return services.review_save(review=review, actor=review.manager, ratings=given)


def test_a_rating_without_evidence_or_reason_is_refused_and_nothing_is_saved(assessment):
    review = start(assessment)
    first, second = ratings(review)
    seen = observation(assessment)
    with assert_nothing_changes():
        error = refusal(
            save,
            review=review,
            given={first.pk: RatingInput(level=3, evidence=[seen.pk]), second.pk: RatingInput(level=2)},
        )
    assert error.message_dict == {
        reason_field(second.pk): ["Choose at least one observation as evidence, or write why there is none."]
    }


def test_a_written_reason_stands_in_for_evidence(assessment):
    review = start(assessment)
    first, second = ratings(review)
    save(review, {first.pk: RatingInput(level=3, reason="Nobody saw it: remote work.")})
    first.refresh_from_db()
    assert (first.level, first.reason_without_evidence) == (3, "Nobody saw it: remote work.")


def test_a_level_outside_the_scale_is_refused(assessment):
    review = start(assessment)
    first, _second = ratings(review)
    with assert_nothing_changes():
        error = refusal(save, review=review, given={first.pk: RatingInput(level=7, reason="Te hoog")})
    assert error.message_dict == {level_field(first.pk): ["Choose one of the levels of the rating scale."]}


@pytest.mark.parametrize("whose", ["a colleague's", "another organisation's"])
def test_evidence_about_someone_else_is_refused(assessment, assessment_b, whose):
    review = start(assessment)
    first, _second = ratings(review)
    if whose == "a colleague's":
        other = ObservationFactory(employee=assessment.tenant.outsider, author=assessment.tenant.manager)
    else:
        other = ObservationFactory(employee=assessment_b.tenant.employee, author=assessment_b.tenant.manager)
    with assert_nothing_changes():
        error = refusal(save, review=review, given={first.pk: RatingInput(level=3, evidence=[other.pk])})
    assert error.message_dict == {
        evidence_field(first.pk): [
            f"Choose observations of {assessment.tenant.employee.full_name} in this cycle only; one of them is not."
        ]
    }


def test_a_draft_may_be_saved_partly_rated(assessment):
    review = start(assessment)
    first, _second = ratings(review)
    seen = observation(assessment)
    review = save(review, {first.pk: RatingInput(level=4, evidence=[seen.pk])})
    assert review.score == Decimal("4.00")
    assert list(Rating.objects.get(pk=first.pk).evidence.all()) == [seen]


# --- the outcome ----------------------------------------------------------------------------------------------


def test_the_outcome_follows_the_rule(assessment):
    review = fill(start(assessment), assessment, levels=(3, 2))
    meets = cycle_bands(cycle=assessment.cycle)[1]
    assert (review.score, review.computed_band, review.band, review.deviates) == (Decimal("2.60"), meets, meets, False)


def test_another_band_without_a_justification_is_refused(assessment):
    review = start(assessment)
    exceeds = cycle_bands(cycle=assessment.cycle)[2]
    with pytest.raises(ValidationError) as error:
        fill(review, assessment, band=exceeds, justification="  ")
    assert error.value.message_dict == {
        "justification": ["Explain why you choose another outcome than the rule gives."]
    }
    review.refresh_from_db()
    assert review.band is None and all(row.level is None for row in ratings(review))


def test_another_band_with_a_justification_is_kept_as_a_deviation(assessment):
    exceeds = cycle_bands(cycle=assessment.cycle)[2]
    review = fill(start(assessment), assessment, band=exceeds, justification="Took over a colleague's clients.")
    assert review.band == exceeds and review.computed_band != exceeds and review.deviates
    assert review.justification == "Took over a colleague's clients."


# --- the steps ------------------------------------------------------------------------------------------------


def test_sharing_needs_every_rating_complete(assessment):
    review = start(assessment)
    first, second = ratings(review)
    save(review, {first.pk: RatingInput(level=3, reason="Geen observatie")})
    error = refusal(services.review_share, review=review, actor=review.manager)
    assert error.messages[0].startswith("Rate every expectation, with evidence or a reason, before you share")
    assert Review.objects.get().state == ReviewState.DRAFT


def test_the_whole_way_from_draft_to_finalised(assessment):
    review = shared(assessment)
    held(assessment)
    assert review.state == ReviewState.SHARED and review.shared_at

    services.review_comment(review=review, actor=review.employee, comment="Ik zie het anders.", disagrees=True)
    review = services.review_sign(review=review, actor=review.manager)
    assert review.state == ReviewState.MANAGER_SIGNED
    review = services.review_sign(review=review, actor=review.employee)
    assert review.state == ReviewState.SIGNED and review.employee_signed_at and review.manager_signed_at
    review = services.review_finalise(review=review, actor=assessment.tenant.hr)

    assert review.state == ReviewState.FINALISED and review.finalised_by == assessment.tenant.hr
    assert (review.employee_comment, review.employee_disagrees) == ("Ik zie het anders.", True)
    states = [
        entry.changes["state"][1] for entry in review_entries(review).filter(changes__has_key="state").order_by("pk")
    ]
    assert states == ["shared", "manager_signed", "signed", "finalised"]


def test_the_employee_may_sign_first(assessment):
    review = shared(assessment)
    held(assessment)
    assert services.review_sign(review=review, actor=review.employee).state == ReviewState.EMPLOYEE_SIGNED
    assert services.review_sign(review=review, actor=review.manager).state == ReviewState.SIGNED


def test_the_manager_takes_a_shared_review_back_while_nobody_signed(assessment):
    review = shared(assessment)
    held(assessment)
    assert services.review_unshare(review=review, actor=review.manager).state == ReviewState.DRAFT

    review = services.review_share(review=review, actor=review.manager)
    services.review_sign(review=review, actor=review.employee)
    error = refusal(services.review_unshare, review=review, actor=review.manager)
    assert error.messages[0].startswith(f"This review was already signed by {review.employee.full_name} on ")


def test_signing_a_draft_is_refused(assessment):
    review = fill(start(assessment), assessment)
    error = refusal(services.review_sign, review=review, actor=review.employee)
    assert error.messages == [
        "This review has not been shared yet (or was taken back to draft), so it cannot be signed or commented on."
    ]


def test_signing_twice_is_refused(assessment):
    review = shared(assessment)
    held(assessment)
    services.review_sign(review=review, actor=review.employee)
    error = refusal(services.review_sign, review=review, actor=review.employee)
    assert error.messages[0].startswith(f"This review was already signed by {review.employee.full_name} on ")


def test_someone_else_cannot_sign(assessment):
    review = shared(assessment)
    error = refusal(services.review_sign, review=review, actor=assessment.tenant.hr)
    assert error.messages == ["Only the employee and the manager who wrote this review sign it."]


def test_finalising_needs_both_signatures_and_happens_once(assessment):
    review = shared(assessment)
    held(assessment)
    error = refusal(services.review_finalise, review=review, actor=assessment.tenant.hr)
    assert error.messages == ["This review has not been signed by both yet, so it cannot be finalised."]

    services.review_sign(review=review, actor=review.employee)
    services.review_sign(review=review, actor=review.manager)
    services.review_finalise(review=review, actor=assessment.tenant.hr)
    error = refusal(services.review_finalise, review=review, actor=assessment.tenant.hr)
    assert error.messages[0].startswith(f"This review was already finalised by {assessment.tenant.hr.full_name} on ")


def test_a_finalised_review_cannot_be_edited_commented_or_taken_back(assessment):
    review = finalised(assessment)
    first, _second = ratings(review)
    with assert_nothing_changes():
        for error in (
            refusal(save, review=review, given={first.pk: RatingInput(level=1, reason="Later gezien")}),
            refusal(services.review_comment, review=review, actor=review.employee, comment="x", disagrees=False),
            refusal(services.review_unshare, review=review, actor=review.manager),
            refusal(services.review_share, review=review, actor=review.manager),
        ):
            assert error.messages[0].startswith("This review was already finalised by ")


def test_reopening_needs_a_reason_and_clears_both_signatures(assessment):
    review = finalised(assessment)
    error = refusal(services.review_reopen, review=review, actor=assessment.tenant.hr, reason=" ")
    assert error.message_dict == {"reason": ["Write why the review is reopened."]}

    review = services.review_reopen(review=review, actor=assessment.tenant.hr, reason="Wrong expectation rated.")

    assert review.state == ReviewState.DRAFT and review.reopen_reason == "Wrong expectation rated."
    assert review.employee_signed_at is None and review.manager_signed_at is None and review.finalised_at is None
    entry = review_entries(review).filter(changes__has_key="reopen_reason").get()
    assert entry.changes["reopen_reason"] == ["", "Wrong expectation rated."]
    assert entry.actor_employee is None or entry.actor_employee == assessment.tenant.hr


def test_only_a_finalised_review_is_reopened(assessment):
    review = shared(assessment)
    error = refusal(services.review_reopen, review=review, actor=assessment.tenant.hr, reason="Waarom niet")
    assert error.messages == ["Only a finalised review can be reopened."]


# --- home -------------------------------------------------------------------------------------------------------


def test_the_home_card_says_what_each_still_has_to_do(assessment):
    from reviews.selectors_reviews import home_card

    tenant = assessment.tenant
    other_report = EmployeeFactory(organization=tenant.organization, manager=tenant.manager)
    ConversationFactory(moment=assessment.assessment, employee=other_report)  # no review yet
    assert home_card(employee=tenant.employee)["own"] == {"review": None, "state": None, "to_do": []}
    assert home_card(employee=tenant.manager)["team"] == {"to_write": 2, "to_sign": 0}

    review = shared(assessment)
    # Shared, but the conversation has not been held: nothing to sign yet.
    assert home_card(employee=tenant.employee)["own"]["to_do"] == ["comment"]
    assert home_card(employee=tenant.manager)["team"] == {"to_write": 1, "to_sign": 0}
    held(assessment)

    assert home_card(employee=tenant.employee)["own"]["to_do"] == ["comment", "sign"]
    assert home_card(employee=tenant.manager)["team"] == {"to_write": 1, "to_sign": 1}
    organization = home_card(employee=tenant.hr)["organization"]
    assert ("shared", "Shared with the employee", 1) in organization["per_state"]
    assert organization["deviating"] == 0
    assert "organization" not in home_card(employee=tenant.manager)
    assert review.state == ReviewState.SHARED
