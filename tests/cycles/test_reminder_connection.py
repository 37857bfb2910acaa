"""The dispatcher talks to the mail server over one connection per batch, not one per reminder, and an error on
that connection costs one reconnect, never the rest of the batch (cycles.mail.Outbox)."""

import datetime
import smtplib
from datetime import UTC

import pytest
from django.core.mail.backends.locmem import EmailBackend

from cycles.dispatch import reminders_dispatch
from cycles.models import Reminder, ReminderStatus
from tests.cycles.test_reminder_dispatch import World
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 6, 1, 7, 0, tzinfo=UTC)
BACKEND = f"{__name__}.CountingBackend"


class CountingBackend(EmailBackend):
    """The local-memory backend that also notes each connection opened and closed, and the messages sent on it.

    ``refuse_connections`` makes opening fail, as a mail server that cannot be reached does."""

    log: list = []
    refuse_connections = False

    def open(self):
        if CountingBackend.refuse_connections:
            raise ConnectionRefusedError(111, "Connection refused")
        CountingBackend.log.append(["open"])
        return True

    def send_messages(self, messages):
        CountingBackend.log[-1].append(len(messages))
        return super().send_messages(messages)

    def close(self):
        CountingBackend.log[-1].append("close")


@pytest.fixture
def counted(settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    settings.EMAIL_BACKEND = BACKEND
    CountingBackend.log, CountingBackend.refuse_connections = [], False
    return CountingBackend


def due(organization, number):
    world = World(organization)
    people = [EmployeeFactory(organization=organization) for _ in range(3)]
    return [world.reminder(people[n % 3], NOW - datetime.timedelta(minutes=number - n)) for n in range(number)]


def statuses(rows):
    return [Reminder.objects.get(pk=row.pk).status for row in rows]


def test_a_batch_goes_out_over_one_connection(tenant_a, fake_mail, counted):
    rows = due(tenant_a.organization, 5)

    tick = reminders_dispatch(batch_size=100)

    assert tick.sent == 5
    assert counted.log == [["open", 1, 1, 1, 1, 1, "close"]]
    assert statuses(rows) == [ReminderStatus.SENT] * 5


def test_each_batch_has_its_own_connection(tenant_a, fake_mail, counted):
    due(tenant_a.organization, 5)

    assert reminders_dispatch(batch_size=2).sent == 5
    assert counted.log == [["open", 1, 1, "close"], ["open", 1, 1, "close"], ["open", 1, "close"]]


def test_a_refused_message_drops_the_connection_and_the_rest_go_out_on_a_new_one(tenant_a, fake_mail, counted):
    rows = due(tenant_a.organization, 4)
    fake_mail.refuse = {rows[1].recipient.user.email}  # the second row's person, who has no other row

    tick = reminders_dispatch()

    assert (tick.sent, tick.retrying) == (3, 1)
    assert statuses(rows) == [ReminderStatus.SENT, ReminderStatus.PLANNED, ReminderStatus.SENT, ReminderStatus.SENT]
    refused = Reminder.objects.get(pk=rows[1].pk)
    assert refused.attempts == 1 and "SMTPRecipientsRefused" in refused.last_error
    # The refusal came before anything reached the backend; the connection was closed and a new one opened.
    assert counted.log == [["open", 1, "close"], ["open", 1, 1, "close"]]


def test_a_mail_server_that_cannot_be_reached_fails_each_reminder_for_a_later_retry(tenant_a, fake_mail, counted):
    rows = due(tenant_a.organization, 3)
    counted.refuse_connections = True

    tick = reminders_dispatch()

    assert (tick.sent, tick.retrying) == (0, 3)
    assert statuses(rows) == [ReminderStatus.PLANNED] * 3  # none left "being sent": nothing was handed over
    assert all(
        "ConnectionRefusedError" in row.last_error for row in Reminder.objects.filter(pk__in=[r.pk for r in rows])
    )
    assert fake_mail.sent == {}


def test_a_server_that_hangs_up_midway_costs_one_reconnect(tenant_a, fake_mail, counted, monkeypatch):
    rows = due(tenant_a.organization, 4)
    calls = []
    send = CountingBackend.send_messages

    def hangs_up_once(self, messages):
        calls.append(1)
        if len(calls) == 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return send(self, messages)

    monkeypatch.setattr(CountingBackend, "send_messages", hangs_up_once)

    tick = reminders_dispatch()

    assert (tick.sent, tick.retrying) == (3, 1)
    assert statuses(rows)[1] == ReminderStatus.PLANNED
    assert counted.log == [["open", 1, "close"], ["open", 1, 1, "close"]]
