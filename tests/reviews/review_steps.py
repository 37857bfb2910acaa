"""Reviews taken to each state through the services, as the review tests build them (with tests/reviews/conftest.py).

``assessment`` is the conftest's Assessment: tenant_a's active cycle, the employee's assessment conversation and two
expectations weighing 60 and 40.
"""

from cycles.services import conversation_hold
from reviews import services_reviews as services
from reviews.models import Rating
from reviews.services_reviews import RatingInput
from tests.factories import ObservationFactory


def start(assessment):
    """The employee's review, started by their manager: a draft with one unrated rating per expectation."""
    review, _made = services.review_start(conversation=assessment.conversation, actor=assessment.tenant.manager)
    return review


def ratings(review):
    """The review's ratings, the heaviest first (60 %, then 40 %)."""
    return list(Rating.objects.filter(review=review).order_by("-weight", "pk"))


def observation(assessment, **kwargs):
    """An observation of the employee by their manager, today."""
    return ObservationFactory(employee=assessment.tenant.employee, author=assessment.tenant.manager, **kwargs)


def fill(review, assessment, levels=(3, 2), **outcome):
    """Rate the expectations (heaviest first) with one observation as evidence; the review as saved."""
    seen = observation(assessment)
    given = {
        row.pk: RatingInput(level=level, evidence=[seen.pk])
        for row, level in zip(ratings(review), levels, strict=False)
    }
    return services.review_save(review=review, actor=review.manager, ratings=given, **outcome)


def shared(assessment):
    review = fill(start(assessment), assessment)
    return services.review_share(review=review, actor=review.manager)


def held(assessment):
    """The assessment conversation held (by the manager): from then on the review may be signed."""
    return conversation_hold(conversation=assessment.conversation, actor=assessment.tenant.manager)


def signed(assessment):
    review = shared(assessment)
    held(assessment)
    services.review_sign(review=review, actor=review.employee)
    return services.review_sign(review=review, actor=review.manager)


def finalised(assessment):
    return services.review_finalise(review=signed(assessment), actor=assessment.tenant.hr)
