"""What a tester playing the review's users found: held evidence leaking to the employee, signing before the
conversation, an unreadable history, a rating form that hid its evidence and lost edits on the way to sharing, and
HR's list not saying who disagrees."""

import datetime

import pytest
from django.utils import formats, timezone, translation

from reviews import services_reviews as services
from reviews.models import Observation, Rating, Review, ReviewState
from reviews.services_reviews import RatingInput, level_field
from tests.kit import assert_flat_queries, assert_nothing_changes, shown_messages, url
from tests.reviews.review_steps import fill, held, observation, ratings, shared, start
from tests.reviews.test_review_pages import draft_data, page

pytestmark = pytest.mark.django_db

HELD_TEXT = "Je gaf de collega op de afdelingsvergadering geen kans om uit te praten."


def cite_held(assessment, review, *, conversation):
    """Rate both expectations citing one observation held until ``conversation``, and share the review."""
    secret = observation(assessment, behaviour=HELD_TEXT, held_for=conversation)
    given = {row.pk: RatingInput(level=3, evidence=[secret.pk]) for row in ratings(review)}
    services.review_save(review=review, actor=review.manager, ratings=given)
    return services.review_share(review=review, actor=review.manager), secret


def english_date(moment, organization):
    with translation.override("en"):
        return formats.date_format(timezone.localtime(moment, organization.zone), "DATE_FORMAT")


# --- 1. held evidence --------------------------------------------------------------------------------------------


def test_the_employee_reads_that_evidence_is_held_not_its_text(employee, hr, manager, assessment):
    conversation = assessment.progress_conversation
    conversation.scheduled_at = timezone.now().replace(hour=11) + datetime.timedelta(days=3)
    conversation.state = "scheduled"
    conversation.save()
    review, _secret = cite_held(assessment, start(assessment), conversation=conversation)

    content = employee.get(page("review", review)).content.decode()
    assert HELD_TEXT not in content
    when = english_date(conversation.scheduled_at, review.organization)
    assert content.count(f"1 observation held until the conversation of {when}") == 2  # once per rating
    for reader in (hr, manager):  # they may read held observations
        assert HELD_TEXT in reader.get(page("review", review)).content.decode()


def test_once_the_conversation_is_held_the_employee_reads_the_evidence(employee, assessment):
    review, _secret = cite_held(assessment, start(assessment), conversation=assessment.conversation)
    content = employee.get(page("review", review)).content.decode()
    assert HELD_TEXT not in content
    assert "1 observation held until a conversation that has not been planned yet" in content
    held(assessment)
    assert HELD_TEXT in employee.get(page("review", review)).content.decode()


def test_the_employees_page_stays_flat_with_held_evidence(employee, assessment):
    review, _secret = cite_held(assessment, start(assessment), conversation=assessment.conversation)
    rating = ratings(review)[0]

    def build(numbers):
        for number in numbers:
            cited = observation(assessment, behaviour=f"Vastgehouden {number}.", held_for=assessment.conversation)
            rating.evidence.add(cited)

    response = assert_flat_queries(lambda: employee.get(page("review", review)), build, few=2, many=12)
    assert "13 observations held until" in response.content.decode()
    assert "Vastgehouden" not in response.content.decode()


# --- 2. signing after the conversation -----------------------------------------------------------------------------


def test_nobody_signs_before_the_conversation_is_held(employee, manager, assessment, english):
    review = shared(assessment)
    for actor in (review.employee, review.manager):
        with assert_nothing_changes(Review.objects.all()):
            with pytest.raises(services.ValidationError) as refused:
                services.review_sign(review=review, actor=actor)
        assert "The conversation has not been held yet" in refused.value.messages[0]
    for client in (employee, manager):
        content = client.get(page("review", review)).content.decode()
        assert "/sign/" not in content and "once the conversation has been held" in content
        with assert_nothing_changes(Review.objects.all()):
            response = client.get(page("review_sign", review), follow=True)
            client.post(page("review_sign", review), {"confirm": "yes"})
        assert shown_messages(response)[0].startswith("The conversation has not been held yet")

    held(assessment)
    employee.post(page("review_sign", review), {"confirm": "yes"})
    manager.post(page("review_sign", review), {"confirm": "yes"})
    assert Review.objects.get().state == ReviewState.SIGNED


def test_hrs_finalise_page_says_the_employee_disagrees_with_their_comment(hr, assessment):
    review = shared(assessment)
    services.review_comment(review=review, actor=review.employee, comment="Dit klopt niet.", disagrees=True)
    held(assessment)
    services.review_sign(review=review, actor=review.employee)
    services.review_sign(review=review, actor=review.manager)
    content = hr.get(page("review_finalise", review)).content.decode()
    assert "The employee disagrees with this review" in content and "Dit klopt niet." in content


# --- 3. the history ------------------------------------------------------------------------------------------------


def test_reviews_ratings_and_observations_are_named_for_people(assessment, english):
    review = fill(start(assessment), assessment)
    rating = ratings(review)[0]
    seen = Observation.objects.get()
    assert str(review) == f"{review.employee.full_name} – {review.cycle.name}"
    assert str(rating) == rating.expectation_version.local_title
    assert str(seen) == f"observation of {formats.date_format(seen.observed_on, 'DATE_FORMAT')}"


def test_hr_and_the_manager_read_every_change_in_words(hr, manager, assessment):
    review = shared(assessment)
    services.review_comment(review=review, actor=review.employee, comment="Eens.", disagrees=False)
    for reader in (hr, manager):
        history = reader.get(page("review", review)).context["history"].object_list
        subjects = {entry.subject for entry in history}
        assert f"{review.employee.full_name} – {review.cycle.name}" in subjects
        assert {rating.expectation_version.local_title for rating in ratings(review)} <= subjects
        labels = {change.label for entry in history for change in entry.changes}
        assert "The employee's comment" in labels and "Your comment" not in labels
        added = [name for entry in history for change in entry.changes for name in change.added]
        assert added and all(name.startswith("observation of ") or "observatie" in name for name in added)


def test_the_employee_reads_the_history_from_the_first_share_on(employee, assessment):
    review = shared(assessment)
    services.review_unshare(review=review, actor=review.manager)
    given = {row.pk: RatingInput(level=1, evidence=[]) for row in ratings(review)}
    given = {pk: RatingInput(level=1, reason="Nieuw inzicht.") for pk in given}
    services.review_save(review=review, actor=review.manager, ratings=given, summary="Herzien.")
    services.review_share(review=Review.objects.get(), actor=review.manager)
    services.review_comment(review=Review.objects.get(), actor=review.employee, comment="Gezien.", disagrees=True)

    history = employee.get(page("review", review)).context["history"].object_list
    assert {entry.kind for entry in history} == {"Review"}  # no rating, no cited observation
    labels = [change.label for entry in history for change in entry.changes]
    assert labels.count("State") == 3  # shared, back to draft, shared again
    assert "The employee's comment" in labels and "I disagree with this review" in labels
    assert not {"Summary", "Outcome", "Level", "Evidence"} & set(labels)  # the manager's drafting


# --- 4. the rating form and sharing ------------------------------------------------------------------------------


def test_the_evidence_is_open_and_says_who_wrote_it_and_when(manager, assessment):
    review = start(assessment)
    seen = observation(assessment)
    content = manager.get(page("review", review)).content.decode()
    main = content[content.index("<main") :]
    assert "<details" not in main and main.count('type="checkbox"') == 2  # shown, not folded away
    written = f"{seen.author.full_name} (Manager)"
    assert content.count(written) == 2 and content.count(f'datetime="{seen.observed_on.isoformat()}"') == 2
    assert "Only when you cite no observation." in content


def test_share_saves_the_draft_first_and_the_confirmation_shows_what_will_be_shared(manager, assessment):
    review = start(assessment)
    seen = observation(assessment)
    first, second = ratings(review)
    data = draft_data(review)
    data.update({level_field(first.pk): 3, level_field(second.pk): 2, "next": "share"})
    data[f"rating-{first.pk}-evidence"] = [seen.pk]
    data[f"rating-{second.pk}-reason"] = "Geen gelegenheid gezien."
    response = manager.post(page("review", review), data)
    assert response.status_code == 302 and response.url == page("review_share", review)
    assert [row.level for row in ratings(review)] == [3, 2]
    assert Review.objects.get().state == ReviewState.DRAFT  # not shared before the confirmation

    content = manager.get(page("review_share", review)).content.decode()
    assert "What the employee will see" in content and Review.objects.get().band.local_name in content
    assert first.expectation_version.local_title in content and "1 observation as evidence" in content
    assert "no observation, with a reason" in content


def test_share_with_bad_input_saves_nothing_and_stays_on_the_form(manager, assessment):
    review = start(assessment)
    first = ratings(review)[0]
    data = draft_data(review, **{level_field(first.pk): 3, "next": "share"})  # no evidence, no reason
    with assert_nothing_changes(Review.objects.all(), Rating.objects.all()):
        response = manager.post(page("review", review), data)
    assert response.status_code == 200 and "Nothing has been saved" in response.content.decode()


# --- 5. HR's list --------------------------------------------------------------------------------------------------


def test_hrs_list_says_who_disagrees(hr, assessment):
    review = shared(assessment)
    services.review_comment(review=review, actor=review.employee, comment="Oneens.", disagrees=True)
    response = hr.get(url("reviews:cycle_reviews", review.organization, cycle_id=review.cycle_id))
    content = response.content.decode()
    assert "Employee disagrees" in content and '<span class="badge badge-bad">Yes</span>' in content
