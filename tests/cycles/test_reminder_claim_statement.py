"""The dispatcher marks a row SENT and claims the next one in a single UPDATE (cycles.dispatch._update_rows): one
statement and one commit per reminder, all or nothing, and a row another dispatcher took in between stays theirs."""

import datetime
from datetime import UTC

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles import mail
from cycles.dispatch import reminders_dispatch
from cycles.models import Reminder, ReminderStatus
from tests.cycles.test_reminder_dispatch import World
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 6, 1, 7, 0, tzinfo=UTC)


@pytest.fixture
def rows(tenant_a, time_machine):
    time_machine.move_to(NOW, tick=False)
    world = World(tenant_a.organization)
    people = [EmployeeFactory(organization=tenant_a.organization) for _ in range(3)]
    return [world.reminder(people[n % 3], NOW - datetime.timedelta(minutes=10 - n)) for n in range(5)]


def state(row):
    row = Reminder.objects.get(pk=row.pk)
    return row.status, row.claim


def test_a_tick_runs_one_update_per_reminder(rows, fake_mail):
    with CaptureQueriesContext(connection) as queries:
        tick = reminders_dispatch()

    updates = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    assert tick.sent == 5
    # The stale-claim sweep, the first claim, four "mark the one before, claim this one", the last mark.
    assert len(updates) == 1 + 1 + 4 + 1
    assert not any(query["sql"] in ("BEGIN", "COMMIT") or "SAVEPOINT" in query["sql"] for query in queries)
    assert all(
        (row.status, row.claim, row.attempts, row.sent_at) == (ReminderStatus.SENT, "", 1, NOW)
        for row in Reminder.objects.all()
    )


def test_a_row_another_dispatcher_took_meanwhile_stays_theirs_and_the_one_before_is_still_marked_sent(
    rows, fake_mail, monkeypatch
):
    message = mail.reminder_message

    def and_another_dispatcher_takes_the_next(reminder):
        if reminder.pk == rows[1].pk:  # while the second goes out, someone else claims the third
            Reminder.objects.filter(pk=rows[2].pk).update(status=ReminderStatus.SENDING, claim="theirs", claimed_at=NOW)
        return message(reminder)

    monkeypatch.setattr(mail, "reminder_message", and_another_dispatcher_takes_the_next)

    tick = reminders_dispatch()

    assert tick.sent == 4
    assert state(rows[1]) == (ReminderStatus.SENT, "")
    assert state(rows[2]) == (ReminderStatus.SENDING, "theirs")
    assert rows[2].key not in fake_mail.sent
    assert [state(row)[0] for row in (rows[0], rows[3], rows[4])] == [ReminderStatus.SENT] * 3


def test_a_row_pushed_out_for_a_retry_meanwhile_is_not_claimed(rows, fake_mail, monkeypatch):
    message = mail.reminder_message
    later = NOW + datetime.timedelta(minutes=10)

    def and_the_next_is_retried_later(reminder):
        if reminder.pk == rows[0].pk:
            Reminder.objects.filter(pk=rows[1].pk).update(attempts=1, next_try_at=later)
        return message(reminder)

    monkeypatch.setattr(mail, "reminder_message", and_the_next_is_retried_later)

    tick = reminders_dispatch()

    assert tick.sent == 4
    assert state(rows[1]) == (ReminderStatus.PLANNED, "")
    assert Reminder.objects.get(pk=rows[1].pk).next_try_at == later
