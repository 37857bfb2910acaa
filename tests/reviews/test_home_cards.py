"""reviews' cards on the home page (reviews.home through home.selectors) and "What was seen" in the menu."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cycles.models import ConversationState
from expectations.models import ExpectationVersion
from reviews.models import ObservationRequest, ReviewState
from tests.factories import ConversationFactory, EmployeeFactory, ObservationFactory, ReviewFactory
from tests.kit import assert_flat_queries, assert_other_organisation_gets_404, url

pytestmark = pytest.mark.django_db


def home(organization):
    return url("organizations:home", organization)


def card(response):
    assert response.status_code == 200
    return response.context["reviews_home"]


def ask(assessment, *, colleague, about, asked_by):
    """An open request to ``colleague`` for an observation of ``about`` on the first expectation."""
    expectation = assessment.expectations[0]
    return ObservationRequest.objects.create(
        organization=assessment.cycle.organization,
        cycle=assessment.cycle,
        employee=about,
        colleague=colleague,
        asked_by=asked_by,
        expectation=expectation,
        expectation_version=ExpectationVersion.objects.get(pk=expectation.current_version_id),
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )


# --- the employee ----------------------------------------------------------------------------------------------


def test_the_employee_sees_how_many_observations_they_can_read_with_one_click_to_them(assessment, employee):
    eva = assessment.tenant.employee
    ObservationFactory.create_batch(2, employee=eva, expectation=assessment.expectations[0])
    # Held for her assessment conversation, which is still to come: not hers to read yet.
    ObservationFactory(employee=eva, held_for=assessment.conversation)
    ObservationFactory(employee=assessment.tenant.outsider, author=assessment.tenant.hr)
    response = employee.get(home(eva.organization))
    assert card(response)["seen"] == 2
    page = response.content.decode()
    assert "2 observations about you that you can read." in page
    assert f'href="{url("reviews:what_was_seen", eva.organization)}"' in page
    assert f'href="{url("reviews:outcome_rule", eva.organization)}"' in page
    assert "How the outcome is decided" in page
    # No manager's card: nothing to record about others, no reviews to write.
    assert url("reviews:observation_record", eva.organization) not in page
    assert "reviews to write" not in page


def test_the_employee_sees_their_shared_review_and_that_it_waits_for_their_signature(assessment, employee):
    held = ConversationState.HELD  # signed "seen and discussed" once the conversation took place
    type(assessment.conversation).objects.filter(pk=assessment.conversation.pk).update(state=held)
    review = ReviewFactory(conversation=assessment.conversation, state=ReviewState.SHARED)
    page = employee.get(home(review.organization)).content.decode()
    assert "Your manager has shared it with you" in page  # the state as Eva reads it, not "the employee"
    assert "sign it: seen and discussed" in page
    assert f'href="{url("reviews:review", review.organization, review_id=review.pk)}"' in page


def test_a_draft_review_is_not_shown_to_the_employee(assessment, employee):
    review = ReviewFactory(conversation=assessment.conversation, state=ReviewState.DRAFT)
    page = employee.get(home(review.organization)).content.decode()
    assert url("reviews:review", review.organization, review_id=review.pk) not in page
    assert "No review has been shared with you in an active cycle yet." in page


def test_open_requests_to_answer_show_with_a_link_and_none_without_them(assessment, outsider):
    tenant = assessment.tenant
    assert "Observations asked of you" not in outsider.get(home(tenant.organization)).content.decode()
    ask(assessment, colleague=tenant.outsider, about=tenant.employee, asked_by=tenant.manager)
    page = outsider.get(home(tenant.organization)).content.decode()
    assert "1 request for an observation is waiting for your answer." in page
    assert f'href="{url("reviews:request_list", tenant.organization)}"' in page


# --- the manager and HR ----------------------------------------------------------------------------------------


def test_the_manager_is_offered_to_record_and_sees_reviews_to_write_and_requests_asked(assessment, manager):
    tenant = assessment.tenant
    ask(assessment, colleague=tenant.outsider, about=tenant.employee, asked_by=tenant.manager)
    response = manager.get(home(tenant.organization))
    reviews_home = card(response)
    assert reviews_home["review"]["team"] == {"to_write": 1, "to_sign": 0}  # Eva's assessment, not started
    assert reviews_home["asked"] == 1
    page = response.content.decode()
    assert f'href="{url("reviews:observation_record", tenant.organization)}"' in page
    assert "1 review to write" in page and "0 reviews to sign" in page
    assert "1 observation you asked a colleague for is still to come" in page
    assert f'href="{url("cycles:team_grid", tenant.organization)}"' in page


def test_hr_sees_the_reviews_per_state_of_the_active_cycle(assessment, hr):
    ReviewFactory(conversation=assessment.conversation, state=ReviewState.SHARED)
    response = hr.get(home(assessment.tenant.organization))
    per_state = {state: count for state, _, count in card(response)["review"]["organization"]["per_state"]}
    assert per_state[ReviewState.SHARED] == 1 and per_state[ReviewState.DRAFT] == 0
    assert "Reviews in the active cycle" in response.content.decode()


def test_a_member_of_another_organisation_gets_404(assessment, assessment_b, client):
    assert_other_organisation_gets_404(client, assessment_b.tenant.employee, home(assessment.tenant.organization))


# --- the menu --------------------------------------------------------------------------------------------------


def test_every_role_finds_what_was_seen_in_the_menu_on_every_page(tenant_a, hr, manager, employee):
    link = f'href="{url("reviews:what_was_seen", tenant_a.organization)}"'
    for member in (hr, manager, employee):
        for page in (home(tenant_a.organization), url("cycles:my_year", tenant_a.organization)):
            assert link in member.get(page).content.decode()


# --- query counts ----------------------------------------------------------------------------------------------


def test_the_employees_home_stays_flat_with_observations_and_requests(assessment, employee):
    tenant = assessment.tenant

    def add(numbers):
        for _ in numbers:
            ObservationFactory(employee=tenant.employee, expectation=assessment.expectations[0])
            colleague = EmployeeFactory(organization=tenant.organization)
            ask(assessment, colleague=tenant.employee, about=colleague, asked_by=colleague)

    response = assert_flat_queries(lambda: employee.get(home(tenant.organization)), add)
    assert card(response)["seen"] == 40 and card(response)["requests"]["count"] == 40


def test_the_managers_home_stays_flat_with_reports_reviews_and_requests(assessment, manager):
    tenant = assessment.tenant

    def add(numbers):
        for number in numbers:
            report = EmployeeFactory(organization=tenant.organization, manager=tenant.manager)
            conversation = ConversationFactory(
                moment=assessment.assessment, employee=report, state=ConversationState.HELD
            )
            if number % 2:
                ReviewFactory(conversation=conversation, state=ReviewState.EMPLOYEE_SIGNED)
            ObservationFactory(employee=report)
            ask(assessment, colleague=tenant.outsider, about=report, asked_by=tenant.manager)

    response = assert_flat_queries(lambda: manager.get(home(tenant.organization)), add)
    reviews_home = card(response)
    assert reviews_home["review"]["team"] == {"to_write": 1 + 20, "to_sign": 20}
    assert reviews_home["asked"] == 40


def test_a_cancelled_assessment_is_no_review_to_write(assessment, manager):
    type(assessment.conversation).objects.filter(pk=assessment.conversation.pk).update(
        state=ConversationState.CANCELLED
    )
    assert card(manager.get(home(assessment.tenant.organization)))["review"]["team"]["to_write"] == 0


def test_the_employees_home_adds_three_queries_of_reviews(assessment, employee):
    employee.get(home(assessment.tenant.organization))
    with CaptureQueriesContext(connection) as captured:
        employee.get(home(assessment.tenant.organization))
    reviews_queries = [q["sql"] for q in captured if "reviews_" in q["sql"]]
    # What was seen (one count), their review (one), their requests to answer (one).
    assert len(reviews_queries) == 3, reviews_queries


def test_without_an_active_cycle_hr_reads_why_there_are_no_review_counts(tenant_a, hr):
    page = hr.get(home(tenant_a.organization)).content.decode()
    assert "No cycle is active: reviews are counted here once HR activates one." in page
    assert "outcomes differ from the rule" not in page
