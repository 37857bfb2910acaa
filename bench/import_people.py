"""Time a people import (1,000 rows; ``--rows 10000`` for the largest file HR may upload).

Upload, preview and apply, then the same file again, then a changed one.

Then the first file as an Excel workbook (upload and preview only), and 100
more people with the box "send invitations now" ticked, whose emails are
rendered into memory (the locmem backend: the cost of Helder, not of a mail
server; without REDIS_URL Celery runs the email tasks in this process).
The first three runs invite nobody, so they compare with earlier figures.

Run from the project root, against the database DATABASE_URL names (SQLite's
db.sqlite3 by default):

    DEBUG=true .venv/bin/python bench/import_people.py
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/helder_bench .venv/bin/python bench/import_people.py

(`make bench` runs every script in bench/.) It works in a throwaway
organisation with its own email domain and deletes it, its people, teams,
imports and logins afterwards, also when a step fails. An unmigrated
database is migrated first, as `make run` would.
"""

import argparse
import io
import logging
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.models import User  # noqa: E402
from organizations.importing import people_import_apply, people_import_create, people_import_preview  # noqa: E402
from organizations.models import Employee, Invitation, Organization, PeopleImport, Role, Team  # noqa: E402

ROWS = 1000  # --rows
TEAMS = 10  # one team per 100 rows, at least 10


def build_csv(domain: str, *, changed_every: int = 0) -> bytes:
    """A file as Dutch Excel saves it: BOM, semicolons; a director, 10 team leads, everyone else in a team."""
    lines = ["email;first_name;last_name;job_title;team;manager_email;role"]
    director = f"directeur@{domain}"
    lines.append(f"{director};Dirk;Directeur;Directeur;;;hr_admin")
    leads = [f"lead{team:03d}@{domain}" for team in range(TEAMS)]
    for team, lead in enumerate(leads):
        lines.append(f"{lead};Lea;Leider {team};Teamleider;Team {team:03d};{director};leidinggevende")
    for n in range(ROWS - 1 - TEAMS):
        team = n % TEAMS
        title = "Senior adviseur" if changed_every and n % changed_every == 0 else "Adviseur"
        lines.append(f"p{n:05d}@{domain};Persoon;Nummer {n};{title};Team {team:03d};{leads[team]};")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def as_workbook(raw: bytes) -> bytes:
    """The same people as an .xlsx workbook, as Excel would save the file."""
    book = Workbook()
    for line in raw.decode("utf-8-sig").splitlines():
        book.active.append(line.split(";"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_newcomers(domain: str, count: int) -> bytes:
    lines = ["email;first_name;last_name;team"] + [
        f"new{n:03d}@{domain};Nieuw;Nummer {n};Team 000" for n in range(count)
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def timed(label, function, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function(**kwargs)
        elapsed = time.perf_counter() - start
    print(f"  {label:<9} {elapsed * 1000:8.0f} ms  {len(queries):4d} queries")
    return result


def run_import(organization, actor, raw, title, *, apply=True, invite=False):
    print(title)
    people_import = timed(
        "upload", people_import_create, organization=organization, uploaded_by=actor, file_name="bench", raw=raw
    )
    preview = timed("preview", people_import_preview, organization=organization, content=people_import.content)
    assert not preview.has_problems, [row.problems for row in preview.rows if row.problems][:3]
    if not apply:
        return preview.counts
    summary = timed("apply", people_import_apply, people_import=people_import, actor=actor, send_invitations=invite)
    print(
        "  → {new} new, {updated} updated, {unchanged} unchanged, {new_teams} new teams, {invited} invited".format(
            **{"invited": 0, **summary}
        )
    )
    return summary


def migrate_if_needed():
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("The database has unapplied migrations; migrating first.")
        call_command("migrate", verbosity=0)


def clean_up(organization, domain):
    with scopes_disabled():
        Invitation.objects.filter(organization=organization).delete()
        Employee.objects.filter(organization=organization).update(manager=None)
        Employee.objects.filter(organization=organization).delete()
        PeopleImport.objects.filter(organization=organization).delete()
        Team.objects.filter(organization=organization).delete()
        organization.delete()
        User.objects.filter(email__iendswith=f"@{domain}").delete()


def main():
    global ROWS, TEAMS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="rows in the file (default %(default)s)")
    ROWS = parser.parse_args().rows
    TEAMS = max(10, ROWS // 100)
    migrate_if_needed()
    token = secrets.token_hex(4)
    domain = f"bench-{token}.example"
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); {ROWS} rows, {TEAMS} teams")
    organization = Organization.objects.create(name=f"Bench {token}", slug=f"bench-{token}")
    try:
        with scope(organization=organization):
            # An HR admin who can log in (a password, a joined membership): without one every file is
            # refused, because an organisation must keep such an HR admin (organizations/hr_admins.py).
            hr_user = User.objects.create_user(f"hr@{domain}", password=secrets.token_urlsafe(16))
            actor = Employee.objects.create(
                organization=organization,
                user=hr_user,
                first_name="Hanna",
                role=Role.HR_ADMIN,
                joined_at=timezone.now(),
            )
            first = run_import(organization, actor, build_csv(domain), "First import (everyone new):")
            assert first["new"] == ROWS
            second = run_import(organization, actor, build_csv(domain), "Same file again (idempotent):")
            assert second["unchanged"] == ROWS and second["new"] == second["updated"] == 0
            third = run_import(
                organization, actor, build_csv(domain, changed_every=10), "Every tenth job title changed:"
            )
            assert third["updated"] == len(range(0, ROWS - 1 - TEAMS, 10)), third
            workbook = run_import(
                organization,
                actor,
                as_workbook(build_csv(domain, changed_every=10)),
                "The same people as an Excel workbook (upload and preview only):",
                apply=False,
            )
            assert workbook["unchanged"] == ROWS, workbook
            settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
            logging.getLogger("celery").setLevel(logging.WARNING)  # not a line per email sent
            mail.outbox = []
            fourth = run_import(
                organization, actor, build_newcomers(domain, 100), "100 new people, invited now:", invite=True
            )
            assert fourth["invited"] == len(mail.outbox) == 100, (fourth, len(mail.outbox))
            assert Employee.objects.filter(organization=organization).count() == ROWS + 1 + 100
    finally:
        clean_up(organization, domain)
    print("Cleaned up the bench organisation.")


if __name__ == "__main__":
    main()
