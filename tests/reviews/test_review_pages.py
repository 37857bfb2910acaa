"""The review pages: who may open and use each, the draft form's refusals, the steps that ask first, stale pages."""

import pytest

from reviews import services_reviews
from reviews.models import Rating, Review, ReviewState
from reviews.services_reviews import evidence_field, level_field, reason_field
from tests.factories import ObservationFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    field_error,
    shown_messages,
    url,
)
from tests.reviews.review_steps import fill, finalised, held, observation, ratings, shared, signed, start

POST_ONLY = ("review_outcome", "review_comment", "review_unshare")
STEPS = ("review", *POST_ONLY, "review_share", "review_sign", "review_finalise", "review_reopen")
ATTEMPT = {"confirm": "yes", "reason": "x"}  # a crafted POST that would do the step if it were let through


def methods(name):
    return ("post",) if name in POST_ONLY else ("get", "post")


def page(name, review, **kwargs):
    return url(f"reviews:{name}", review.organization, review_id=review.pk, **kwargs)


def start_url(conversation):
    return url("reviews:review_start", conversation.organization, conversation_id=conversation.pk)


def draft_data(review, **changes):
    """What the manager's form posts for ``review`` as stored, with ``changes`` (field name -> value)."""
    data = {"summary": review.summary, "band": "", "justification": ""}
    for rating in ratings(review):
        data[level_field(rating.pk)] = rating.level or ""
        data[evidence_field(rating.pk)] = [row.pk for row in rating.evidence.all()]
        data[reason_field(rating.pk)] = rating.reason_without_evidence
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None, [])}


# --- who may open what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", STEPS)
def test_another_organisation_gets_404_on_every_review_page(client, assessment, stranger, name):
    review = shared(assessment)
    for method in methods(name):
        assert_other_organisation_gets_404(client, stranger, page(name, review), method, ATTEMPT)
    assert_other_organisation_gets_404(client, stranger, start_url(assessment.conversation), "post")


@pytest.mark.parametrize("name", STEPS)
def test_a_colleague_who_is_neither_gets_404_on_every_review_page(client, assessment, name):
    review = shared(assessment)
    for method in methods(name):
        assert_refused(client, assessment.tenant.outsider, page(name, review), 404, method, ATTEMPT)
    assert_refused(client, assessment.tenant.outsider, start_url(assessment.conversation), 404, "post")


def test_a_draft_is_404_to_its_employee_and_open_once_shared(client, assessment):
    review = start(assessment)
    for name in STEPS:
        for method in methods(name):
            assert_refused(client, assessment.tenant.employee, page(name, review), 404, method, ATTEMPT)
    review = fill(review, assessment)
    services_reviews.review_share(review=review, actor=review.manager)
    client.force_login(assessment.tenant.employee.user)
    assert client.get(page("review", review)).status_code == 200


@pytest.mark.parametrize(
    ("who", "name", "method"),
    [
        ("employee", "review", "post"),  # the employee edits no rating
        ("employee", "review_outcome", "post"),
        ("employee", "review_share", "get"),
        ("employee", "review_unshare", "post"),
        ("employee", "review_finalise", "post"),
        ("manager", "review_finalise", "get"),  # a manager does not finalise
        ("manager", "review_finalise", "post"),
        ("manager", "review_reopen", "post"),
        ("manager", "review_comment", "post"),
        ("hr", "review", "post"),  # HR sees every review but does not write it
        ("hr", "review_share", "post"),
        ("hr", "review_sign", "post"),
        ("hr", "review_comment", "post"),
    ],
)
def test_who_may_see_but_not_do_gets_403(client, assessment, who, name, method):
    review = shared(assessment)
    member = assessment.tenant.member(who)
    assert_role_forbidden(client, member, page(name, review), method, ATTEMPT)


def test_only_the_persons_manager_starts_the_review(client, assessment):
    for member in (assessment.tenant.employee, assessment.tenant.hr):
        assert_role_forbidden(client, member, start_url(assessment.conversation), "post")


def test_wrong_methods_get_405(manager, assessment):
    review = start(assessment)
    assert_method_not_allowed(manager, page("review", review), ["put", "patch", "delete"])
    assert_method_not_allowed(manager, page("review_outcome", review), ["get", "put"])
    assert_method_not_allowed(manager, page("review_share", review), ["put", "delete"])
    assert_method_not_allowed(manager, start_url(assessment.conversation), ["get", "put"])


# --- starting and writing ---------------------------------------------------------------------------------------


def test_the_manager_starts_the_review_once(manager, assessment):
    response = manager.post(start_url(assessment.conversation))
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    manager.post(start_url(assessment.conversation))
    assert Review.objects.count() == 1 and Rating.objects.filter(review=review).count() == 2


def test_a_conversation_without_a_rating_gets_a_message_and_no_review(manager, assessment):
    response = manager.post(start_url(assessment.progress_conversation), follow=True)
    assert shown_messages(response) == [
        "This conversation is not at a moment that produces a rating, so it has no review."
    ]
    assert not Review.objects.exists()


def test_the_page_offers_the_scale_with_descriptions_and_the_persons_observations(manager, assessment):
    review = start(assessment)
    seen = observation(assessment, behaviour="Je vroeg de klant om feedback na de oplevering.")
    ObservationFactory(employee=assessment.tenant.outsider, author=assessment.tenant.manager, behaviour="Van Olaf")
    content = manager.get(page("review", review)).content.decode()
    assert "Consistently visible" in content and "The behaviour shows every time" in content
    assert seen.behaviour in content and "Van Olaf" not in content
    assert 'type="radio"' in content and 'type="checkbox"' in content


def test_saving_a_rating_without_evidence_or_reason_is_refused_at_the_field(manager, assessment):
    review = start(assessment)
    first, _second = ratings(review)
    with assert_nothing_changes():
        response = manager.post(page("review", review), draft_data(review, **{level_field(first.pk): 3}))
    assert response.status_code == 200
    assert field_error(response, reason_field(first.pk)) == (
        "Choose at least one observation as evidence, or write why there is none."
    )


def test_a_crafted_level_outside_the_scale_is_refused(manager, assessment):
    review = start(assessment)
    first, _second = ratings(review)
    data = draft_data(review, **{level_field(first.pk): 9, reason_field(first.pk): "Geen observatie"})
    with assert_nothing_changes():
        response = manager.post(page("review", review), data)
    assert field_error(response, level_field(first.pk)) == "Choose one of the levels of the rating scale."


@pytest.mark.parametrize("whose", ["colleague", "other organisation"])
def test_crafted_evidence_about_someone_else_is_refused(manager, assessment, assessment_b, whose):
    review = start(assessment)
    first, _second = ratings(review)
    tenant = assessment.tenant if whose == "colleague" else assessment_b.tenant
    person = tenant.outsider if whose == "colleague" else tenant.employee
    other = ObservationFactory(employee=person, author=tenant.manager)
    data = draft_data(review, **{level_field(first.pk): 3, evidence_field(first.pk): [other.pk]})
    with assert_nothing_changes():
        response = manager.post(page("review", review), data)
    assert field_error(response, evidence_field(first.pk)) == (
        f"Choose observations of {assessment.tenant.employee.full_name} in this cycle only; one of them is not."
    )


def test_saving_the_draft_changes_the_ratings_and_the_outcome(manager, assessment):
    review = start(assessment)
    first, second = ratings(review)
    seen = observation(assessment)
    data = draft_data(
        review,
        **{
            level_field(first.pk): 3,
            evidence_field(first.pk): [seen.pk],
            level_field(second.pk): 2,
            reason_field(second.pk): "Thuiswerk: niemand zag het.",
            "summary": "Een goed jaar.",
        },
    )
    response = manager.post(page("review", review), data, follow=True)
    assert shown_messages(response) == ["The review has been saved."]
    review.refresh_from_db()
    assert (str(review.score), review.band.local_name, review.summary) == (
        "2.60",
        "Meets expectations",
        "Een goed jaar.",
    )
    assert list(Rating.objects.get(pk=first.pk).evidence.all()) == [seen]
    assert "2.60" in response.content.decode()


def test_another_band_without_justification_is_refused_and_with_one_is_flagged_to_hr(manager, hr, assessment):
    review = fill(start(assessment), assessment)
    exceeds = review.cycle.outcome_bands.get(position=2)
    with assert_nothing_changes():
        response = manager.post(page("review", review), draft_data(review, band=exceeds.pk))
    assert field_error(response, "justification") == "Explain why you choose another outcome than the rule gives."

    manager.post(page("review", review), draft_data(review, band=exceeds.pk, justification="Extra klanten."))
    review.refresh_from_db()
    assert review.deviates
    content = hr.get(page("review", review)).content.decode()
    assert "Deviates from the rule" in content and "Extra klanten." in content


def test_the_live_outcome_follows_the_levels_on_the_form_and_saves_nothing(manager, assessment):
    review = start(assessment)
    first, second = ratings(review)
    with assert_nothing_changes():
        response = manager.post(
            page("review_outcome", review),
            {level_field(first.pk): 3, level_field(second.pk): 2},
            headers={"HX-Request": "true"},
        )
    content = response.content.decode()
    assert response.status_code == 200 and "2.60" in content and "Meets expectations" in content


# --- the steps that ask first -----------------------------------------------------------------------------------


def test_sharing_asks_first_and_then_shares(manager, assessment):
    review = fill(start(assessment), assessment)
    confirm = manager.get(page("review_share", review))
    assert "will see the ratings, the evidence and the outcome" in confirm.content.decode()
    with assert_nothing_changes():
        manager.post(page("review_share", review))  # without the confirmation: the page again
    response = manager.post(page("review_share", review), {"confirm": "yes"}, follow=True)
    assert shown_messages(response) == [f"The review has been shared with {review.employee.full_name}."]
    assert Review.objects.get().state == ReviewState.SHARED


def test_signing_says_seen_and_discussed_and_both_sign_in_either_order(manager, employee, assessment):
    review = shared(assessment)
    held(assessment)
    content = employee.get(page("review_sign", review)).content.decode()
    assert "seen and discussed" in content and "I agree" not in content
    employee.post(page("review_sign", review), {"confirm": "yes"})
    assert Review.objects.get().state == ReviewState.EMPLOYEE_SIGNED
    manager.post(page("review_sign", review), {"confirm": "yes"})
    assert Review.objects.get().state == ReviewState.SIGNED


def test_a_stale_page_is_told_who_signed_first(manager, employee, assessment):
    review = shared(assessment)
    held(assessment)
    employee.post(page("review_sign", review), {"confirm": "yes"})
    with assert_nothing_changes():
        response = manager.post(page("review_unshare", review), follow=True)
    assert shown_messages(response)[0].startswith(f"This review was already signed by {review.employee.full_name} on ")


def test_the_employee_comments_and_disagrees(employee, assessment):
    review = shared(assessment)
    response = employee.post(
        page("review_comment", review), {"comment": "Ik zie het anders.", "disagrees": "on"}, follow=True
    )
    assert shown_messages(response) == ["Your comment has been saved."]
    review.refresh_from_db()
    assert (review.employee_comment, review.employee_disagrees) == ("Ik zie het anders.", True)


def test_signing_a_draft_through_a_crafted_post_is_refused(employee, manager, assessment):
    review = shared(assessment)
    manager.post(page("review_unshare", review))
    with assert_nothing_changes():
        response = employee.post(page("review_sign", review), {"confirm": "yes"})
    assert response.status_code == 404  # a draft again: the employee no longer sees it


def test_hr_finalises_once_and_nobody_edits_a_finalised_review(hr, manager, employee, assessment):
    review = signed(assessment)
    hr.post(page("review_finalise", review), {"confirm": "yes"}, follow=True)
    with assert_nothing_changes():
        again = hr.post(page("review_finalise", review), {"confirm": "yes"}, follow=True)
        edit = manager.post(page("review", review), draft_data(review, summary="Toch anders"), follow=True)
        comment = employee.post(page("review_comment", review), {"comment": "Later"}, follow=True)
    assert shown_messages(again)[0].startswith(f"This review was already finalised by {assessment.tenant.hr.full_name}")
    assert shown_messages(edit)[0].startswith("This review was already finalised by ")
    assert shown_messages(comment)[0].startswith("This review was already finalised by ")


def test_reopening_asks_for_a_reason(hr, assessment):
    review = finalised(assessment)
    with assert_nothing_changes():
        response = hr.post(page("review_reopen", review), {"confirm": "yes", "reason": " "})
    assert field_error(response, "reason") == "Write why the review is reopened."
    hr.post(page("review_reopen", review), {"confirm": "yes", "reason": "Verkeerde verwachting."})
    review.refresh_from_db()
    assert (review.state, review.reopen_reason, review.employee_signed_at) == ("draft", "Verkeerde verwachting.", None)


# --- history ----------------------------------------------------------------------------------------------------


def test_the_employee_hr_and_the_manager_see_the_history(hr, manager, employee, assessment):
    review = shared(assessment)
    for reader, sees in ((employee, True), (hr, True), (manager, True)):
        response = reader.get(page("review", review))
        assert ("history" in response.context) is sees
        if sees:
            assert response.context["history"].object_list
