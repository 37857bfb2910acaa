"""The conversation sheet: cycles' conversation page with the sections reviews adds, each to the right people."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import conditional_escape

from cycles import extensions
from cycles.models import ConversationState
from reviews.guides import guide_for
from reviews.models import Review, ReviewState, SelfReflection
from reviews.selectors_sheet import SHEET_OBSERVATIONS
from tests.factories import (
    ConversationFactory,
    ExpectationFactory,
    MomentFactory,
    ObservationFactory,
    ReviewFactory,
)
from tests.kit import assert_flat_queries, assert_other_organisation_gets_404, url

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def sheet(conversation):
    return url("cycles:conversation_detail", conversation.organization, conversation_id=conversation.pk)


def observed(assessment, behaviour, **fields):
    tenant = assessment.tenant
    return ObservationFactory(employee=tenant.employee, author=tenant.manager, behaviour=behaviour, **fields)


def page(client, conversation):
    """The sheet as ``client`` reads it (HTML: compare texts with apostrophes through ``shows``)."""
    response = client.get(sheet(conversation))
    assert response.status_code == 200
    return response.content.decode()


def shows(body, *lines):
    return all(conditional_escape(line) in body for line in lines)


def shows_none(body, *lines):
    return not any(conditional_escape(line) in body for line in lines)


def test_reviews_registers_its_sections_in_order():
    keys = [item.key for item in extensions.registered() if item.key.startswith("reviews.")]
    assert keys == [
        "reviews.guide",
        "reviews.expectations",
        "reviews.observations",
        "reviews.reflection",
        "reviews.previous",
        "reviews.review",
    ]


def test_another_organisations_member_gets_404(assessment, tenant_b, client):
    assert_other_organisation_gets_404(client, tenant_b.hr, sheet(assessment.progress_conversation))


# --- the guide -----------------------------------------------------------------------------------


def test_the_manager_reads_the_guide_and_how_to_name_behaviour(assessment, manager):
    guide = guide_for("progress", "en")
    body = page(manager, assessment.progress_conversation)
    assert "Guide for this conversation" in body
    assert shows(body, *guide.manager, *guide.naming_behaviour, *guide.not_for)


def test_the_employee_reads_what_it_is_for_and_not_for_but_not_the_managers_guide(assessment, employee):
    guide = guide_for("progress", "en")
    body = page(employee, assessment.progress_conversation)
    assert "Feedback on behaviour and adjusting." in body  # the moment's purpose
    assert shows(body, *guide.not_for)
    assert shows_none(body, *guide.manager, *guide.naming_behaviour)


def test_hr_reads_the_managers_guide(assessment, hr):
    body = page(hr, assessment.progress_conversation)
    assert shows(body, guide_for("progress", "en").manager[0])


def test_the_guide_is_in_dutch_for_dutch_readers(assessment, tenant_a):
    from tests.kit import client_for

    body = page(client_for(tenant_a.manager, language="nl"), assessment.progress_conversation)
    assert shows(body, guide_for("progress", "nl").manager[0])


# --- expectations --------------------------------------------------------------------------------


def test_both_see_the_applicable_expectations_with_their_weight(assessment, manager, employee):
    for client in (manager, employee):
        body = page(client, assessment.progress_conversation)
        assert "Klant om feedback vragen (en)" in body and "weight 60 %" in body
        assert "Afspraken nakomen (en)" in body and "weight 40 %" in body


# --- observations --------------------------------------------------------------------------------


def test_the_manager_sees_held_observations_marked(assessment, manager):
    observed(assessment, "Shared openly.")
    observed(assessment, "Held back for the talk.", held_for=assessment.progress_conversation)
    body = page(manager, assessment.progress_conversation)
    assert "Shared openly." in body and "Held back for the talk." in body
    assert "Held for this conversation: not yet visible to the employee" in body


def test_the_employee_never_sees_held_observations(assessment, employee):
    observed(assessment, "Shared openly.")
    observed(assessment, "Held back for the talk.", held_for=assessment.progress_conversation)
    observed(assessment, "Held for the assessment.", held_for=assessment.conversation)
    body = page(employee, assessment.progress_conversation)
    assert "Shared openly." in body
    assert "Held back for the talk." not in body and "Held for the assessment." not in body


def test_once_the_conversation_is_held_the_employee_sees_what_was_held_for_it(assessment, employee):
    observed(assessment, "Held back for the talk.", held_for=assessment.progress_conversation)
    type(assessment.progress_conversation).objects.filter(pk=assessment.progress_conversation.pk).update(
        state=ConversationState.HELD, held_at=timezone.now()
    )
    assert "Held back for the talk." in page(employee, assessment.progress_conversation)


def test_observations_count_from_the_previous_held_conversation(assessment, manager):
    tenant = assessment.tenant
    earlier = MomentFactory(cycle=assessment.cycle, opens_on=timezone.localdate() - 50 * DAY)
    ConversationFactory(
        moment=earlier,
        employee=tenant.employee,
        state=ConversationState.HELD,
        held_at=timezone.now() - 10 * DAY,
        agreements="Follow a course on feedback.",
    )
    observed(assessment, "Before the last talk.", observed_on=timezone.localdate() - 20 * DAY)
    observed(assessment, "After the last talk.", observed_on=timezone.localdate() - 2 * DAY)
    body = page(manager, assessment.progress_conversation)
    assert "After the last talk." in body and "Before the last talk." not in body
    assert "Follow a course on feedback." in body  # the previous conversation's agreements


def test_without_a_previous_conversation_it_says_so(assessment, manager):
    body = page(manager, assessment.progress_conversation)
    assert "This is the first conversation held with this person." in body


def test_the_full_list_is_one_link_away_for_each_reader(assessment, manager, employee, hr):
    person = url(
        "reviews:person_observations", assessment.tenant.organization, employee_id=assessment.tenant.employee.pk
    )
    seen = url("reviews:what_was_seen", assessment.tenant.organization)
    assert person in page(manager, assessment.progress_conversation)
    assert person in page(hr, assessment.progress_conversation)
    body = page(employee, assessment.progress_conversation)
    assert seen in body and person not in body


def test_only_the_newest_observations_are_shown(assessment, manager):
    for number in range(SHEET_OBSERVATIONS + 1):
        observed(assessment, f"Behaviour number {number:03d}.", observed_on=timezone.localdate() - number * DAY)
    body = page(manager, assessment.progress_conversation)
    assert "Behaviour number 000." in body and f"Behaviour number {SHEET_OBSERVATIONS - 1:03d}." in body
    assert f"Behaviour number {SHEET_OBSERVATIONS:03d}." not in body
    assert f"Only the newest {SHEET_OBSERVATIONS} are shown" in body


# --- the self-reflection on the sheet ------------------------------------------------------------


def reflection(assessment, answer, *, submitted):
    return SelfReflection.objects.create(
        organization=assessment.tenant.organization,
        conversation=assessment.progress_conversation,
        employee=assessment.tenant.employee,
        answers=[{"question": "What are you proud of?", "answer": answer}],
        submitted_at=timezone.now() if submitted else None,
    )


def test_the_manager_sees_nothing_of_a_draft(assessment, manager):
    reflection(assessment, "A secret draft.", submitted=False)
    body = page(manager, assessment.progress_conversation)
    assert "A secret draft." not in body
    assert "The employee has not yet submitted their self-reflection." in body


def test_the_manager_reads_the_submitted_self_reflection(assessment, manager):
    reflection(assessment, "The customer project.", submitted=True)
    body = page(manager, assessment.progress_conversation)
    assert "What are you proud of?" in body and "The customer project." in body


def test_hr_sees_whether_it_was_submitted_not_what_it_says(assessment, hr):
    reflection(assessment, "The customer project.", submitted=True)
    body = page(hr, assessment.progress_conversation)
    assert "The employee has submitted their self-reflection." in body
    assert "The customer project." not in body


def test_the_employee_finds_the_link_to_write_it(assessment, employee):
    body = page(employee, assessment.progress_conversation)
    link = url(
        "reviews:reflection", assessment.tenant.organization, conversation_id=assessment.progress_conversation.pk
    )
    assert link in body and "Write your self-reflection" in body


def test_no_self_reflection_section_when_the_moment_does_not_ask(assessment, employee):
    assert 'id="self-reflection"' not in page(employee, assessment.conversation)


def test_my_year_links_to_the_self_reflection_of_a_moment_that_asks(assessment, employee):
    body = employee.get(url("cycles:my_year", assessment.tenant.organization)).content.decode()
    assert f"{sheet(assessment.progress_conversation)}#self-reflection" in body
    assert f"{sheet(assessment.conversation)}#self-reflection" not in body


# --- the review ------------------------------------------------------------------------------------


def test_the_manager_may_start_the_review_of_a_moment_with_a_rating(assessment, manager, employee):
    start = url("reviews:review_start", assessment.tenant.organization, conversation_id=assessment.conversation.pk)
    body = page(manager, assessment.conversation)
    assert "This conversation produces a rating" in body and start in body
    assert start not in page(employee, assessment.conversation)
    assert "This conversation produces a rating" not in page(manager, assessment.progress_conversation)


def test_the_review_is_linked_for_whoever_may_see_it(assessment, manager, employee):
    review = ReviewFactory(conversation=assessment.conversation)
    link = url("reviews:review", assessment.tenant.organization, review_id=review.pk)
    assert link in page(manager, assessment.conversation)
    body = page(employee, assessment.conversation)
    assert link not in body and "you read it once it is shared with you" in body
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SHARED)
    assert link in page(employee, assessment.conversation)


# --- printing ----------------------------------------------------------------------------------------


def test_the_sheet_prints_without_menu_or_forms(assessment, manager):
    from django.contrib.staticfiles import finders

    body = page(manager, assessment.progress_conversation)
    assert 'href="/static/css/print.css" media="print"' in body
    css = open(finders.find("css/print.css"), encoding="utf-8").read()
    assert "size: A4" in css and ".site-header" in css and "form" in css and ".no-print" in css
    # The forms of the page sit in sections left out of print; the header keeps name, moment and date.
    assert 'class="card no-print" aria-labelledby="hold-heading"' in body
    assert 'class="page-header sheet-header"' in body


# --- query counts ----------------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_the_observations(assessment, manager):
    response = assert_flat_queries(
        lambda: manager.get(sheet(assessment.progress_conversation)),
        lambda numbers: [
            observed(assessment, f"Flat {number}.", held_for=assessment.progress_conversation if number % 2 else None)
            for number in numbers
        ],
    )
    assert "Flat 39." in response.content.decode()


def test_the_query_count_does_not_grow_with_the_expectations(assessment, employee):
    organization = assessment.tenant.organization
    response = assert_flat_queries(
        lambda: employee.get(sheet(assessment.progress_conversation)),
        lambda numbers: [ExpectationFactory(organization=organization, title=f"Flat {n}") for n in numbers],
        few=2,
        many=12,
    )
    assert "Flat 11 (en)" in response.content.decode()
