"""The review page runs as many queries for 12 ratings as for 2, and for 40 observations offered as for 3."""

import pytest

from reviews.models import Rating
from tests.factories import ExpectationFactory
from tests.kit import assert_flat_queries, url
from tests.reviews.review_steps import observation, shared, start


def add_ratings(review, assessment):
    """``build`` for assert_flat_queries: per number an expectation and its rating, level 3, citing one observation."""

    def build(numbers):
        for _number in numbers:
            expectation = ExpectationFactory(organization=review.organization, weight=10)
            rating = Rating.objects.create(
                organization=review.organization,
                review=review,
                expectation=expectation,
                expectation_version=expectation.current_version,
                weight=10,
                level=3,
                note="Zichtbaar in elk project.",
            )
            rating.evidence.add(observation(assessment))

    return build


def get(client, review):
    return lambda: client.get(url("reviews:review", review.organization, review_id=review.pk))


@pytest.mark.parametrize("reader", ["manager", "employee", "hr"])
def test_the_page_is_flat_in_the_number_of_ratings(request, assessment, reader):
    review = shared(assessment)
    Rating.objects.filter(review=review).delete()  # the builder adds them
    client = request.getfixturevalue(reader)
    response = assert_flat_queries(get(client, review), add_ratings(review, assessment), few=2, many=12)
    assert response.content.decode().count('aria-labelledby="rating-') == 12


def test_the_draft_form_is_flat_in_the_number_of_observations_offered(manager, assessment):
    review = start(assessment)

    def build(numbers):
        for number in numbers:
            observation(assessment, behaviour=f"Gedrag nummer {number}.")

    response = assert_flat_queries(get(manager, review), build, few=3, many=40)
    assert 'value="Gedrag' not in response.content.decode()
    assert response.content.decode().count("Gedrag nummer 39.") == 2  # offered to both ratings


def test_the_draft_form_is_flat_in_the_number_of_ratings(manager, assessment):
    review = start(assessment)
    Rating.objects.filter(review=review).delete()
    response = assert_flat_queries(get(manager, review), add_ratings(review, assessment), few=2, many=12)
    assert response.content.decode().count('type="radio" name="rating-') == 12 * 4
