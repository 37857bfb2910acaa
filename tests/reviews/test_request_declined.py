"""Whoever asked sees that a colleague declined, as the colleague is told they will: for 30 days, on the list."""

import datetime

import pytest
from django.utils import timezone

from tests.kit import assert_flat_queries, url
from tests.reviews.test_request_pages import answer_url, make_request

pytestmark = pytest.mark.django_db


def test_the_asker_sees_the_declined_request_on_their_list(assessment, outsider, manager):
    asked = make_request(assessment)
    outsider.post(answer_url(asked), {"decline": "1", "confirm": "yes"})

    page = manager.get(url("reviews:request_list", assessment.tenant.organization)).content.decode()

    assert "Declined lately" in page
    assert (
        f"{assessment.tenant.outsider.full_name} declined to write about {assessment.tenant.employee.full_name}" in page
    )


def test_a_request_declined_more_than_30_days_ago_is_no_longer_listed(assessment, manager):
    make_request(assessment, state="declined", closed_at=timezone.now() - datetime.timedelta(days=31))

    page = manager.get(url("reviews:request_list", assessment.tenant.organization)).content.decode()

    assert "Declined lately" not in page


def test_the_list_costs_the_same_with_2_or_40_declined_requests(assessment, manager):
    def add(numbers):
        for _number in numbers:
            make_request(assessment, state="declined", closed_at=timezone.now())

    response = assert_flat_queries(
        lambda: manager.get(url("reviews:request_list", assessment.tenant.organization)), add
    )
    assert response.content.decode().count("declined to write about") == 40
