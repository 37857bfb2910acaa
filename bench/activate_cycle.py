"""Time activating a cycle for 10,000 people through its page (3 template moments → 30,000 conversations, about
32,000 reminders), then planning and activating again.

The organisation looks like the large demo's: 300 teams of 33 or 34, each
with a manager among its members, and 4 HR admins, so the planner makes
every kind of reminder the default rules ask for (the employees' and the
managers' window reminders, the HR admins' weekly digest). An HR admin
activates the cycle as a person would: the confirmation page (GET), the
button (POST, ``confirm=yes``) and the cycle page it leads to. The POST is
timed as a whole and split into its two parts: creating the conversations
(``services.cycle_activate``) and planning the reminders
(``planning.reminders_plan``).

- Without a broker (no REDIS_URL: ``make run``, eager Celery) the planning
  runs in the request, so the POST is everything the person waits for. The
  goal: under 10 s.
- With REDIS_URL the request only queues the planning (cycles.plan_requests)
  and answers; the goal is the POST and the cycle page within 2 s. The
  cycle page must then say that the reminders are being planned. The
  script plans the waiting request itself, as the worker would, and times
  that (with a Celery worker running on the same Redis and database, it
  waits for the worker instead and times that). The task it queued stays in
  Redis until a worker takes it; that worker finds the request gone and
  does nothing.

Run from the project root, against the database DATABASE_URL names (SQLite's
db.sqlite3 by default):

    DEBUG=true .venv/bin/python bench/activate_cycle.py
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/helder_bench .venv/bin/python bench/activate_cycle.py
    DEBUG=true DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/activate_cycle.py

On PostgreSQL the tables it touches are vacuumed and analysed after the
set-up, as autovacuum would have them (see ``steady_state``); what the
activation inserts is not, so the page after it runs on the statistics of
before, as it would on a real server for its first minute.

(`make bench` runs every script in bench/.) It works in a throwaway
organisation with its own email domain and deletes it, its people, teams,
cycle, conversations, reminders and logins afterwards, also when a step
fails. An unmigrated database is migrated first, as `make run` would.
"""

import os
import secrets
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from unittest import mock  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from accounts.models import User  # noqa: E402
from cycles import plan_requests, services, tasks  # noqa: E402
from cycles.models import Conversation, Cycle, PlanRequest, Reminder  # noqa: E402
from cycles.planning import reminders_plan  # noqa: E402
from cycles.services import cycle_activate, cycle_create  # noqa: E402
from organizations.models import Employee, Organization, Role, Team  # noqa: E402

PEOPLE = 10_000
TEAMS = 300
HR_ADMINS = 4
BATCH = 2000
WITHOUT_BROKER_SECONDS = 10.0  # everything the person activating waits for when the planning runs in the request
WITH_BROKER_SECONDS = 2.0  # the button and the page it leads to, when a worker plans
WORKER_WAIT_SECONDS = 300  # how long to wait for a running worker before giving up
BEING_PLANNED = 'id="reminders-planning"'  # the cycle page's notice (templates/cycles/cycle_detail.html)


class Stopwatch:
    """Wraps a function so that each call's duration is added up (the parts of one request)."""

    def __init__(self, function):
        self.function = function
        self.seconds = 0.0

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def line(label, seconds, queries=None, note=""):
    count = "" if queries is None else f"{queries:5d} queries"
    print(f"  {label:<36} {seconds * 1000:8.0f} ms  {count:<13} {note}".rstrip())


def timed(label, function, **kwargs):
    reset_queries()  # DEBUG keeps the last 9,000 queries; a full log would capture none
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function(**kwargs)
        elapsed = time.perf_counter() - start
    line(label, elapsed, len(queries))
    return result, elapsed


def request(label, send, path, **data):
    """One request of the test client, timed, with its query count."""
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = send(path, data) if data else send(path)
        elapsed = time.perf_counter() - start
    line(label, elapsed, len(queries), f"HTTP {response.status_code}")
    return response, elapsed


def migrate_if_needed():
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("The database has unapplied migrations; migrating first.")
        call_command("migrate", verbosity=0)


def build_people(organization, domain):
    """10,000 logins and memberships in bulk (unusable passwords: the bench logs its HR admin in directly).

    Person n is in team n % 300; the first 300 are their teams' managers, the next 4 HR admins. Returns the first
    HR admin's login.
    """
    now = timezone.now()
    teams = Team.objects.bulk_create(Team(organization=organization, name=f"Team {n:03d}") for n in range(TEAMS))
    users = User.objects.bulk_create(
        (User(email=f"p{n:05d}@{domain}", password="!") for n in range(PEOPLE)), batch_size=BATCH
    )
    if users[0].pk is None:  # backends that do not return ids from bulk inserts
        users = list(User.objects.filter(email__iendswith=f"@{domain}").order_by("email"))

    def person(n, **fields):
        return Employee(
            organization=organization,
            user=users[n],
            first_name="Persoon",
            last_name=f"{n:05d}",
            team=teams[n % TEAMS],
            joined_at=now,
            **fields,
        )

    managers = Employee.objects.bulk_create(person(n, role=Role.MANAGER) for n in range(TEAMS))
    if managers[0].pk is None:
        managers = list(Employee.objects.filter(organization=organization).order_by("sort_name", "pk"))
    Employee.objects.bulk_create(
        (
            person(n, role=Role.HR_ADMIN if n < TEAMS + HR_ADMINS else Role.EMPLOYEE, manager=managers[n % TEAMS])
            for n in range(TEAMS, PEOPLE)
        ),
        batch_size=BATCH,
    )
    return users[TEAMS]


def steady_state():
    """On PostgreSQL, vacuum and analyse the tables an activation reads and writes, as autovacuum keeps them on a
    running server (this bench's own rows included: 10,000 people just inserted). A bench machine may run with
    autovacuum off, where the dead rows of earlier runs pile up and the statistics never follow. What the activation
    itself inserts is not analysed: right after it, a real server has not analysed it either."""
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in (Employee, Conversation, Reminder, PlanRequest)]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def clean_up(organization, domain):
    with scopes_disabled():
        PlanRequest.objects.filter(organization=organization).delete()
        Reminder.objects.filter(organization=organization).delete()
        Conversation.objects.filter(organization=organization).delete()
        Cycle.objects.filter(organization=organization).delete()
        Employee.objects.filter(organization=organization).update(manager=None)
        Employee.objects.filter(organization=organization).delete()
        Team.objects.filter(organization=organization).delete()
        organization.delete()
        User.objects.filter(email__iendswith=f"@{domain}").delete()


def wait_for_the_planning(cycle) -> float:
    """With a broker: plan the waiting request here, as the worker would, or wait for a running worker."""
    waiting = PlanRequest.objects.filter(cycle=cycle)
    unclaimed = list(waiting.filter(claim="").values_list("pk", flat=True))
    if unclaimed:
        _planned, elapsed = timed(
            "planning (as the worker does)", plan_requests.plan_requests_process, request_ids=unclaimed
        )
        return elapsed
    start = time.perf_counter()
    while waiting.exists():
        if time.perf_counter() - start > WORKER_WAIT_SECONDS:
            raise SystemExit(f"The running worker did not plan the activation within {WORKER_WAIT_SECONDS} s.")
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    line("planning (by a running worker)", elapsed, note="measured from the answer; includes its pick-up")
    return elapsed


def main():
    migrate_if_needed()
    broker = not settings.CELERY_TASK_ALWAYS_EAGER
    token = secrets.token_hex(4)
    domain = f"bench-{token}.example"
    print(
        f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); {PEOPLE:,} people in {TEAMS} teams with"
        f" a manager each, {HR_ADMINS} HR admins; "
        + ("broker: Redis (a worker plans)" if broker else "no broker (the request plans)")
    )
    organization = Organization.objects.create(name=f"Bench {token}", slug=f"bench-{token}")
    try:
        with scopes_disabled(), override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            start = time.perf_counter()
            hr = build_people(organization, domain)
            cycle = cycle_create(
                organization=organization, name="2027", starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31)
            )
            steady_state()
            line("set-up (bulk people, the cycle)", time.perf_counter() - start)
            moments = cycle.moments.count()
            client = Client()
            client.force_login(hr)
            activate = reverse("cycles:cycle_activate", kwargs={"org_slug": organization.slug, "cycle_id": cycle.pk})
            page = reverse("cycles:cycle_detail", kwargs={"org_slug": organization.slug, "cycle_id": cycle.pk})
            request("confirmation page (GET)", client.get, activate)
            activating = Stopwatch(services.cycle_activate)
            planning = Stopwatch(tasks.plan_requests_process)  # the task's whole work, its commit included
            with (
                mock.patch("cycles.services.cycle_activate", activating),
                mock.patch("cycles.tasks.plan_requests_process", planning),
            ):
                response, posted = request("activate (POST, the whole request)", client.post, activate, confirm="yes")
            assert response.status_code == 302, response
            # Without a broker the task runs when the activation commits, inside services.cycle_activate.
            line("  of which: the conversations", activating.seconds - planning.seconds)
            if not broker:
                line("  of which: planning the reminders", planning.seconds)
            response, shown = request("the cycle page it leads to (GET)", client.get, page)
            notice = BEING_PLANNED in response.content.decode()
            conversations = Conversation.objects.filter(organization=organization).count()
            assert conversations == PEOPLE * moments, (conversations, PEOPLE * moments)
            if broker:
                print(f"  → the cycle page says the reminders are being planned: {'yes' if notice else 'NO'}")
                worker = wait_for_the_planning(cycle)
                response, _again = request("the cycle page after the planning", client.get, page)
                if BEING_PLANNED in response.content.decode():
                    print("  → STILL says the reminders are being planned")
            reminders = Reminder.objects.filter(cycle=cycle).count()
            print(
                f"  → {conversations:,} conversations ({PEOPLE:,} people × {moments} moments); {reminders:,} reminders"
            )
            _same, _replan = timed("plan again (nothing changes)", reminders_plan, cycle=cycle)
            assert _same == {"created": 0, "moved": 0, "removed": 0}, _same
            with mock.patch("cycles.services.changes.changed"):
                again, _second = timed("activate again (nothing new)", cycle_activate, cycle=cycle)
            assert again == 0 and Conversation.objects.filter(organization=organization).count() == conversations
            if broker:
                waited = posted + shown
                verdict = "within" if waited <= WITH_BROKER_SECONDS else "OVER"
                print(
                    f"With a broker the person activating waits {waited:.2f} s (button and page): {verdict} the"
                    f" {WITH_BROKER_SECONDS:.0f} s goal; the worker then plans for {worker:.2f} s."
                )
            else:
                verdict = "within" if posted <= WITHOUT_BROKER_SECONDS else "OVER"
                print(
                    f"Without a broker the button takes {posted:.2f} s, planning included: {verdict} the"
                    f" {WITHOUT_BROKER_SECONDS:.0f} s goal (and {shown:.2f} s for the page after it)."
                )
    finally:
        clean_up(organization, domain)
    print("Cleaned up the bench organisation.")


if __name__ == "__main__":
    main()
