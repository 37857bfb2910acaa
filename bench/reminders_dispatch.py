"""Time the reminder dispatcher over a large queue of planned reminders, and its throughput to an SMTP server.

The dispatcher runs every minute over every organisation, so the query that
finds due rows must cost the same whether a handful or a million reminders wait for a date
in the future. For each queue size (10,000, then 1,000,000 planned, not yet
due), the script adds 200 due reminders and times one tick (``reminders_dispatch``)
with the local-memory mail backend, so that the figure is the claim path and
its bookkeeping, not mail. It then shows the plan of the exact due-rows query the
tick ran (captured from the tick, EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY
PLAN on SQLite) and of the query that loads the batch for sending: the first
must go through the partial index ``reminder_due_idx``, the second through the
primary key, instead of scanning the planned future. (Each row is then claimed
by its own conditional update, by primary key, right before its send.)

Then the database's commit latency (a committed one-row UPDATE, a hundred
times): the dispatcher commits once per reminder, so that bounds its rate.
Last, reminders per second through the dispatcher to a real SMTP conversation
(three ticks of 1,000 by default, ``--smtp-runs``):
a small SMTP server on 127.0.0.1 in a process of its own (bench/smtp_sink.py:
no TLS, accepts everything, counts messages and connections). The dispatcher opens one
connection per batch of 100 (``cycles.mail.Outbox``), so 1,000 reminders
should arrive over 10 connections. The message itself is a fixed plain-text
email of about 1 KB (cycles.mail.reminder_message is replaced for the
bench), so the figure is dispatch and SMTP, not template rendering.

Run from the project root, against the database DATABASE_URL names (SQLite's
db.sqlite3 by default):

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/helder_bench .venv/bin/python bench/reminders_dispatch.py
    DEBUG=true .venv/bin/python bench/reminders_dispatch.py --sizes 10000

The default sizes are 10,000 and 1,000,000 on PostgreSQL (rows made in SQL
with ``generate_series``: under a minute with their indexes) and 10,000 on
SQLite, where the database is usually your db.sqlite3 (add ``--sizes
10000,1000000`` for the long version; the file keeps its size until VACUUM). (`make
bench` runs every script in bench/.) It works in a throwaway organisation and
deletes it, its reminders, people and logins afterwards, also when a step
fails. An unmigrated database is migrated first, as `make run` would. Run it
on a database where nothing else is due: a tick sends whatever is due.
"""

import argparse
import json
import os
import re
import secrets
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from unittest import mock  # noqa: E402

from django.core.mail import EmailMessage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from accounts.models import User  # noqa: E402
from bench import smtp_sink  # noqa: E402
from cycles.dispatch import reminders_dispatch  # noqa: E402
from cycles.models import (  # noqa: E402
    Cycle,
    CycleStatus,
    Moment,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
    ReminderStatus,
)
from organizations.models import Employee, Organization  # noqa: E402

PEOPLE = 50
DUE = 200
SMTP_MESSAGES = 1000
BATCH = 2000
LOCMEM = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
BODY = ("Your progress conversation window opens today. " * 22).strip()  # about 1 KB


def migrate_if_needed():
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("The database has unapplied migrations; migrating first.")
        call_command("migrate", verbosity=0)


class Bench:
    """The throwaway organisation: people, an active cycle with one moment and one rule, and its reminders."""

    def __init__(self, token):
        self.token = token
        self.domain = f"bench-{token}.example"
        self.organization = Organization.objects.create(name=f"Bench {token}", slug=f"bench-{token}")
        users = User.objects.bulk_create(User(email=f"p{n:03d}@{self.domain}", password="!") for n in range(PEOPLE))
        if users[0].pk is None:  # backends that do not return ids from bulk inserts
            users = list(User.objects.filter(email__iendswith=f"@{self.domain}").order_by("email"))
        Employee.objects.bulk_create(
            Employee(organization=self.organization, user=user, first_name="Persoon", last_name=f"{n:03d}")
            for n, user in enumerate(users)
        )
        self.people = list(Employee.objects.filter(organization=self.organization).values_list("pk", flat=True))
        self.cycle = Cycle.objects.create(
            organization=self.organization,
            name="2027",
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 12, 31),
            status=CycleStatus.ACTIVE,
        )
        self.moment = Moment.objects.create(
            organization=self.organization,
            cycle=self.cycle,
            name_nl="Voortgang",
            purpose_nl="Bijsturen.",
            opens_on=date(2027, 6, 1),
            closes_on=date(2027, 6, 30),
        )
        self.rule = ReminderRule.objects.create(
            organization=self.organization,
            cycle=self.cycle,
            anchor=ReminderAnchor.WINDOW_OPENS,
            offset_days=0,
            time_of_day=clock_time(9, 0),
            audience=ReminderAudience.MANAGER,
        )
        self.planned = 0
        self.due_batches = 0

    def reminder(self, n, key, at):
        return Reminder(
            organization_id=self.organization.pk,
            cycle_id=self.cycle.pk,
            rule_id=self.rule.pk,
            recipient_id=self.people[n % PEOPLE],
            moment_id=self.moment.pk,
            key=key,
            due_at=at,
            next_try_at=at,
        )

    def plan_future(self, total):
        """Grow the queue of planned, not yet due reminders to ``total`` rows (a month ahead and beyond)."""
        start, self.planned = self.planned, total
        if total <= start:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    INSERT INTO cycles_reminder (organization_id, cycle_id, rule_id, recipient_id, moment_id,
                        key, due_at, next_try_at, status, attempts, last_error, claim, created_at)
                    SELECT %(organization)s, %(cycle)s, %(rule)s, (%(people)s::bigint[])[1 + n %% %(count)s],
                        %(moment)s, %(prefix)s || n, now() + interval '30 days' + n * interval '1 second',
                        now() + interval '30 days' + n * interval '1 second', 'planned', 0, '', '', now()
                    FROM generate_series(%(first)s, %(last)s) AS n
                    """,
                    {
                        "organization": self.organization.pk,
                        "cycle": self.cycle.pk,
                        "rule": self.rule.pk,
                        "people": self.people,
                        "count": PEOPLE,
                        "moment": self.moment.pk,
                        "prefix": f"bench-{self.token}:future:",
                        "first": start,
                        "last": total - 1,
                    },
                )
                # Autovacuum would gather the statistics within a minute; the bench does not wait for it.
                cursor.execute("ANALYZE cycles_reminder")
        else:
            with connection.cursor() as cursor:
                # Django stores SQLite datetimes as UTC text, "YYYY-MM-DD HH:MM:SS.fff" sorts as time does.
                cursor.execute(
                    """
                    INSERT INTO cycles_reminder (organization_id, cycle_id, rule_id, recipient_id, moment_id,
                        key, due_at, next_try_at, status, attempts, last_error, claim, created_at)
                    WITH RECURSIVE seq(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM seq WHERE n < %s)
                    SELECT %s, %s, %s, json_extract(%s, '$[' || (n %% %s) || ']'), %s, %s || n,
                        strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '+30 days', '+' || n || ' seconds'),
                        strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '+30 days', '+' || n || ' seconds'),
                        'planned', 0, '', '', strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now')
                    FROM seq
                    """,
                    [
                        start,
                        total - 1,
                        self.organization.pk,
                        self.cycle.pk,
                        self.rule.pk,
                        json.dumps(self.people),
                        PEOPLE,
                        self.moment.pk,
                        f"bench-{self.token}:future:",
                    ],
                )
                cursor.execute("ANALYZE")

    def add_due(self, number, at=None):
        """``number`` reminders that are due (a minute ago, or at ``at``)."""
        self.due_batches += 1
        at = at or datetime.now(UTC) - timedelta(minutes=1)
        Reminder.objects.bulk_create(
            (self.reminder(n, f"bench-{self.token}:due{self.due_batches}:{n}", at) for n in range(number)),
            batch_size=BATCH,
        )

    def clean_up(self):
        Reminder.objects.filter(organization=self.organization).delete()
        Cycle.objects.filter(organization=self.organization).delete()
        Employee.objects.filter(organization=self.organization).delete()
        self.organization.delete()
        User.objects.filter(email__iendswith=f"@{self.domain}").delete()


def plain_message(reminder):
    return EmailMessage("Helder: your conversation window opens", BODY, to=[reminder.recipient.user.email])


def tick(label):
    """One dispatcher tick with its time and query count; returns the queries it ran."""
    reset_queries()  # DEBUG keeps the last 9,000 queries; a full log would capture none of the tick's
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = reminders_dispatch()
        elapsed = time.perf_counter() - start
    rate = result.sent / elapsed if elapsed else 0
    print(f"  {label:<34} {elapsed * 1000:8.0f} ms  {len(queries):4d} queries  {result.sent:5d} sent  {rate:7.0f}/s")
    return result, elapsed, queries


def explain(sql):
    """The plan of ``sql`` as the database runs it (ANALYZE on PostgreSQL, rolled back), as lines."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) " + sql)
            lines = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            lines = [row[-1] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return lines


def show_plans(bench, queries):
    """Explain the query that finds due rows and the load of the batch that the tick ran, with due rows waiting."""
    due = next(q["sql"] for q in queries if '"next_try_at" <=' in q["sql"] and "LIMIT" in q["sql"])
    load = next(q["sql"] for q in queries if q["sql"].startswith("SELECT") and " JOIN " in q["sql"])
    # Rows that were due when the tick ran, so the due-rows query finds a full batch again.
    bench.add_due(DUE, at=datetime.now(UTC) - timedelta(hours=1))
    verdicts = []
    for name, sql, ways in (
        ("due rows", due, ("reminder_due_idx",)),
        ("load batch", load, ("cycles_reminder_pkey", "reminder USING INTEGER PRIMARY")),
    ):
        plan = explain(sql)
        if name == "due rows":
            print(f"  plan of the {name} query:")
            shown = plan
        else:  # a long join; what matters is how it reaches the reminders
            print(f"  plan of the {name} query, its access to cycles_reminder:")
            shown = [
                line.strip()
                for n, line in enumerate(plan)
                if "cycles_reminder " in line + " "
                or (n and "cycles_reminder " in plan[n - 1] + " " and line.strip().startswith(("Filter", "Index Cond")))
            ]
        for line in shown:
            print(f"    {line if len(line) <= 150 else line[:150] + ' …'}")
        way = next((way for way in ways if any(way in line for line in plan)), None)
        scans = any(re.search(r"Seq Scan on cycles_reminder\b|^SCAN cycles_reminder\b", line) for line in plan)
        verdicts.append(f"{name}: {'through ' + way if way else 'NO INDEX'}{', SCANS THE TABLE' if scans else ''}")
    print("  → " + "; ".join(verdicts))


def smtp_throughput(bench, runs):
    """``runs`` times SMTP_MESSAGES due reminders through one tick to the sink; the rates, one per run."""
    process, port = smtp_sink.start()
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }
    rates = []
    try:
        for _run in range(runs):
            smtp_sink.counts(port, reset=True)
            bench.add_due(SMTP_MESSAGES)
            with override_settings(**smtp):
                result, elapsed, _queries = tick(f"{SMTP_MESSAGES} due → SMTP sink")
            received, connections = smtp_sink.counts(port)
            assert result.sent == received == SMTP_MESSAGES, (result, received)
            print(
                f"  → {received} messages received by the sink over {connections} connections:"
                f" {result.sent / elapsed:.0f} reminders per second"
            )
            rates.append(result.sent / elapsed)
    finally:
        process.terminate()
        process.wait()
    return rates


def commit_latency(bench, rounds=100):
    """Milliseconds one committed single-row UPDATE takes here: the dispatcher commits once per reminder (the
    claim of a row with the SENT mark of the one before), so this bounds its rate whatever else it does."""
    table = connection.ops.quote_name(ReminderRule._meta.db_table)
    with connection.cursor() as cursor:
        start = time.perf_counter()
        for _round in range(rounds):
            with transaction.atomic():
                cursor.execute(f"UPDATE {table} SET enabled = %s WHERE id = %s", [True, bench.rule.pk])
        return (time.perf_counter() - start) / rounds * 1000


def run_size(bench, size):
    start = time.perf_counter()
    bench.plan_future(size)
    print(f"{size:,} planned, not yet due (set-up {time.perf_counter() - start:.1f} s)")
    bench.add_due(DUE)
    with override_settings(**LOCMEM):
        result, _elapsed, queries = tick(f"tick: {DUE} due, locmem mail")
        assert result.sent == DUE, result
        show_plans(bench, queries)
        result, _elapsed, _queries = tick(f"tick again: {DUE} due, locmem mail")
        assert result.sent == DUE, result
        result, _elapsed, _queries = tick("tick with nothing due")
        assert result.handled == 0, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="planned, not-due queue sizes to try, comma-separated (e.g. 10000,1000000)")
    parser.add_argument("--smtp-runs", type=int, default=3, help=f"ticks of {SMTP_MESSAGES} through SMTP (default 3)")
    options = parser.parse_args()
    migrate_if_needed()
    default = "10000,1000000" if connection.vendor == "postgresql" else "10000"
    sizes = [int(size) for size in (options.sizes or default).split(",")]
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); {os.cpu_count()} cores")
    with scopes_disabled():  # the dispatcher works across organisations, and so does its bench
        waiting = Reminder.objects.filter(status=ReminderStatus.PLANNED, next_try_at__lte=datetime.now(UTC))
        if waiting.exists():
            sys.exit(f"{waiting.count()} reminders are already due in this database; run the bench on another one.")
        bench = Bench(secrets.token_hex(4))
        try:
            with mock.patch("cycles.mail.reminder_message", plain_message):
                for size in sizes:
                    run_size(bench, size)
                latency = commit_latency(bench)
                print(
                    f"Commit latency: {latency:.2f} ms a committed one-row UPDATE (at one commit per reminder, at"
                    f" most {1000 / latency:.0f} reminders a second)"
                )
                print("Throughput to an SMTP server on this machine")
                rates = sorted(smtp_throughput(bench, options.smtp_runs))
                print(f"  → {min(rates):.0f}–{max(rates):.0f} reminders per second over {len(rates)} run(s)")
        finally:
            start = time.perf_counter()
            bench.clean_up()
            print(f"Cleaned up the bench organisation ({time.perf_counter() - start:.1f} s).")


if __name__ == "__main__":
    main()
