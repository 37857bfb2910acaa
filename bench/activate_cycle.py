"""Time activating a cycle for 10,000 people (3 template moments → 30,000 conversations), then activating again.

Activation and planning the reminders it causes are timed apart: with a
broker the planning runs in a Celery worker after the activation commits;
without one it runs in the request, so the person activating waits for both.

Run from the project root, against the database DATABASE_URL names (SQLite's
db.sqlite3 by default):

    DEBUG=true .venv/bin/python bench/activate_cycle.py
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/helder_bench .venv/bin/python bench/activate_cycle.py

(`make bench` runs every script in bench/.) It works in a throwaway
organisation with its own email domain and deletes it, its people, teams,
cycle, conversations and logins afterwards, also when a step fails. An
unmigrated database is migrated first, as `make run` would.
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from accounts.models import User  # noqa: E402
from cycles.models import Conversation, Cycle, Reminder  # noqa: E402
from cycles.planning import reminders_plan  # noqa: E402
from cycles.services import cycle_activate, cycle_create  # noqa: E402
from organizations.models import Employee, Organization, Team  # noqa: E402

PEOPLE = 10_000
TEAMS = 20
BATCH = 2000
LIMIT_SECONDS = 5.0  # "10,000 employees in a few seconds"


def timed(label, function, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function(**kwargs)
        elapsed = time.perf_counter() - start
    print(f"  {label:<20} {elapsed * 1000:8.0f} ms  {len(queries):4d} queries")
    return result, elapsed


def migrate_if_needed():
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("The database has unapplied migrations; migrating first.")
        call_command("migrate", verbosity=0)


def build_people(organization, domain):
    """10,000 logins and memberships in bulk (unusable passwords: nobody logs in), spread over the teams."""
    teams = Team.objects.bulk_create(Team(organization=organization, name=f"Team {n:02d}") for n in range(TEAMS))
    users = User.objects.bulk_create(
        (User(email=f"p{n:05d}@{domain}", password="!") for n in range(PEOPLE)), batch_size=BATCH
    )
    if users[0].pk is None:  # backends that do not return ids from bulk inserts
        users = list(User.objects.filter(email__iendswith=f"@{domain}").order_by("email"))
    Employee.objects.bulk_create(
        (
            Employee(
                organization=organization, user=user, first_name="Persoon", last_name=f"{n:05d}", team=teams[n % TEAMS]
            )
            for n, user in enumerate(users)
        ),
        batch_size=BATCH,
    )


def clean_up(organization, domain):
    with scopes_disabled():
        Conversation.objects.filter(organization=organization).delete()
        Cycle.objects.filter(organization=organization).delete()
        Employee.objects.filter(organization=organization).update(manager=None)
        Employee.objects.filter(organization=organization).delete()
        Team.objects.filter(organization=organization).delete()
        organization.delete()
        User.objects.filter(email__iendswith=f"@{domain}").delete()


def main():
    migrate_if_needed()
    token = secrets.token_hex(4)
    domain = f"bench-{token}.example"
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); {PEOPLE} people, {TEAMS} teams")
    organization = Organization.objects.create(name=f"Bench {token}", slug=f"bench-{token}")
    try:
        with scope(organization=organization):
            start = time.perf_counter()
            build_people(organization, domain)
            print(f"  {'set-up (bulk people)':<20} {(time.perf_counter() - start) * 1000:8.0f} ms")
            cycle = cycle_create(
                organization=organization, name="2027", starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31)
            )
            moments = cycle.moments.count()
            with mock.patch("cycles.services.changes.changed"):  # planned below, on its own clock
                created, first = timed("activate", cycle_activate, cycle=cycle)
            rows = Conversation.objects.filter(organization=organization).count()
            print(f"  → {created} new conversations; {rows} rows ({PEOPLE} people × {moments} moments)")
            assert created == rows == PEOPLE * moments, (created, rows)
            planned, planning = timed("plan reminders", reminders_plan, cycle=cycle)
            print(f"  → {planned['created']} reminders ({Reminder.objects.filter(cycle=cycle).count()} rows)")
            _same, _replan = timed("plan again", reminders_plan, cycle=cycle)
            assert _same == {"created": 0, "moved": 0, "removed": 0}, _same
            with mock.patch("cycles.services.changes.changed"):
                again, _second = timed("activate again", cycle_activate, cycle=cycle)
            rows_after = Conversation.objects.filter(organization=organization).count()
            print(f"  → {again} new conversations; {rows_after} rows")
            assert again == 0 and rows_after == rows
            verdict = "within" if first <= LIMIT_SECONDS else "OVER"
            print(f"First activation {first:.2f} s: {verdict} the {LIMIT_SECONDS:.0f} s budget.")
            print(f"Activation with reminder planning in the request (no broker): {first + planning:.2f} s.")
    finally:
        clean_up(organization, domain)
    print("Cleaned up the bench organisation.")


if __name__ == "__main__":
    main()
