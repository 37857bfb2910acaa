"""What the cycles tests share beyond tests/kit.py: a stand-in for the reminder email that counts what went out,
and the overdue list's July (tests/cycles/overdue_world.py) for tests/cycles/test_overdue_*.py. A module that
defines a fixture of the same name (``year``, ``after_commit``) uses its own."""

import smtplib
import threading

import pytest
import time_machine
from django.core.mail import EmailMessage

from tests.cycles.overdue_world import JULY, overdue_year
from tests.kit import client_for


class Halt(BaseException):
    """Something that is not an Exception, as a KeyboardInterrupt or a worker's shutdown would be."""


class FakeMail:
    """Stands in for cycles.mail.reminder_message: a plain message to the recipient, counted per reminder key.

    Thread-safe, so that dispatchers running at once can share it. ``sent``: per key, how many messages reached
    the mail backend; ``calls``: how often a message was asked for. A test may set ``refuse`` (addresses the "SMTP
    server" refuses), ``halt_on`` (a key whose sending stops the whole dispatcher with ``FakeMail.Halt``) and
    ``pause`` (seconds per message, so that two dispatchers really interleave).
    """

    Halt = Halt

    def __init__(self):
        self.lock = threading.Lock()
        self.sent: dict[str, int] = {}
        self.calls: dict[str, int] = {}
        self.refuse: set[str] = set()
        self.halt_on: str | None = None
        self.pause = 0.0

    def __call__(self, reminder):
        fake, key, address = self, reminder.key, reminder.recipient.user.email
        with self.lock:
            self.calls[key] = self.calls.get(key, 0) + 1

        class Counted(EmailMessage):
            def send(self, fail_silently=False):
                if key == fake.halt_on:
                    raise Halt(key)
                if address in fake.refuse:
                    raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 No such user")})
                if fake.pause:
                    threading.Event().wait(fake.pause)
                count = super().send(fail_silently)
                with fake.lock:
                    fake.sent[key] = fake.sent.get(key, 0) + 1
                return count

        return Counted(f"Reminder {key}", "Body", to=[address])


@pytest.fixture
def fake_mail(monkeypatch):
    """cycles.mail.reminder_message replaced by a FakeMail, which the test gets to set and read."""
    fake = FakeMail()
    monkeypatch.setattr("cycles.mail.reminder_message", fake)
    return fake


# --- the overdue list's July (tests/cycles/test_overdue_*.py) ---------------------------------------------------


@pytest.fixture
def july():
    with time_machine.travel(JULY):
        yield


@pytest.fixture
def year(tenant_a):
    """The overdue world: tenant_a's active cycle with June's window closed (tests/cycles/overdue_world.py)."""
    return overdue_year(tenant_a)


@pytest.fixture
def hr_in_july(tenant_a, july):
    return client_for(tenant_a.hr)


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
