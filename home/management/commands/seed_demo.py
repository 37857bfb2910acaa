"""The demo: organisations, people, expectations and an active cycle, from every app's demo module.

It lives in home, the one app above all the others, because it fills every app.
"""

import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from calibration import demo as calibration_demo
from cycles import demo as cycles_demo
from expectations import demo as expectations_demo
from home import large_demo
from organizations.audit_models import AuditEntry
from organizations.demo import DEMO_PASSWORD, ORGANIZATIONS
from organizations.demo_time import working_before
from organizations.models import Employee, Organization, Role, Team
from pay import demo as pay_demo
from reviews import demo as reviews_demo


class Command(BaseCommand):
    help = "Create the demo organisations and logins (password 'demo'). Running it twice creates nothing new."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Seed even though DEBUG is off.")
        parser.add_argument(
            "--people", type=int, help="Also build the large demo, Groot BV (groot), with this many people."
        )
        parser.add_argument("--size", choices=["large"], help="large: --people 10000.")

    def handle(self, *args, force=False, people=None, size=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off (demo logins have a known password); use --force."
            )
        people = people or (large_demo.LARGE if size == "large" else None)
        started = timezone.now()
        with scopes_disabled(), transaction.atomic():
            created = sum(seed_organization(spec) for spec in ORGANIZATIONS)
            demo = Organization.objects.get(slug="demo")
            created += expectations_demo.seed(demo)
            created += cycles_demo.seed(demo)
            created += reviews_demo.seed(demo)
            created += pay_demo.seed(demo)
            created += calibration_demo.seed(demo)
            history_in_working_hours(since=started)
        self.stdout.write(self.style.SUCCESS(f"Demo ready ({created} new rows)."))
        logins = ", ".join(["hr@example.com", "manager@example.com", "employee@example.com", "consultant@example.com"])
        self.stdout.write(f"Logins (password '{DEMO_PASSWORD}'): {logins}")
        if people:
            self._large(people)

    def _large(self, people):
        start = time.perf_counter()
        try:
            with transaction.atomic():
                created = large_demo.seed(
                    people, log=lambda text: self.stdout.write(f"  {time.perf_counter() - start:5.1f} s  {text}")
                )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Groot BV ready ({created} new rows, {time.perf_counter() - start:.1f} s).")
        )
        self.stdout.write(f"Logins (password '{DEMO_PASSWORD}'): {large_demo.LOGINS}")


def history_in_working_hours(*, since) -> None:
    """What the services wrote to the audit trail during this run happened "now": at the latest working quarter
    hour in each organisation's time zone, not at the second (maybe on a Sunday evening) the seed ran."""
    for organization in Organization.objects.filter(slug__in=[spec["slug"] for spec in ORGANIZATIONS]):
        AuditEntry.objects.filter(organization=organization, timestamp__gte=since).update(
            timestamp=working_before(since, organization.zone)
        )


def seed_organization(spec) -> int:
    created = 0
    # One hash for every login (as the large demo does): the demo's password is no secret, and hashing it
    # 39 times took most of the small demo's time.
    password = make_password(DEMO_PASSWORD)
    organization, new = Organization.objects.get_or_create(
        slug=spec["slug"],
        defaults={"name": spec["name"], "language": spec["language"], "time_zone": spec["time_zone"]},
    )
    created += new

    def member(email, first_name, last_name, job_title, role, team=None, manager=None):
        nonlocal created
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email)
            User.objects.filter(pk=user.pk).update(password=password)
            created += 1
        employee, new = Employee.objects.get_or_create(
            organization=organization,
            user=user,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "job_title": job_title,
                "role": role,
                "team": team,
                "manager": manager,
                # Demo logins walk straight in: as if each had accepted its invitation.
                "joined_at": timezone.now(),
            },
        )
        created += new
        return employee

    director = member(*spec["director"], Role.MANAGER)
    for email, first_name, last_name, job_title, _team in spec["hr"]:
        member(email, first_name, last_name, job_title, Role.HR_ADMIN, manager=director)
    for team_name, team_spec in spec["teams"].items():
        team, new = Team.objects.get_or_create(organization=organization, name=team_name)
        created += new
        manager = member(*team_spec["manager"], Role.MANAGER, team=team, manager=director)
        for row in team_spec["members"]:
            member(*row, Role.EMPLOYEE, team=team, manager=manager)
    return created
