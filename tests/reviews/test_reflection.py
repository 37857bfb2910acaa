"""The self-reflection page: only the person writes it (draft or submit); the manager reads it once submitted."""

import pytest
from django.utils import timezone

from cycles.models import Conversation, ConversationState
from reviews.models import SelfReflection
from reviews.services_sheet import ANSWER_LIMIT
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    client_for,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

QUESTIONS_EN = ["What are you proud of?", "What do you want to learn?"]


def reflection_url(conversation):
    return url("reviews:reflection", conversation.organization, conversation_id=conversation.pk)


def answers(*texts, action="draft"):
    return {**{f"answer_{number}": text for number, text in enumerate(texts)}, "action": action}


def stored(conversation):
    return SelfReflection.objects.filter(conversation=conversation).first()


# --- who may -------------------------------------------------------------------------------------


def test_another_organisations_member_gets_404(assessment, tenant_b, client):
    page = reflection_url(assessment.progress_conversation)
    assert_other_organisation_gets_404(client, tenant_b.hr, page)
    assert_other_organisation_gets_404(client, tenant_b.employee, page, "post", answers("x", "y"))


def test_a_colleague_who_may_not_see_the_conversation_gets_404(assessment, client):
    page = reflection_url(assessment.progress_conversation)
    assert_refused(client, assessment.tenant.outsider, page, 404)
    assert_refused(client, assessment.tenant.outsider, page, 404, "post", answers("x", "y"))


def test_the_manager_may_not_write_it(assessment, client):
    assert_role_forbidden(
        client, assessment.tenant.manager, reflection_url(assessment.progress_conversation), "post", answers("x", "y")
    )


def test_hr_may_neither_read_nor_write_it(assessment, client):
    page = reflection_url(assessment.progress_conversation)
    assert_role_forbidden(client, assessment.tenant.hr, page)
    assert_role_forbidden(client, assessment.tenant.hr, page, "post", answers("x", "y"))


def test_other_methods_are_not_allowed(assessment, employee):
    assert_method_not_allowed(employee, reflection_url(assessment.progress_conversation), ["put", "delete"])


# --- writing -------------------------------------------------------------------------------------


def test_the_person_gets_one_box_per_question_in_their_language(assessment, employee, tenant_a):
    body = employee.get(reflection_url(assessment.progress_conversation)).content.decode()
    assert body.count("<textarea") == 2 and all(question in body for question in QUESTIONS_EN)
    dutch = client_for(tenant_a.employee, language="nl")
    body = dutch.get(reflection_url(assessment.progress_conversation)).content.decode()
    assert "Waar ben je trots op?" in body and "What are you proud of?" not in body


def test_a_draft_is_saved_with_its_questions_and_the_manager_sees_nothing_of_it(assessment, employee, manager):
    conversation = assessment.progress_conversation
    response = employee.post(reflection_url(conversation), answers("The customer project.", ""), follow=True)
    assert "Your draft has been saved. Your manager sees it once you submit it." in shown_messages(response)
    reflection = stored(conversation)
    assert reflection.submitted_at is None and reflection.employee_id == assessment.tenant.employee.pk
    assert reflection.answers == [
        {"question": QUESTIONS_EN[0], "answer": "The customer project."},
        {"question": QUESTIONS_EN[1], "answer": ""},
    ]
    # A crafted GET by the manager shows "not yet submitted", nothing of the draft.
    body = manager.get(reflection_url(conversation)).content.decode()
    assert "Not yet submitted." in body and "The customer project." not in body


def test_submitted_the_manager_reads_it(assessment, employee, manager):
    conversation = assessment.progress_conversation
    response = employee.post(reflection_url(conversation), answers("Proud.", "Feedback.", action="submit"))
    assert response.status_code == 302
    assert response["Location"] == url(
        "cycles:conversation_detail", conversation.organization, conversation_id=conversation.pk
    )
    assert stored(conversation).submitted_at is not None
    body = manager.get(reflection_url(conversation)).content.decode()
    assert "Proud." in body and "Feedback." in body and QUESTIONS_EN[0] in body


def test_changed_after_submitting_it_stays_submitted_and_the_manager_reads_the_latest(assessment, employee, manager):
    conversation = assessment.progress_conversation
    employee.post(reflection_url(conversation), answers("First.", "", action="submit"))
    first_submitted = stored(conversation).submitted_at
    employee.post(reflection_url(conversation), answers("Second.", "More.", action="draft"))
    assert stored(conversation).submitted_at == first_submitted
    body = manager.get(reflection_url(conversation)).content.decode()
    assert "Second." in body and "First." not in body


def test_the_stored_questions_stay_when_the_moment_changes(assessment, employee):
    conversation = assessment.progress_conversation
    employee.post(reflection_url(conversation), answers("Proud.", ""))
    type(assessment.progress).objects.filter(pk=assessment.progress.pk).update(reflection_questions_en="New question?")
    body = employee.get(reflection_url(conversation)).content.decode()
    assert QUESTIONS_EN[0] in body and "New question?" not in body


# --- bad input -----------------------------------------------------------------------------------


def test_a_too_long_answer_is_a_translated_field_error_and_nothing_is_saved(assessment, tenant_a):
    dutch = client_for(tenant_a.employee, language="nl")
    with assert_nothing_changes(SelfReflection.objects.all()):
        response = dutch.post(
            reflection_url(assessment.progress_conversation), answers("x" * (ANSWER_LIMIT + 1), "ok", action="submit")
        )
    assert response.status_code == 200
    assert "niet meer dan 2000 tekens" in field_error(response, "answer_0")


def test_submitting_without_any_answer_is_refused(assessment, employee):
    with assert_nothing_changes(SelfReflection.objects.all()):
        response = employee.post(
            reflection_url(assessment.progress_conversation), answers("", " ", action="submit"), follow=True
        )
    assert "Answer at least one question before you submit." in shown_messages(response)


def test_a_moment_that_does_not_ask_says_so_and_saves_nothing(assessment, employee):
    page = reflection_url(assessment.conversation)
    response = employee.get(page)
    assert response.status_code == 200
    assert "This conversation does not ask for a self-reflection." in response.content.decode()
    with assert_nothing_changes(SelfReflection.objects.all()):
        response = employee.post(page, answers("x"), follow=True)
    assert "This self-reflection cannot be changed (any more)." in shown_messages(response)


def test_after_the_conversation_it_can_be_read_but_not_changed(assessment, employee):
    conversation = assessment.progress_conversation
    employee.post(reflection_url(conversation), answers("Proud.", ""))
    Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.HELD, held_at=timezone.now())
    body = employee.get(reflection_url(conversation)).content.decode()
    assert "Proud." in body and "<textarea" not in body
    with assert_nothing_changes(SelfReflection.objects.all()):
        response = employee.post(reflection_url(conversation), answers("Changed.", ""), follow=True)
    assert "This self-reflection cannot be changed (any more)." in shown_messages(response)


def test_a_conversation_held_while_writing_refuses_the_save(assessment, employee):
    """The page was opened while the conversation was open; the service reads the state as stored now."""
    from reviews.services_sheet import reflection_save

    conversation = Conversation.objects.select_related("moment").get(pk=assessment.progress_conversation.pk)
    Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.HELD, held_at=timezone.now())
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError), assert_nothing_changes(SelfReflection.objects.all()):
        reflection_save(
            conversation=conversation,
            employee=assessment.tenant.employee,
            questions=QUESTIONS_EN,
            answers=["a", "b"],
            submit=True,
        )


# --- query counts ----------------------------------------------------------------------------------


def test_the_query_count_does_not_grow_with_the_questions(assessment, employee):
    moment = assessment.progress

    def more_questions(numbers):
        moment.reflection_questions_en += "".join(f"\nQuestion {number}?" for number in numbers)
        moment.save(update_fields=["reflection_questions_en"])

    response = assert_flat_queries(
        lambda: employee.get(reflection_url(assessment.progress_conversation)), more_questions, few=2, many=12
    )
    assert "Question 11?" in response.content.decode()


def test_the_managers_reading_does_not_grow_with_the_answers(assessment, manager):
    conversation = assessment.progress_conversation
    reflection = SelfReflection.objects.create(
        organization=conversation.organization,
        conversation=conversation,
        employee=conversation.employee,
        submitted_at=timezone.now(),
    )

    def more_answers(numbers):
        reflection.answers += [{"question": f"Q{number}?", "answer": f"Answer {number}."} for number in numbers]
        reflection.save(update_fields=["answers"])

    response = assert_flat_queries(lambda: manager.get(reflection_url(conversation)), more_answers)
    assert "Answer 39." in response.content.decode()
