""" "Your reviews" (reviews:my_reviews) and a manager's reviews by what is left to do (reviews:team_reviews):
who gets in, what each lists across cycles (closed ones too), and flat query counts."""

import datetime

import pytest
from django.utils import timezone

from cycles.models import ConversationState, CycleStatus, MomentKind
from organizations.models import Role
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory, ReviewFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    url,
)

pytestmark = pytest.mark.django_db

HELD = ConversationState.HELD


def my_reviews(organization):
    return url("reviews:my_reviews", organization)


def team_reviews(organization):
    return url("reviews:team_reviews", organization)


def review_url(review):
    return url("reviews:review", review.organization, review_id=review.pk)


def last_years_assessment(organization):
    """A closed cycle of last year with an assessment moment: what "Your reviews" must still reach."""
    today = timezone.localdate()
    cycle = CycleFactory(
        organization=organization,
        name="Vorig jaar",
        starts_on=today - datetime.timedelta(days=430),
        ends_on=today - datetime.timedelta(days=70),
        status=CycleStatus.CLOSED,
    )
    return MomentFactory(
        cycle=cycle,
        kind=MomentKind.ASSESSMENT,
        produces_rating=True,
        opens_on=today - datetime.timedelta(days=120),
        closes_on=today - datetime.timedelta(days=90),
    )


def review_at(moment, person, state, conversation_state=HELD):
    conversation = ConversationFactory(moment=moment, employee=person, state=conversation_state)
    return ReviewFactory(conversation=conversation, state=state)


# --- Your reviews ------------------------------------------------------------------------------------------------


def test_the_employee_reaches_last_years_review_and_this_years_newest_first_but_no_draft(assessment, employee):
    eva = assessment.tenant.employee
    old = review_at(last_years_assessment(eva.organization), eva, "finalised")
    new = ReviewFactory(conversation=assessment.conversation, state="shared")
    response = employee.get(my_reviews(eva.organization))
    assert response.status_code == 200
    assert [review.pk for review in response.context["page"].object_list] == [new.pk, old.pk]
    page = response.content.decode()
    assert f'href="{review_url(new)}"' in page and f'href="{review_url(old)}"' in page
    assert "Your manager has shared it with you" in page and "HR has finalised it" in page
    assert "Shared with the employee" not in page  # the state as the reader reads it


def test_a_draft_is_not_listed_and_nobody_elses_review_is(assessment, employee):
    tenant = assessment.tenant
    ReviewFactory(conversation=assessment.conversation, state="draft")
    other = EmployeeFactory(organization=tenant.organization, manager=tenant.manager)
    ReviewFactory(conversation=ConversationFactory(moment=assessment.assessment, employee=other), state="shared")
    response = employee.get(my_reviews(tenant.organization))
    assert list(response.context["page"].object_list) == []
    assert "No review has been shared with you yet." in response.content.decode()


def test_your_reviews_is_everyones_own_page_and_another_organisation_gets_404(assessment, assessment_b, client):
    organization = assessment.tenant.organization
    for role in ("hr", "manager", "employee"):
        assert client_for(assessment.tenant.member(role)).get(my_reviews(organization)).status_code == 200
    assert_other_organisation_gets_404(client, assessment_b.tenant.employee, my_reviews(organization))
    assert_method_not_allowed(client_for(assessment.tenant.employee), my_reviews(organization), ["post"])


def test_your_reviews_stays_flat_with_2_and_40_reviews(assessment, employee):
    eva = assessment.tenant.employee

    def add(numbers):
        for _ in numbers:
            moment = MomentFactory(cycle=assessment.cycle, kind=MomentKind.ASSESSMENT, produces_rating=True)
            review_at(moment, eva, "signed")

    response = assert_flat_queries(lambda: employee.get(my_reviews(eva.organization) + "?page=1"), add)
    assert response.context["page"].paginator.count == 40


# --- The reviews a manager writes --------------------------------------------------------------------------------


def test_the_manager_sees_each_review_under_what_is_left_to_do_across_cycles(assessment, manager):
    tenant = assessment.tenant
    eva = tenant.employee  # her assessment conversation has no review: to write
    reports = [EmployeeFactory(organization=tenant.organization, manager=tenant.manager) for _ in range(5)]
    draft = review_at(assessment.assessment, reports[0], "draft", ConversationState.TO_SCHEDULE)
    to_sign = review_at(assessment.assessment, reports[1], "employee_signed")
    waiting = review_at(assessment.assessment, reports[2], "manager_signed")
    not_held = review_at(assessment.assessment, reports[3], "shared", ConversationState.TO_SCHEDULE)
    done = review_at(last_years_assessment(tenant.organization), reports[4], "finalised")
    response = manager.get(team_reviews(tenant.organization))
    assert response.status_code == 200
    context = response.context
    assert {conversation.employee_id for conversation in context["to_write"]} == {eva.pk, reports[0].pk}
    assert [review.pk for review in context["to_sign"]] == [to_sign.pk]
    assert {review.pk for review in context["waiting"]} == {waiting.pk, not_held.pk}
    assert [review.pk for review in context["done"].object_list] == [done.pk]  # a closed cycle's, still here
    page = response.content.decode()
    start = url("cycles:conversation_detail", tenant.organization, conversation_id=assessment.conversation.pk)
    assert f'href="{start}"' in page and f'href="{review_url(draft)}"' in page
    for review in (to_sign, waiting, not_held, done):
        assert f'href="{review_url(review)}"' in page
    assert "shared; the conversation is still to be held" in page


def test_the_page_matches_the_home_counters_that_link_to_it(assessment, manager):
    tenant = assessment.tenant
    report = EmployeeFactory(organization=tenant.organization, manager=tenant.manager)
    review_at(assessment.assessment, report, "shared")
    home = manager.get(url("organizations:home", tenant.organization))
    team = home.context["reviews_home"]["review"]["team"]
    context = manager.get(team_reviews(tenant.organization)).context
    assert team == {"to_write": len(context["to_write"]), "to_sign": len(context["to_sign"])}


def test_only_the_managers_own_reviews_are_listed(assessment, manager):
    tenant = assessment.tenant
    other_manager = EmployeeFactory(organization=tenant.organization, role=Role.MANAGER)
    someone = EmployeeFactory(organization=tenant.organization, manager=other_manager)
    review_at(assessment.assessment, someone, "employee_signed")
    context = manager.get(team_reviews(tenant.organization)).context
    assert context["to_sign"] == [] and context["waiting"] == []


def test_an_employee_gets_403_and_another_organisation_404(assessment, assessment_b, client):
    organization = assessment.tenant.organization
    assert_role_forbidden(client, assessment.tenant.employee, team_reviews(organization))
    assert_other_organisation_gets_404(client, assessment_b.tenant.manager, team_reviews(organization))
    assert client_for(assessment.tenant.hr).get(team_reviews(organization)).status_code == 200


def test_the_managers_page_stays_flat_with_2_and_40_reports(assessment, manager):
    tenant = assessment.tenant
    old = last_years_assessment(tenant.organization)
    states = ("draft", "employee_signed", "manager_signed", "shared", "signed")

    def add(numbers):
        for number in numbers:
            report = EmployeeFactory(organization=tenant.organization, manager=tenant.manager)
            review_at(assessment.assessment, report, states[number % len(states)])
            review_at(old, report, "finalised")
            ConversationFactory(
                moment=MomentFactory(cycle=assessment.cycle, kind=MomentKind.ASSESSMENT, produces_rating=True),
                employee=report,
            )

    response = assert_flat_queries(lambda: manager.get(team_reviews(tenant.organization)), add)
    context = response.context
    assert len(context["to_sign"]) == 8 + 8  # employee_signed and (held) shared
    assert context["done"].paginator.count == 40 + 8
