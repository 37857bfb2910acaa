"""The reviews app's lists of people sort Dutch style, by surname without its tussenvoegsel: "Sanne de Jong" between
"Anna Bakker" and "Piet Mulder", "Eline van Dijk" under D (Employee.sort_name; tests/dutch_names.py)."""

import pytest

from cycles.models import ConversationState
from reviews.models import ReviewState
from tests.dutch_names import IN_DUTCH_ORDER, IN_EVERY_NAME, made_in_reverse, the_four
from tests.factories import ConversationFactory, EmployeeFactory, ReviewFactory
from tests.kit import url

pytestmark = pytest.mark.django_db


def reports_named(tenant) -> list:
    """The four, reporting to Alfa's manager (Mark), in Dutch order."""

    def make(first_name, last_name):
        return EmployeeFactory(
            organization=tenant.organization, manager=tenant.manager, first_name=first_name, last_name=last_name
        )

    return made_in_reverse(make)


def reviewed(assessment, state) -> list:
    """A review in ``state`` at the assessment moment for each of the four (Mark's reports), in Dutch order."""
    return [
        ReviewFactory(
            conversation=ConversationFactory(
                moment=assessment.assessment, employee=person, state=ConversationState.HELD
            ),
            state=state,
        )
        for person in reports_named(assessment.tenant)
    ]


def names(people) -> list[str]:
    return the_four(person.full_name for person in people)


def test_hrs_list_of_a_cycles_reviews(hr, assessment):
    reviewed(assessment, ReviewState.DRAFT)
    response = hr.get(url("reviews:cycle_reviews", assessment.tenant.organization, cycle_id=assessment.cycle.pk))
    assert names(review.employee for review in response.context["page"].object_list) == IN_DUTCH_ORDER


def test_the_managers_reviews_to_write(manager, assessment):
    for person in reports_named(assessment.tenant):
        ConversationFactory(moment=assessment.assessment, employee=person)
    response = manager.get(url("reviews:team_reviews", assessment.tenant.organization))
    assert names(conversation.employee for conversation in response.context["to_write"]) == IN_DUTCH_ORDER


def test_the_reviews_the_manager_wrote(manager, assessment):
    reviewed(assessment, ReviewState.FINALISED)
    response = manager.get(url("reviews:team_reviews", assessment.tenant.organization))
    assert names(review.employee for review in response.context["done"].object_list) == IN_DUTCH_ORDER


def test_the_reports_a_manager_records_an_observation_about(manager, tenant_a):
    reports_named(tenant_a)
    response = manager.get(url("reviews:observation_record", tenant_a.organization))
    assert names(response.context["reports"].object_list) == IN_DUTCH_ORDER


def test_hrs_search_for_whom_to_record_an_observation_about(hr, tenant_a):
    reports_named(tenant_a)
    response = hr.get(url("reviews:observation_record", tenant_a.organization), {"q": IN_EVERY_NAME})
    assert names(response.context["results"]) == IN_DUTCH_ORDER


def test_the_search_for_a_colleague_to_ask_for_an_observation(manager, assessment):
    tenant = assessment.tenant
    reports_named(tenant)
    address = url("reviews:request_create", tenant.organization, employee_id=tenant.employee.pk)
    response = manager.get(address, {"q": IN_EVERY_NAME})
    assert response.status_code == 200
    assert names(response.context["results"]) == IN_DUTCH_ORDER
