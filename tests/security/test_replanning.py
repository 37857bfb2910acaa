"""Re-planning outlives a lost broker and a killed worker: a saved change is always planned, and never answers 500.

Each change the reminders follow records a plan request in its own
transaction (cycles.plan_requests). Here the broker is really unreachable
(``redis://127.0.0.1:1``: nothing listens there), so the task that should
plan the change after commit cannot be queued; the dispatcher tick
(``send_due_reminders``, or beat's task) plans it instead.
"""

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from cycles import plan_requests, services
from cycles.dispatch import TOO_LATE
from cycles.models import (
    Conversation,
    ConversationState,
    CycleStatus,
    PlanRequest,
    Reminder,
    ReminderAnchor,
    ReminderStatus,
)
from cycles.plan_requests import CLAIM_TIMEOUT, plan_requests_process
from cycles.reminder_rules import reminder_rules_default
from cycles.tasks import dispatch_reminders
from tests.conftest import need
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import JANUARY_4_2027, activated_cycle, broker_down, client_for, outbox_addresses, url, utc

pytestmark = pytest.mark.django_db

D, T = datetime.date, datetime.time


@pytest.fixture
def cycle(tenant_a, january_2027, django_capture_on_commit_callbacks):
    """A 2027 cycle with the default rules and a March window, activated and planned (no broker needed)."""
    cycle = activated_cycle(tenant_a.organization, capture=django_capture_on_commit_callbacks)
    assert not PlanRequest.objects.exists()
    return cycle


def evas(cycle, tenant):
    return Conversation.objects.get(moment__cycle=cycle, employee=tenant.employee)


def about_conversation(cycle):
    """(offset, recipient) → (due, status) of the reminders about scheduled conversations."""
    return {
        (r.rule.offset_days, r.recipient_id): (r.due_at, r.status)
        for r in Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.CONVERSATION)
    }


def window_opens(cycle):
    return {r.due_at for r in Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.WINDOW_OPENS)}


def tick():
    """One run of `manage.py send_due_reminders`: what it printed."""
    out = io.StringIO()
    call_command("send_due_reminders", stdout=out)
    return out.getvalue()


# With the broker down: the change is saved, the answer is not a 500, the next tick plans it


def test_with_the_broker_down_scheduling_is_saved_and_the_next_tick_plans_its_reminders(
    tenant_a, cycle, django_capture_on_commit_callbacks, caplog
):
    a = tenant_a
    conversation = evas(cycle, a)
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client_for(a.manager).post(
            url("cycles:conversation_schedule", a.organization, conversation_id=conversation.pk),
            {"date": "2027-03-17", "time": "14:00", "location": "Room 4"},
        )

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.state, conversation.scheduled_at) == (ConversationState.SCHEDULED, utc(2027, 3, 17, 13))
    assert about_conversation(cycle) == {}
    assert PlanRequest.objects.get().conversation_id == conversation.pk
    assert "the next tick plans them" in caplog.text

    assert tick().startswith("plans: 1 change(s) re-planned\n")

    fourteen, two = utc(2027, 3, 3, 8), utc(2027, 3, 15, 8)  # 09:00 in Amsterdam
    planned = ReminderStatus.PLANNED
    assert about_conversation(cycle) == {
        (-14, a.employee.pk): (fourteen, planned),
        (-14, a.manager.pk): (fourteen, planned),
        (-2, a.employee.pk): (two, planned),
        (-2, a.manager.pk): (two, planned),
    }
    assert not PlanRequest.objects.exists()


def test_with_the_broker_down_a_cancelled_conversations_reminders_are_removed_before_the_tick_sends(
    tenant_a, cycle, django_capture_on_commit_callbacks, january_2027
):
    a = tenant_a
    conversation = evas(cycle, a)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_schedule(conversation=conversation, day=D(2027, 3, 17), at=T(14, 0))
    assert len(about_conversation(cycle)) == 4
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client_for(a.manager).post(
            url("cycles:conversation_cancel", a.organization, conversation_id=conversation.pk), {"confirm": "yes"}
        )
    assert response.status_code == 302
    assert len(about_conversation(cycle)) == 4  # not re-planned yet

    january_2027.move_to(utc(2027, 3, 3, 8, 30), tick=False)  # the 14-days-before reminder is due
    result = dispatch_reminders()  # what beat runs

    assert result["planned"] == 1
    assert about_conversation(cycle) == {}  # removed unsent: a sent one would have stayed as history


def test_with_the_broker_down_a_moved_window_is_saved_and_the_next_tick_moves_reminders_and_tells_people_once(
    tenant_a, cycle, django_capture_on_commit_callbacks
):
    a = tenant_a
    moment = cycle.moments.get()
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client_for(a.hr).post(
            url("cycles:moment_move", a.organization, moment_id=moment.pk),
            {"opens_on": "2027-03-08", "closes_on": "2027-04-07", "reason": "Spring holiday"},
        )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert (moment.opens_on, moment.closes_on) == (D(2027, 3, 8), D(2027, 4, 7))
    assert window_opens(cycle) == {utc(2027, 3, 1, 8)}
    assert mail.outbox == []

    tick()

    assert window_opens(cycle) == {utc(2027, 3, 8, 8)}
    # Everyone with an open conversation in the moment (the cycle is for everyone), each once.
    assert outbox_addresses() == sorted(person.user.email for person in (a.hr, a.manager, a.employee, a.outsider))
    assert all("Spring holiday" in message.body for message in mail.outbox)

    tick()
    assert len(mail.outbox) == 4


def test_with_the_broker_down_activation_is_saved_and_the_next_tick_plans_the_cycle(
    tenant_a, january_2027, django_capture_on_commit_callbacks
):
    a = tenant_a
    cycle = CycleFactory(organization=a.organization, name="2027")
    reminder_rules_default(cycle=cycle)
    MomentFactory(cycle=cycle, opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client_for(a.hr).post(
            url("cycles:cycle_activate", a.organization, cycle_id=cycle.pk), {"confirm": "yes"}
        )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.ACTIVE
    assert not Reminder.objects.filter(cycle=cycle).exists()

    tick()

    assert window_opens(cycle) == {utc(2027, 3, 1, 8)}
    assert Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.WINDOW_OPENS).count() == 5


def test_without_a_broker_the_change_is_planned_at_once_in_the_request(
    tenant_a, cycle, django_capture_on_commit_callbacks
):
    a = tenant_a
    conversation = evas(cycle, a)
    with django_capture_on_commit_callbacks(execute=True):  # the test settings: eager, as `make run`
        response = client_for(a.manager).post(
            url("cycles:conversation_schedule", a.organization, conversation_id=conversation.pk),
            {"date": "2027-03-17", "time": "14:00", "location": ""},
        )
    assert response.status_code == 302
    assert len(about_conversation(cycle)) == 4
    assert not PlanRequest.objects.exists()


# Planning late: what fell due meanwhile still goes out; what was past at the change does not


def schedule_with_the_broker_down(capture, conversation):
    with broker_down(), capture(execute=True):
        services.conversation_schedule(conversation=conversation, day=D(2027, 3, 15), at=T(14, 0))


def test_a_reminder_that_fell_due_while_planning_waited_is_still_sent_but_not_one_already_past_at_the_change(
    tenant_a, cycle, january_2027, django_capture_on_commit_callbacks
):
    a = tenant_a
    january_2027.move_to(utc(2027, 3, 5, 10), tick=False)  # 14 days before the 15th was the 1st: already past
    schedule_with_the_broker_down(django_capture_on_commit_callbacks, evas(cycle, a))

    january_2027.move_to(utc(2027, 3, 13, 12), tick=False)  # the 2-days-before reminder fell due at 08:00 UTC
    tick()

    sent = (utc(2027, 3, 13, 8), ReminderStatus.SENT)
    assert about_conversation(cycle) == {(-2, a.employee.pk): sent, (-2, a.manager.pk): sent}
    assert [message.to for message in mail.outbox] in (
        [[a.employee.user.email], [a.manager.user.email]],
        [[a.manager.user.email], [a.employee.user.email]],
    )


def test_a_reminder_more_than_two_days_late_when_planning_resumes_is_shown_as_missed(
    tenant_a, cycle, january_2027, django_capture_on_commit_callbacks
):
    a = tenant_a
    january_2027.move_to(utc(2027, 3, 5, 10), tick=False)
    schedule_with_the_broker_down(django_capture_on_commit_callbacks, evas(cycle, a))

    january_2027.move_to(utc(2027, 3, 15, 12), tick=False)  # 2 days and 4 hours after it was due
    tick()

    rows = Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.CONVERSATION)
    assert {(r.recipient_id, r.status, r.last_error) for r in rows} == {
        (a.employee.pk, ReminderStatus.MISSED, TOO_LATE),
        (a.manager.pk, ReminderStatus.MISSED, TOO_LATE),
    }


# A worker that dies while planning


def test_a_request_claimed_by_a_worker_that_died_is_taken_over_after_the_claim_timeout(
    tenant_a, cycle, january_2027, django_capture_on_commit_callbacks
):
    schedule_with_the_broker_down(django_capture_on_commit_callbacks, evas(cycle, tenant_a))
    # A worker took the request and was killed while planning: its transaction is gone, its claim stays.
    PlanRequest.objects.update(claim="dead-worker", claimed_at=JANUARY_4_2027)

    assert plan_requests_process() == 0  # it may still be working: nobody plans the same request twice
    assert about_conversation(cycle) == {}

    january_2027.move_to(JANUARY_4_2027 + CLAIM_TIMEOUT + datetime.timedelta(seconds=1), tick=False)
    assert plan_requests_process() == 1
    assert len(about_conversation(cycle)) == 4
    assert not PlanRequest.objects.exists()


def test_a_planner_that_fails_halfway_saves_nothing_and_its_request_is_tried_again_later(
    tenant_a, cycle, january_2027, django_capture_on_commit_callbacks, monkeypatch
):
    schedule_with_the_broker_down(django_capture_on_commit_callbacks, evas(cycle, tenant_a))
    real = plan_requests.reminders_plan

    def plans_then_dies(**kwargs):
        real(**kwargs)  # the rows are written...
        raise ConnectionResetError("the database went away")  # ...and the transaction never commits

    monkeypatch.setattr(plan_requests, "reminders_plan", plans_then_dies)
    assert tick().startswith("reminders: ")  # the dispatch still ran
    assert about_conversation(cycle) == {}
    request = PlanRequest.objects.get()
    assert (request.attempts, request.last_error) == (1, "ConnectionResetError: the database went away")

    monkeypatch.setattr(plan_requests, "reminders_plan", real)
    assert plan_requests_process() == 0  # not at once: a failing planner is not retried every minute
    january_2027.move_to(JANUARY_4_2027 + CLAIM_TIMEOUT + datetime.timedelta(seconds=1), tick=False)
    assert plan_requests_process() == 1
    assert len(about_conversation(cycle)) == 4


# Two workers at once (PostgreSQL: row-level conditional updates between real connections)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_processing_at_once_on_postgresql_plan_each_request_exactly_once(tenant_a, monkeypatch):
    if connection.vendor != "postgresql":
        need("the two-worker planning test needs PostgreSQL (set DATABASE_URL)")
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle)
    people = [EmployeeFactory(organization=tenant_a.organization) for _ in range(60)]
    conversations = [ConversationFactory(moment=moment, employee=person) for person in people]
    PlanRequest.objects.bulk_create(
        PlanRequest(organization=tenant_a.organization, cycle=cycle, conversation=conversation)
        for conversation in conversations
    )
    planned, lock = [], threading.Lock()

    def counting_planner(*, cycle, conversation_ids, since):
        threading.Event().wait(0.002)  # long enough for the two to interleave
        with lock:
            planned.extend(conversation_ids)

    monkeypatch.setattr(plan_requests, "reminders_plan", counting_planner)
    barrier, results = threading.Barrier(2), []

    def worker():
        try:
            barrier.wait()
            results.append(plan_requests_process())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(planned) == sorted(conversation.pk for conversation in conversations)
    assert sum(results) == 60
    assert not PlanRequest.objects.exists()
