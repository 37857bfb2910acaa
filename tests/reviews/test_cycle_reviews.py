"""HR's list of a cycle's reviews: counts per state, the assessment conversations without a review, and a paged
list filterable by state, showing person, manager, outcome, whether it deviates from the rule, and state."""

from decimal import Decimal

import pytest

from cycles.models import ConversationState
from reviews import scales
from reviews.models import ReviewState
from tests.factories import ConversationFactory, EmployeeFactory, ReviewFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    url,
)

pytestmark = pytest.mark.django_db


def reviews_page(cycle, **query):
    address = url("reviews:cycle_reviews", cycle.organization, cycle_id=cycle.pk)
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.fixture
def cycle(assessment):
    return assessment.cycle


def add_reviews(assessment, numbers, *, state=ReviewState.DRAFT, deviate_every=0):
    """One review per number, of a new person with their own manager, at the assessment moment, in ``state``."""
    bands = scales.cycle_bands(cycle=assessment.cycle)
    organization = assessment.cycle.organization
    made = []
    for number in numbers:
        manager = EmployeeFactory(organization=organization, first_name="Manager", last_name=f"M{number:03}")
        person = EmployeeFactory(organization=organization, manager=manager, last_name=f"P{number:03}")
        deviates = bool(deviate_every) and number % deviate_every == 0
        made.append(
            ReviewFactory(
                conversation=ConversationFactory(moment=assessment.assessment, employee=person),
                state=state,
                score=Decimal("3.00"),
                computed_band=bands[1],
                band=bands[2] if deviates else bands[1],
                justification="Uitzonderlijk jaar." if deviates else "",
            )
        )
    return made


def test_another_organisations_member_gets_404(client, cycle, stranger):
    assert_other_organisation_gets_404(client, stranger, reviews_page(cycle))


def test_another_organisations_cycle_is_404_to_hr(hr, cycle, assessment_b):
    assert hr.get(url("reviews:cycle_reviews", cycle.organization, cycle_id=assessment_b.cycle.pk)).status_code == 404


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_hr_sees_a_cycles_reviews(client, cycle, tenant_a, role):
    assert_role_forbidden(client, tenant_a.member(role), reviews_page(cycle))


def test_only_get_is_taken(hr, cycle):
    assert_method_not_allowed(hr, reviews_page(cycle), ["post", "put", "delete"])


def test_counts_per_state_deviations_and_conversations_without_a_review(hr, cycle, assessment):
    add_reviews(assessment, range(3), deviate_every=2)  # 0 and 2 deviate
    add_reviews(assessment, range(3, 5), state=ReviewState.SHARED)
    add_reviews(assessment, range(5, 6), state=ReviewState.FINALISED)
    chosen_without_score, unrated = add_reviews(assessment, range(6, 8))
    chosen_without_score.score, chosen_without_score.computed_band = None, None  # deviates, as Review.deviates says
    chosen_without_score.save()
    unrated.score, unrated.computed_band, unrated.band = None, None, None  # no outcome yet: does not deviate
    unrated.save()
    # Eva's assessment conversation has no review; a cancelled one does not count, nor one of a progress moment.
    ConversationFactory(moment=assessment.assessment, state=ConversationState.CANCELLED)
    ConversationFactory(moment=assessment.progress)
    response = hr.get(reviews_page(cycle))
    counts = response.context["counts"]
    assert (counts["total"], counts["draft"], counts["shared"], counts["finalised"]) == (8, 5, 2, 1)
    assert counts["deviating"] == 3
    assert response.context["without_review"] == 1
    page = response.content.decode()
    assert "3 reviews have another outcome than the rule gives." in page
    assert "1 assessment conversation has no review yet." in page


def test_the_list_shows_person_manager_outcome_deviation_and_state_with_a_link(hr, cycle, assessment):
    first, second = add_reviews(assessment, range(2), deviate_every=2)
    response = hr.get(reviews_page(cycle))
    rows = list(response.context["page"].object_list)
    assert rows == [first, second]  # by the person's last name
    assert [row.deviates for row in rows] == [True, False]
    page = response.content.decode()
    assert url("reviews:review", cycle.organization, review_id=first.pk) in page
    assert first.employee.full_name in page and first.manager.full_name in page
    assert "Exceeds expectations" in page and "Meets expectations" in page


def test_the_list_is_paged_by_50(hr, cycle, assessment):
    add_reviews(assessment, range(55))
    first = hr.get(reviews_page(cycle))
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    second = hr.get(reviews_page(cycle, page=2))
    assert len(second.context["page"].object_list) == 5
    assert hr.get(reviews_page(cycle, page="abc")).context["page"].number == 1
    assert hr.get(reviews_page(cycle, page=99)).context["page"].number == 2


def test_the_list_filters_by_state(hr, cycle, assessment):
    add_reviews(assessment, range(2))
    shared = add_reviews(assessment, range(2, 3), state=ReviewState.SHARED)
    response = hr.get(reviews_page(cycle, state="shared"))
    assert list(response.context["page"].object_list) == shared
    assert response.context["counts"]["total"] == 3  # the counts stay for the whole cycle


def test_an_unknown_state_is_a_translated_error_and_lists_all(hr, cycle, assessment):
    add_reviews(assessment, range(2))
    response = hr.get(reviews_page(cycle, state="bogus"))
    assert response.status_code == 200
    assert field_error(response, "state") == "Choose one of the states in the list."
    assert len(response.context["page"].object_list) == 2


def test_htmx_gets_the_list_only(hr, cycle, assessment):
    add_reviews(assessment, range(2))
    response = hr.get(reviews_page(cycle, state="draft"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="review-list"' in page and "<h1>" not in page


def test_the_query_count_does_not_grow_with_the_reviews(hr, cycle, assessment):
    response = assert_flat_queries(
        lambda: hr.get(reviews_page(cycle)), lambda numbers: add_reviews(assessment, numbers, deviate_every=3)
    )
    assert len(response.context["page"].object_list) == 40
