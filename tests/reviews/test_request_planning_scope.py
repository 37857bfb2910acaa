"""A request re-plans only the two request rules: its cost does not grow with the cycle's conversations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles.models import PlanRequest, Reminder
from cycles.plan_requests import plan_requests_process
from tests.kit import broker_down
from tests.reviews.test_request_reminders import ask, cycle, reminders_of  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cycle")]


@pytest.fixture
def waiting(django_capture_on_commit_callbacks):
    """Plan requests stay in the outbox (the broker is down), so the test processes them itself."""
    with broker_down():
        yield lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_request_records_a_plan_request_for_the_request_rules_only(assessment, waiting):
    request = ask(assessment, waiting)

    assert list(PlanRequest.objects.values_list("anchors", flat=True)) == ["request_made,request_due"]
    plan_requests_process()
    assert set(reminders_of(request)) == {"request_made", "request_due"}


def test_planning_a_request_reads_no_conversation(assessment, waiting):
    """At 10,000 people a cycle holds 30,000 conversations; a request's two rules need none of them."""
    ask(assessment, waiting)

    with CaptureQueriesContext(connection) as queries:
        plan_requests_process()

    assert Reminder.objects.filter(rule__anchor="request_made").exists()
    assert not [query["sql"] for query in queries if 'FROM "cycles_conversation"' in query["sql"]]
