"""A dispatcher killed with SIGKILL in the middle of a batch: nothing twice, nothing lost, at most one row uncertain.

Each dispatcher marks a reminder in flight only right before its own send
(cycles.dispatch), so a killed one leaves at most the row it was sending in
doubt; every other due row is still PLANNED and the next tick sends it.

Two setups, each with two dispatchers over one queue and one of them killed
mid-batch by ``kill -9``:

- production's: PostgreSQL, Redis and two real Celery worker processes of the
  project's app consuming beat's task (``cycles.dispatch_reminders``), 2,100
  due reminders, then a third worker in place of the killed one (as a process
  supervisor would start it). Needs both services; under
  ``CI=true`` their absence is a failure, not a skip;
- the embedded one: two ``send_due_reminders``-style processes over one
  SQLite file (no services needed).

The messages are plain ones carrying the reminder's id (rendering is tested
elsewhere). The mail server is a stand-in that takes a few milliseconds per
message and writes down each message it accepted, with that id, flushed and
fsynced before it answers, so a message the dead process handed over is on
record. The figures: duplicates (messages for one reminder beyond the first),
lost (rows neither sent nor failed as "may have gone out", and never sent),
uncertain (rows failed as "may have gone out" or still in flight).
"""

import collections
import datetime
import functools
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import UTC
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection
from django.utils import timezone

from accounts.models import User
from cycles.dispatch import INTERRUPTED, STALE_CLAIM, reminders_dispatch
from cycles.models import (
    Conversation,
    CycleStatus,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
    ReminderStatus,
)
from organizations.models import Employee
from tests.conftest import need
from tests.factories import CycleFactory, MomentFactory

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
DUE = 2100
PEOPLE = 30
SEND_SECONDS = 0.002  # the stand-in mail server's time per message
# Seconds the Celery run may take at most: about 40 on an idle 2-core machine; the margin is for a busy one.
DEADLINE = 150

# What both setups' processes load first: the stand-in mail server, and reminders tagged with their id.
RECORDING_MAIL = """
import os, time

import django

django.setup()
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

import cycles.mail

RECORD = os.environ["HELDER_RECORD"]


def tagged(reminder):
    # A plain message (rendering is tested elsewhere), carrying the reminder's id for the record.
    return EmailMessage(
        f"Reminder {reminder.key}", "Body", to=[reminder.recipient.user.email],
        headers={"X-Helder-Reminder": str(reminder.pk)},
    )


class RecordingBackend(BaseEmailBackend):
    # A mail server that takes a moment per message and keeps, durably, a line for each one it accepted.
    def send_messages(self, messages):
        with open(RECORD, "a") as record:
            for message in messages:
                time.sleep(float(os.environ["HELDER_SEND_SECONDS"]))
                record.write(message.extra_headers["X-Helder-Reminder"] + "\\n")
                record.flush()
                os.fsync(record.fileno())
        return len(messages)


cycles.mail.reminder_message = tagged
settings.EMAIL_BACKEND = "__main__.RecordingBackend"
"""

CELERY_WORKER = (
    RECORDING_MAIL
    + """
import sys

from config.celery import app

app.conf.update(broker_url=os.environ["REDIS_URL"], task_always_eager=False, worker_hijack_root_logger=False)
app.worker_main([
    "worker", "--pool=solo", "--queues", sys.argv[1], "--hostname", sys.argv[2], "--loglevel=WARNING",
    "--without-gossip", "--without-mingle", "--without-heartbeat",
])
"""
)

SQLITE_DISPATCHER = (
    RECORDING_MAIL
    + """
from cycles.dispatch import reminders_dispatch

reminders_dispatch(batch_size=100)
"""
)


def sent_lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def lines(path: Path) -> int:
    return len(sent_lines(path))


class Figures:
    """Duplicates, lost and uncertain rows, from the mail server's record and each row's (pk, status, error)."""

    def __init__(self, records: list[Path], rows: list[tuple[int, str, str]]):
        sent = collections.Counter(int(line) for record in records for line in sent_lines(record))
        uncertain = {
            pk
            for pk, status, error in rows
            if status == ReminderStatus.SENDING or (status == ReminderStatus.FAILED and error == INTERRUPTED)
        }
        settled = [(pk, status) for pk, status, _error in rows if pk not in uncertain]
        self.messages = sum(sent.values())
        self.duplicates = sum(count - 1 for count in sent.values() if count > 1)
        self.lost = sum(1 for pk, status in settled if status != ReminderStatus.SENT and not sent[pk])
        self.uncertain = len(uncertain)
        # The record and the rows agree: what is marked sent went out, and what went out is marked sent.
        self.disagreements = sorted(pk for pk, status in settled if (status == ReminderStatus.SENT) != bool(sent[pk]))
        self.left_planned = sum(1 for _pk, status in settled if status == ReminderStatus.PLANNED)

    def __str__(self):
        return f"{self.messages} messages: {self.duplicates} duplicates, {self.lost} lost, {self.uncertain} uncertain"

    def check(self, dispatchers: int):
        assert self.duplicates == 0
        assert self.lost == 0
        assert self.uncertain <= dispatchers
        assert self.disagreements == []
        assert self.left_planned == 0


def wait_until(condition, seconds, what, logs=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    tails = "".join(f"\n--- {log.name}:\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    pytest.fail(f"waited {seconds:.0f} s for {what}{tails}")


# PostgreSQL, Redis and real Celery workers


def due_reminders(organization, number):
    """``number`` reminders due a minute ago, about window openings, over PEOPLE people with real addresses."""
    cycle = CycleFactory(organization=organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle)
    rule = ReminderRule.objects.create(
        organization=organization,
        cycle=cycle,
        anchor=ReminderAnchor.WINDOW_OPENS,
        offset_days=0,
        time_of_day=datetime.time(9),
        audience=ReminderAudience.EMPLOYEE,
    )
    people = [
        Employee.objects.create(
            organization=organization, user=User.objects.create_user(f"crash{n}@example.org"), first_name=f"P{n}"
        )
        for n in range(PEOPLE)
    ]
    conversations = Conversation.objects.bulk_create(
        Conversation(organization=organization, moment=moment, employee=person) for person in people
    )
    due = datetime.datetime.now(UTC) - datetime.timedelta(minutes=1)
    rows = Reminder.objects.bulk_create(
        Reminder(
            organization=organization,
            cycle=cycle,
            rule=rule,
            recipient=people[n % PEOPLE],
            conversation=conversations[n % PEOPLE],
            key=f"crash:{n}",
            due_at=due,
            next_try_at=due,
        )
        for n in range(number)
    )
    return [row.pk for row in rows]


@pytest.fixture
def services_up(request):
    """REDIS_URL, once PostgreSQL and Redis are both there."""
    if connection.vendor != "postgresql":
        need("the crash test needs PostgreSQL (set DATABASE_URL)")
    return request.getfixturevalue("redis_url")


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def forget_queue(url: str, queue: str) -> None:
    """Remove the test's queue from Redis, with the message the killed worker held unacknowledged."""
    client = redis.Redis.from_url(url)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, payload in client.hgetall("unacked").items():
        if json.loads(payload)[-1] == queue:  # [message, exchange, routing key]
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_killed_mid_batch_sends_nothing_twice_loses_nothing_and_leaves_one_row_uncertain(
    services_up, tenant_a, tmp_path
):
    pks = due_reminders(tenant_a.organization, DUE)
    queue = f"helder-crash-{secrets.token_hex(6)}"
    # Two workers, then the one that replaces the killed worker (as a process supervisor would start it).
    records = [tmp_path / f"worker{n}.sent" for n in range(WORKERS + 1)]
    logs = [tmp_path / f"worker{n}.log" for n in range(WORKERS + 1)]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": services_up,
        "HELDER_SEND_SECONDS": str(SEND_SECONDS),
    }
    workers = []
    sender = Celery("crash-test", broker=services_up, set_as_current=False)

    def start_worker(n):
        with logs[n].open("w") as output:
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-c", CELERY_WORKER, queue, f"worker{n}@{queue}"],
                    cwd=ROOT,
                    env={**env, "HELDER_RECORD": str(records[n])},
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            )
        sender.send_task("cycles.dispatch_reminders", queue=queue)  # beat's tick, one for each worker

    started = time.monotonic()
    try:
        for n in range(WORKERS):
            start_worker(n)
        # Both workers busy in their batches, most of the queue still to go: kill one.
        wait_until(lambda: all(lines(records[n]) >= 100 for n in range(WORKERS)), 40, "both workers to send", logs)
        victim = max(range(WORKERS), key=lambda n: lines(records[n]))
        os.kill(workers[victim].pid, signal.SIGKILL)
        workers[victim].wait(10)
        at_kill = sum(lines(record) for record in records)
        assert at_kill < DUE / 2, "the kill should come mid-run"

        # A new worker and beat's next ticks send what is left, the dead worker's unattempted rows included.
        start_worker(WORKERS)
        wait_until(
            lambda: not Reminder.objects.filter(pk__in=pks, status=ReminderStatus.PLANNED).exists(),
            DEADLINE - (time.monotonic() - started),
            "the remaining reminders to go out",
            logs,
        )
        assert sum(lines(records[n]) for n in range(len(records)) if n != victim) > DUE / 2
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(5)
        sender.close()
        forget_queue(services_up, queue)

    # A quarter of an hour on, the dead worker's in-flight row is failed for HR to judge; then count.
    reminders_dispatch(now=timezone.now() + STALE_CLAIM + datetime.timedelta(minutes=1))
    figures = Figures(records, list(Reminder.objects.filter(pk__in=pks).values_list("pk", "status", "last_error")))
    print(
        f"\nCelery on PostgreSQL and Redis, {WORKERS} workers, {DUE} due, one killed after {at_kill} messages: "
        f"{figures} ({time.monotonic() - started:.1f} s)"
    )
    figures.check(WORKERS)


# SQLite: two dispatcher processes over one database file

SQLITE_SETUP = """
import datetime

import django

django.setup()
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from cycles.models import Conversation, Cycle, Moment, Reminder, ReminderRule
from organizations.models import Employee, Organization

with scopes_disabled():
    organization = Organization.objects.create(name="Proces BV", slug="proces")
    people = [
        Employee.objects.create(
            organization=organization, user=User.objects.create_user(f"p{n}@example.org"), first_name=f"P{n}"
        )
        for n in range(10)
    ]
    cycle = Cycle.objects.create(
        organization=organization, name="2027", status="active",
        starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31),
    )
    moment = Moment.objects.create(
        organization=organization, cycle=cycle, name_nl="Voortgang", purpose_nl="Bijsturen.",
        opens_on=datetime.date(2027, 6, 1), closes_on=datetime.date(2027, 6, 30),
    )
    conversations = [Conversation.objects.create(organization=organization, moment=moment, employee=p) for p in people]
    rule = ReminderRule.objects.create(
        organization=organization, cycle=cycle, anchor="window_opens", offset_days=0,
        time_of_day=datetime.time(9), audience="employee",
    )
    due = timezone.now() - datetime.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(
            organization=organization, cycle=cycle, rule=rule, recipient=people[n % 10],
            conversation=conversations[n % 10], key=f"many:{n}", due_at=due, next_try_at=due,
        )
        for n in range(600)
    )
"""

SQLITE_JUDGE = """
import datetime, json, sys

import django

django.setup()
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.dispatch import STALE_CLAIM, reminders_dispatch
from cycles.models import Reminder

with scopes_disabled():
    reminders_dispatch(now=timezone.now() + STALE_CLAIM + datetime.timedelta(minutes=1))
    print(json.dumps(list(Reminder.objects.values_list("pk", "status", "last_error"))))
"""


def test_a_dispatcher_process_killed_mid_batch_on_sqlite_sends_nothing_twice_and_loses_nothing(tmp_path):
    database = tmp_path / "helder.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "HELDER_SEND_SECONDS": "0.002",
    }
    run = functools.partial(subprocess.run, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    run([sys.executable, "manage.py", "migrate", "--verbosity", "0"])
    run([sys.executable, "-c", SQLITE_SETUP])
    records = [tmp_path / f"dispatcher{n}.sent" for n in range(WORKERS)]

    def dispatcher(record):
        return subprocess.Popen(
            [sys.executable, "-c", SQLITE_DISPATCHER],
            cwd=ROOT,
            env={**env, "HELDER_RECORD": str(record)},
        )

    processes = [dispatcher(record) for record in records]
    try:
        wait_until(lambda: all(lines(record) >= 40 for record in records), 60, "both dispatchers to be sending")
        os.kill(processes[0].pid, signal.SIGKILL)
        processes[0].wait(10)
        processes[1].wait(120)
        assert processes[1].returncode == 0
        later = tmp_path / "later.sent"  # the next tick, after the survivor finished
        run([sys.executable, "-c", SQLITE_DISPATCHER], env={**env, "HELDER_RECORD": str(later)})
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()
    rows = json.loads(run([sys.executable, "-c", SQLITE_JUDGE]).stdout.splitlines()[-1])
    figures = Figures([*records, later], [tuple(row) for row in rows])

    print(f"\nSQLite, {WORKERS} dispatcher processes, 600 due, one killed mid-batch: {figures}")
    figures.check(1)  # only the killed one can have left a row in doubt
