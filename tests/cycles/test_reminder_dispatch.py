"""Sending due reminders: once, marked sent, one failure never stops the others, nothing lost, nothing twice.

Most tests stand in for cycles.mail.reminder_message with a fake that returns
a plain message and counts what was really handed to the mail backend per
reminder key; one test goes through the real message.
"""

import collections
import contextlib
import datetime
import functools
import json
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.db import OperationalError, connection

from accounts.models import User
from cycles import dispatch, services, wanted
from cycles.dispatch import (
    INTERRUPTED,
    INVALID_ADDRESS,
    MAX_ATTEMPTS,
    TOO_LATE,
    reminder_resend,
    reminders_dispatch,
)
from cycles.models import (
    ConversationState,
    CycleStatus,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
    ReminderStatus,
)
from tests.conftest import need
from tests.factories import CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import activated_cycle, outbox_addresses

pytestmark = pytest.mark.django_db

D, T = datetime.date, datetime.time
NOW = datetime.datetime(2027, 6, 1, 7, 0, tzinfo=UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


class World:
    """An active cycle with a moment and a rule, and a way to put reminders of it in the queue."""

    def __init__(self, organization):
        self.organization = organization
        self.cycle = CycleFactory(organization=organization, status=CycleStatus.ACTIVE)
        self.moment = MomentFactory(cycle=self.cycle)
        self.rule = ReminderRule.objects.create(
            organization=organization,
            cycle=self.cycle,
            anchor=ReminderAnchor.WINDOW_OPENS,
            offset_days=0,
            time_of_day=T(9, 0),
            audience=ReminderAudience.MANAGER,
        )
        self.count = 0

    def reminder(self, recipient, due_at, **fields):
        self.count += 1
        return Reminder.objects.create(
            organization=self.organization,
            cycle=self.cycle,
            rule=fields.pop("rule", self.rule),
            recipient=recipient,
            moment=self.moment,
            key=fields.pop("key", f"test:{self.count}"),
            due_at=due_at,
            next_try_at=fields.pop("next_try_at", due_at),
            **fields,
        )

    def many(self, number, due_at):
        people = [EmployeeFactory(organization=self.organization) for _ in range(5)]
        return Reminder.objects.bulk_create(
            Reminder(
                organization=self.organization,
                cycle=self.cycle,
                rule=self.rule,
                recipient=people[n % len(people)],
                moment=self.moment,
                key=f"many:{n}",
                due_at=due_at,
                next_try_at=due_at,
            )
            for n in range(number)
        )


@pytest.fixture
def world(tenant_a):
    return World(tenant_a.organization)


def state(reminder):
    reminder.refresh_from_db()
    return reminder.status


# Once, and only what is due


def test_due_reminders_are_sent_once_and_marked_sent_and_others_are_left_alone(world, tenant_a, fake_mail, clock):
    a = tenant_a
    due = [
        world.reminder(a.employee, NOW - datetime.timedelta(days=1)),
        world.reminder(a.manager, NOW - MINUTE),
        world.reminder(a.hr, NOW),
    ]
    later = world.reminder(a.outsider, NOW + MINUTE)
    untouched = Reminder.objects.filter(pk=later.pk).values().get()

    tick = reminders_dispatch()

    assert (tick.sent, tick.handled) == (3, 3)
    for reminder in due:
        reminder.refresh_from_db()
        assert reminder.status == ReminderStatus.SENT
        assert (reminder.sent_at, reminder.attempts, reminder.claim, reminder.last_error) == (NOW, 1, "", "")
    assert Reminder.objects.filter(pk=later.pk).values().get() == untouched
    assert outbox_addresses() == sorted(r.recipient.user.email for r in due)
    assert fake_mail.sent == {r.key: 1 for r in due}

    again = reminders_dispatch()

    assert again.handled == 0
    assert len(django_mail.outbox) == 3


def test_a_refused_recipient_is_retried_later_and_the_others_still_go_out(world, tenant_a, fake_mail, clock):
    a = tenant_a
    fake_mail.refuse.add(a.employee.user.email)
    refused = world.reminder(a.employee, NOW - MINUTE)
    fine = [world.reminder(a.manager, NOW - MINUTE), world.reminder(a.hr, NOW - MINUTE)]

    tick = reminders_dispatch()

    assert (tick.sent, tick.retrying, tick.failed) == (2, 1, 0)
    assert all(state(reminder) == ReminderStatus.SENT for reminder in fine)
    refused.refresh_from_db()
    assert refused.status == ReminderStatus.PLANNED
    assert refused.attempts == 1
    assert refused.last_error.startswith("SMTPRecipientsRefused")
    assert refused.next_try_at == NOW + dispatch.RETRY_AFTER
    assert refused.due_at == NOW - MINUTE  # when it was meant for does not change
    assert outbox_addresses() == sorted(r.recipient.user.email for r in fine)


def test_after_max_attempts_a_failing_reminder_stays_failed(world, tenant_a, fake_mail, clock):
    fake_mail.refuse.add(tenant_a.employee.user.email)
    refused = world.reminder(tenant_a.employee, NOW - MINUTE)

    for attempt in range(1, MAX_ATTEMPTS + 1):
        reminders_dispatch()
        refused.refresh_from_db()
        assert refused.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert refused.status == ReminderStatus.PLANNED
            reminders_dispatch()  # not yet time for the next attempt
            assert Reminder.objects.get(pk=refused.pk).attempts == attempt
            clock.move_to(refused.next_try_at, tick=False)
    assert refused.status == ReminderStatus.FAILED
    assert "No such user" in refused.last_error

    clock.move_to(NOW + datetime.timedelta(days=1), tick=False)
    assert reminders_dispatch().handled == 0
    assert fake_mail.calls[refused.key] == MAX_ATTEMPTS
    assert state(refused) == ReminderStatus.FAILED


def test_an_invalid_address_fails_with_its_reason_and_the_others_go(world, tenant_a, fake_mail, clock):
    User.objects.filter(pk=tenant_a.employee.user_id).update(email="nobody@")
    invalid = world.reminder(tenant_a.employee, NOW - MINUTE)
    fine = world.reminder(tenant_a.manager, NOW - MINUTE)

    tick = reminders_dispatch()

    assert (tick.sent, tick.failed) == (1, 1)
    invalid.refresh_from_db()
    assert (invalid.status, invalid.last_error, invalid.attempts) == (ReminderStatus.FAILED, INVALID_ADDRESS, 1)
    assert invalid.key not in fake_mail.calls
    assert state(fine) == ReminderStatus.SENT
    assert outbox_addresses() == [tenant_a.manager.user.email]


def test_a_reminder_more_than_two_days_late_is_missed_not_sent(world, tenant_a, fake_mail, clock):
    stale = world.reminder(tenant_a.employee, NOW - datetime.timedelta(days=2) - MINUTE)
    late_but_useful = world.reminder(tenant_a.manager, NOW - datetime.timedelta(days=2) + MINUTE)

    tick = reminders_dispatch()

    assert (tick.missed, tick.sent) == (1, 1)
    stale.refresh_from_db()
    assert (stale.status, stale.last_error) == (ReminderStatus.MISSED, TOO_LATE)
    assert stale.key not in fake_mail.calls
    assert state(late_but_useful) == ReminderStatus.SENT


def test_a_long_backlog_of_missed_reminders_does_not_exhaust_the_stack(world, tenant_a, fake_mail, clock):
    # A dispatcher that was down for days: whole batches are missed before a fresh one comes.
    world.many(1200, NOW - datetime.timedelta(days=3))
    fresh = world.reminder(tenant_a.manager, NOW - MINUTE)

    tick = reminders_dispatch(batch_size=1)

    assert (tick.missed, tick.sent) == (1200, 1)
    assert state(fresh) == ReminderStatus.SENT


def test_a_skipped_reminder_says_why(world, tenant_a, fake_mail, clock, monkeypatch):
    monkeypatch.setattr("cycles.mail.reminder_message", lambda reminder: None)
    nothing = world.reminder(tenant_a.manager, NOW - MINUTE)
    switched_off = ReminderRule.objects.create(
        organization=world.organization,
        cycle=world.cycle,
        anchor=ReminderAnchor.WINDOW_CLOSES,
        offset_days=-7,
        time_of_day=T(9, 0),
        audience=ReminderAudience.MANAGER,
        enabled=False,
    )
    off = world.reminder(tenant_a.manager, NOW - MINUTE, rule=switched_off)

    tick = reminders_dispatch()

    assert tick.skipped == 2
    nothing.refresh_from_db()
    off.refresh_from_db()
    assert (nothing.status, nothing.last_error) == (ReminderStatus.SKIPPED, dispatch.NOTHING_TO_SAY)
    assert (off.status, off.last_error) == (ReminderStatus.SKIPPED, wanted.RULE_OFF)
    assert django_mail.outbox == []


# A dispatcher that dies halfway: nothing lost, nothing twice


def accounted_for(reminders, fake):
    """Every row sent exactly once, or failed visibly as 'may have gone out' with at most one message."""
    for reminder in reminders:
        reminder.refresh_from_db()
        if reminder.status == ReminderStatus.SENT:
            assert fake.sent.get(reminder.key) == 1, reminder.key
        else:
            assert (reminder.status, reminder.last_error) == (ReminderStatus.FAILED, INTERRUPTED), reminder.key
            assert fake.sent.get(reminder.key, 0) <= 1, reminder.key


def test_a_dispatcher_stopped_halfway_leaves_the_rest_planned_for_the_next_tick(world, tenant_a, fake_mail, clock):
    rows = [world.reminder(tenant_a.manager, NOW - datetime.timedelta(minutes=10 - n)) for n in range(5)]
    fake_mail.halt_on = rows[2].key

    with pytest.raises(fake_mail.Halt):
        reminders_dispatch()

    assert [state(row) for row in rows] == [
        ReminderStatus.SENT,
        ReminderStatus.SENT,
        ReminderStatus.SENDING,  # it was with the mail server when the worker stopped: not sent again
        ReminderStatus.PLANNED,
        ReminderStatus.PLANNED,
    ]
    assert Reminder.objects.get(pk=rows[3].pk).claim == ""

    fake_mail.halt_on = None
    assert reminders_dispatch().sent == 2
    assert state(rows[2]) == ReminderStatus.SENDING

    clock.move_to(NOW + dispatch.STALE_CLAIM + MINUTE, tick=False)
    assert reminders_dispatch().handled == 0
    accounted_for(rows, fake_mail)
    assert state(rows[2]) == ReminderStatus.FAILED


def test_a_database_error_after_sending_never_sends_that_reminder_twice(world, tenant_a, fake_mail, clock, monkeypatch):
    rows = [world.reminder(tenant_a.manager, NOW - datetime.timedelta(minutes=10 - n)) for n in range(5)]
    finish, calls = dispatch._finish, []

    def flaky_finish(reminder, token, status, **fields):
        calls.append(reminder.pk)
        if len(calls) == 3:  # the third message went out, then the database went away
            raise OperationalError("server closed the connection unexpectedly")
        return finish(reminder, token, status, **fields)

    monkeypatch.setattr(dispatch, "_finish", flaky_finish)
    with pytest.raises(OperationalError):
        reminders_dispatch()
    monkeypatch.setattr(dispatch, "_finish", finish)

    assert fake_mail.sent == {rows[0].key: 1, rows[1].key: 1, rows[2].key: 1}
    assert [state(row) for row in rows[3:]] == [ReminderStatus.PLANNED, ReminderStatus.PLANNED]

    reminders_dispatch()
    clock.move_to(NOW + dispatch.STALE_CLAIM + MINUTE, tick=False)
    reminders_dispatch()

    accounted_for(rows, fake_mail)
    assert [state(row) for row in rows] == [ReminderStatus.SENT] * 2 + [ReminderStatus.FAILED] + [
        ReminderStatus.SENT
    ] * 2


def test_stale_sending_rows_become_failed_not_resent(world, tenant_a, fake_mail, clock):
    dead = world.reminder(
        tenant_a.employee,
        NOW - datetime.timedelta(hours=1),
        status=ReminderStatus.SENDING,
        claim="deadbeef",
        claimed_at=NOW - dispatch.STALE_CLAIM - MINUTE,
    )
    busy = world.reminder(
        tenant_a.manager,
        NOW - datetime.timedelta(hours=1),
        status=ReminderStatus.SENDING,
        claim="alive",
        claimed_at=NOW - MINUTE,
    )

    tick = reminders_dispatch()

    assert tick.handled == 0
    dead.refresh_from_db()
    assert (dead.status, dead.last_error, dead.claim) == (ReminderStatus.FAILED, INTERRUPTED, "")
    busy.refresh_from_db()
    assert (busy.status, busy.claim) == (ReminderStatus.SENDING, "alive")  # another dispatcher is on it
    assert fake_mail.calls == {}


@pytest.mark.parametrize("status", [ReminderStatus.FAILED, ReminderStatus.MISSED])
def test_a_failed_or_missed_reminder_can_be_resent(world, tenant_a, fake_mail, clock, status):
    reminder = world.reminder(
        tenant_a.employee, NOW - datetime.timedelta(days=3), status=status, attempts=3, last_error="Boom"
    )

    assert reminder_resend(reminder=reminder) is True

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error, reminder.next_try_at) == (
        ReminderStatus.PLANNED,
        0,
        "",
        NOW,
    )
    assert reminders_dispatch().sent == 1
    assert state(reminder) == ReminderStatus.SENT
    assert fake_mail.sent == {reminder.key: 1}


def test_a_sent_or_planned_reminder_is_not_resent(world, tenant_a, fake_mail, clock):
    sent = world.reminder(tenant_a.employee, NOW - MINUTE, status=ReminderStatus.SENT, sent_at=NOW)
    planned = world.reminder(tenant_a.manager, NOW + MINUTE)

    assert reminder_resend(reminder=sent) is False
    assert reminder_resend(reminder=planned) is False
    assert state(sent) == ReminderStatus.SENT
    assert reminders_dispatch().handled == 0


# The real message


def test_a_scheduled_conversation_reminder_goes_out_through_the_real_message(
    tenant_a, django_capture_on_commit_callbacks, january_2027
):
    """No fake: cycles.mail builds the message (in the recipient's language, with the .ics)."""
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)  # a March window
    conversation = cycle.moments.get().conversations.get(employee=a.employee)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_schedule(conversation=conversation, day=D(2027, 3, 17), at=T(14, 0))
    reminder = Reminder.objects.get(rule__offset_days=-2, recipient=a.employee)

    january_2027.move_to(reminder.due_at, tick=False)
    tick = reminders_dispatch()

    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT, reminder.last_error
    to_employee = [message for message in django_mail.outbox if message.to == [a.employee.user.email]]
    assert len(to_employee) == 1
    assert to_employee[0].subject
    assert conversation.state == ConversationState.SCHEDULED
    assert tick.errors == []


# Two dispatchers at once


def dispatch_in_threads(number=2):
    """Run ``number`` dispatchers at the same moment, each on its own database connection."""
    barrier = threading.Barrier(number)
    ticks, errors = [], []

    def run():
        try:
            barrier.wait()
            ticks.append(reminders_dispatch(batch_size=20))
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(number)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return ticks, errors


def two_dispatchers_send_each_exactly_once(world, fake):
    fake.pause = 0.001  # a little time per message, so that the two really interleave
    rows = world.many(500, datetime.datetime.now(UTC) - MINUTE)

    ticks, errors = dispatch_in_threads()

    assert errors == []
    assert sorted(tick.sent for tick in ticks)[0] > 0, "both dispatchers should have had a share"
    assert sum(tick.sent for tick in ticks) == 500
    assert fake.sent == {row.key: 1 for row in rows}
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 500
    assert len(django_mail.outbox) == 500


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_on_postgresql_send_each_reminder_exactly_once(tenant_a, fake_mail):
    if connection.vendor != "postgresql":
        need("the two-dispatcher test needs PostgreSQL (set DATABASE_URL)")
    two_dispatchers_send_each_exactly_once(World(tenant_a.organization), fake_mail)


# SQLite: threads over the test suite's in-memory database share one cache and fail at once with "database
# table is locked", so the embedded setup is tested as it runs for real: two processes (say `make run`'s loop
# and a second one started by hand) over one database file, in WAL mode with immediate transactions.

SQLITE_SETUP = """
import datetime
import django

django.setup()
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from cycles.models import Cycle, Moment, Reminder, ReminderRule
from organizations.models import Employee, Organization

with scopes_disabled():
    organization = Organization.objects.create(name="Proces BV", slug="proces")
    people = [
        Employee.objects.create(
            organization=organization, user=User.objects.create_user(f"p{n}@example.org"), first_name=f"P{n}"
        )
        for n in range(5)
    ]
    cycle = Cycle.objects.create(
        organization=organization, name="2027", status="active",
        starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31),
    )
    moment = Moment.objects.create(
        organization=organization, cycle=cycle, name_nl="Voortgang", purpose_nl="Bijsturen.",
        opens_on=datetime.date(2027, 6, 1), closes_on=datetime.date(2027, 6, 30),
    )
    rule = ReminderRule.objects.create(
        organization=organization, cycle=cycle, anchor="window_opens", offset_days=0,
        time_of_day=datetime.time(9), audience="manager",
    )
    due = timezone.now() - datetime.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(
            organization=organization, cycle=cycle, rule=rule, recipient=people[n % 5], moment=moment,
            key=f"many:{n}", due_at=due, next_try_at=due,
        )
        for n in range(500)
    )
"""

SQLITE_DISPATCHER = """
import json, os, sys, time
import django

django.setup()
from django.core.mail import EmailMessage

import cycles.mail
from cycles.dispatch import reminders_dispatch

sent = []


def fake(reminder):
    key = reminder.key

    class Counted(EmailMessage):
        def send(self, fail_silently=False):
            time.sleep(0.001)
            count = super().send(fail_silently)
            sent.append(key)
            return count

    return Counted("Reminder", "Body", to=[reminder.recipient.user.email])


cycles.mail.reminder_message = fake
print("ready", flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.002)
tick = reminders_dispatch(batch_size=20)
print(json.dumps({"sent": sent, "tick": tick.sent}), flush=True)
"""


def test_two_dispatcher_processes_over_one_sqlite_file_send_each_reminder_exactly_once(tmp_path):
    root = Path(__file__).resolve().parents[2]
    database = tmp_path / "helder.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", "DATABASE_URL": f"sqlite:///{database}"}
    run = functools.partial(subprocess.run, cwd=root, env=env, check=True, capture_output=True, timeout=120)
    run([sys.executable, "manage.py", "migrate", "--verbosity", "0"])
    run([sys.executable, "-c", SQLITE_SETUP])
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SQLITE_DISPATCHER, str(go)], cwd=root, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready"
        go.touch()  # both start together
        results = [json.loads(worker.communicate(timeout=120)[0].splitlines()[-1]) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    assert [worker.returncode for worker in workers] == [0, 0]

    sent = collections.Counter(key for result in results for key in result["sent"])
    assert sent == {f"many:{n}": 1 for n in range(500)}
    assert min(result["tick"] for result in results) > 0, "both dispatchers should have had a share"
    with contextlib.closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT status, count(*) FROM cycles_reminder GROUP BY status").fetchall() == [("sent", 500)]
