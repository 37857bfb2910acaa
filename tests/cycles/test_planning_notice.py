"""The cycle page says when its reminders are still being planned: with a broker, activating answers at once and a
worker plans the reminders afterwards (cycles.plan_requests)."""

import pytest

from cycles import plan_requests
from cycles.models import CycleStatus, PlanRequest, Reminder
from cycles.reminder_rules import reminder_rules_default
from tests.factories import CycleFactory, MomentFactory
from tests.kit import client_for, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("january_2027")]

CONFIRM = {"confirm": "yes"}
BEING_PLANNED = "The reminders are being planned."
FAILED = "An attempt failed; it is tried again within a few minutes."


@pytest.fixture
def draft(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, name="2027")
    MomentFactory(cycle=cycle)
    reminder_rules_default(cycle=cycle)
    return cycle


@pytest.fixture
def queued(monkeypatch):
    """A broker that takes the planning task and keeps it: the worker has not run yet."""
    tasks = []
    monkeypatch.setattr(plan_requests, "publish", lambda task, **kwargs: tasks.append(kwargs))
    return tasks


def activate(hr, tenant, cycle, capture):
    with capture(execute=True):
        response = hr.post(url("cycles:cycle_activate", tenant.organization, cycle_id=cycle.pk), CONFIRM)
    assert response.status_code == 302
    return hr.get(cycle.get_absolute_url()).content.decode()


def test_with_a_broker_the_page_says_the_reminders_are_being_planned_until_the_worker_has(
    tenant_a, hr, draft, queued, django_capture_on_commit_callbacks
):
    page = activate(hr, tenant_a, draft, django_capture_on_commit_callbacks)

    draft.refresh_from_db()
    assert draft.status == CycleStatus.ACTIVE
    assert len(queued) == 1 and not Reminder.objects.filter(cycle=draft).exists()
    assert BEING_PLANNED in page and FAILED not in page

    plan_requests.plan_requests_process(**queued[0])  # the worker

    assert Reminder.objects.filter(cycle=draft).exists()
    assert BEING_PLANNED not in hr.get(draft.get_absolute_url()).content.decode()


def test_without_a_broker_the_reminders_are_planned_before_the_page_answers(
    tenant_a, hr, draft, django_capture_on_commit_callbacks
):
    page = activate(hr, tenant_a, draft, django_capture_on_commit_callbacks)

    assert Reminder.objects.filter(cycle=draft).exists() and not PlanRequest.objects.exists()
    assert BEING_PLANNED not in page


def test_a_failed_planning_says_it_is_tried_again(tenant_a, hr, draft, queued, django_capture_on_commit_callbacks):
    activate(hr, tenant_a, draft, django_capture_on_commit_callbacks)
    PlanRequest.objects.filter(cycle=draft).update(attempts=1, last_error="OperationalError: gone")

    page = hr.get(draft.get_absolute_url()).content.decode()

    assert BEING_PLANNED in page and FAILED in page
    assert "OperationalError" not in page  # the error is for the log, not for HR


def test_the_notice_is_in_dutch_for_a_dutch_reader(tenant_a, draft, queued, django_capture_on_commit_callbacks):
    dutch = client_for(tenant_a.hr, language="nl")
    page = activate(dutch, tenant_a, draft, django_capture_on_commit_callbacks)

    assert "De herinneringen worden ingepland." in page


def test_only_the_cycle_whose_planning_waits_says_so(tenant_a, tenant_b, hr, draft, queued):
    other = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    plan_requests.plan_request_record(organization_id=tenant_a.organization.pk, cycle_id=other.pk)
    theirs = CycleFactory(organization=tenant_b.organization, status=CycleStatus.ACTIVE)
    plan_requests.plan_request_record(organization_id=tenant_b.organization.pk, cycle_id=theirs.pk)

    assert BEING_PLANNED in hr.get(other.get_absolute_url()).content.decode()
    assert BEING_PLANNED not in hr.get(draft.get_absolute_url()).content.decode()
