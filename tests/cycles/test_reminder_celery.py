"""The dispatcher as it runs: beat's task through Redis to a real Celery worker, and the command without Celery.

The worker runs in a thread of this process (celery.contrib.testing), so it
shares the locmem mail outbox and, with ``transaction=True``, sees the rows
the test committed. It listens on a queue of its own, so that another test
run or a developer's worker on the same Redis never takes these tasks.
"""

import datetime
import io
import logging
import secrets
import time
from datetime import UTC

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connections

from config.celery import app
from cycles import services
from cycles.models import CycleStatus, MomentKind, Reminder, ReminderAnchor, ReminderAudience, ReminderRule
from cycles.models import ReminderStatus as Status
from cycles.tasks import dispatch_reminders
from tests.factories import CycleFactory, MomentFactory

D, T = datetime.date, datetime.time
WAIT_SECONDS = 30


def due_reminder(organization, recipient, key="celery:1"):
    cycle = CycleFactory(organization=organization, status=CycleStatus.ACTIVE)
    rule = ReminderRule.objects.create(
        organization=organization,
        cycle=cycle,
        anchor=ReminderAnchor.WINDOW_OPENS,
        offset_days=0,
        time_of_day=T(9, 0),
        audience=ReminderAudience.MANAGER,
    )
    due = datetime.datetime.now(UTC) - datetime.timedelta(minutes=1)
    return Reminder.objects.create(
        organization=organization,
        cycle=cycle,
        rule=rule,
        recipient=recipient,
        moment=MomentFactory(cycle=cycle),
        key=key,
        due_at=due,
        next_try_at=due,
    )


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"waited {WAIT_SECONDS} s for {what}")


# A real worker on Redis


@pytest.fixture
def worker(redis_url, settings):
    """A Celery worker thread on Redis, with the app not eager; the test settings come back afterwards."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue = f"helder-test-{secrets.token_hex(6)}"
    names = ("broker_url", "task_always_eager", "task_default_queue", "worker_enable_remote_control")
    saved = {name: app.conf[name] for name in names}
    app.conf.update(
        broker_url=redis_url, task_always_eager=False, task_default_queue=queue, worker_enable_remote_control=False
    )

    def close_connections(**kwargs):
        # The worker thread's own database connection: closed after each task, or dropping the test
        # database on PostgreSQL would find it still in use.
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    root = logging.getLogger()
    logging_before = (root.level, list(root.handlers))  # the embedded worker sets up logging for itself
    try:
        with start_worker(app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
            yield queue
    finally:
        root.setLevel(logging_before[0])
        root.handlers[:] = logging_before[1]
        task_postrun.disconnect(close_connections)
        app.conf.update(saved)
        app.amqp.queues._consume_from = None  # a later worker consumes the default queues again
        client = redis.Redis.from_url(redis_url)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        assert app.conf.task_always_eager is True


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("enqueue", ["beat entry by name", "delay"])
def test_the_beat_task_goes_through_redis_to_a_worker_that_sends_the_due_reminder(worker, tenant_a, fake_mail, enqueue):
    reminder = due_reminder(tenant_a.organization, tenant_a.manager)

    if enqueue == "delay":
        dispatch_reminders.delay()
    else:
        # What beat does with its one schedule entry.
        entry = django_settings.CELERY_BEAT_SCHEDULE["dispatch-reminders"]
        assert entry["task"] == "cycles.dispatch_reminders" and entry["task"] in app.tasks
        app.send_task(entry["task"], **entry.get("options", {}))

    wait_for(lambda: len(mail.outbox) == 1, "the reminder to reach the outbox")
    assert mail.outbox[0].to == [tenant_a.manager.user.email]
    wait_for(lambda: Reminder.objects.get(pk=reminder.pk).status == Status.SENT, "the reminder to be marked sent")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_after_commit_the_planner_runs_in_the_worker(worker, tenant_a):
    """Activation enqueues plan_reminders after it commits; the worker plans (the task's arguments survive JSON)."""
    year = datetime.date.today().year + 1  # a year ahead, so no reminder is in the past; within cycles.bounds
    cycle = services.cycle_create(
        organization=tenant_a.organization,
        name=str(year),
        starts_on=D(year, 1, 1),
        ends_on=D(year, 12, 31),
        from_template=False,
    )
    services.moment_save(
        cycle=cycle,
        kind=MomentKind.PROGRESS,
        name_nl="Voortgang",
        purpose_nl="Bijsturen.",
        opens_on=D(year, 3, 1),
        closes_on=D(year, 3, 31),
    )

    services.cycle_activate(cycle=cycle)  # commits, then enqueues

    wait_for(
        lambda: Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.WINDOW_OPENS).count() == 5,
        "the worker to plan the window reminders",
    )


# Without Celery: the management command


@pytest.mark.django_db
def test_send_due_reminders_once_sends_what_is_due_and_says_so(tenant_a, fake_mail):
    reminder = due_reminder(tenant_a.organization, tenant_a.manager)
    out = io.StringIO()

    call_command("send_due_reminders", stdout=out)

    assert out.getvalue() == "reminders: 1 sent, 0 failed, 0 to retry, 0 missed, 0 skipped\n"
    assert Reminder.objects.get(pk=reminder.pk).status == Status.SENT
    assert [message.to for message in mail.outbox] == [[tenant_a.manager.user.email]]

    again = io.StringIO()
    call_command("send_due_reminders", stdout=again)
    assert again.getvalue().startswith("reminders: 0 sent")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("seconds", ["0", "-5"])
def test_send_due_reminders_refuses_a_loop_of_less_than_a_second(seconds):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("send_due_reminders", "--loop", seconds)
