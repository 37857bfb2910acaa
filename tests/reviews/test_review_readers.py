"""What the manager reads of a shared review: evidence the employee cannot see yet is marked; whoever signs after
the employee reads that they disagree."""

import pytest

from reviews import services_reviews as services
from tests.kit import url
from tests.reviews.review_steps import held, shared, start
from tests.reviews.test_review_fixes import HELD_TEXT, cite_held
from tests.reviews.test_review_pages import page

pytestmark = pytest.mark.django_db

MARK = "Held for a conversation: not yet visible to the employee"


def test_the_manager_sees_which_cited_evidence_the_employee_cannot_read_yet(manager, assessment):
    review, _secret = cite_held(assessment, start(assessment), conversation=assessment.conversation)

    content = manager.get(page("review", review)).content.decode()
    assert HELD_TEXT in content and MARK in content

    held(assessment)
    assert MARK not in manager.get(page("review", review)).content.decode()


def test_the_manager_signing_after_the_employee_reads_that_they_disagree(manager, assessment):
    review = shared(assessment)
    services.review_comment(review=review, actor=review.employee, comment="Niet herkenbaar.", disagrees=True)
    held(assessment)
    services.review_sign(review=review, actor=review.employee)

    content = manager.get(url("reviews:review_sign", review.organization, review_id=review.pk)).content.decode()

    assert "The employee disagrees with this review" in content and "Niet herkenbaar." in content
