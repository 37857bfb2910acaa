"""Start an organisation: ``manage.py create_organization --slug acme --name "Acme BV" --hr-email anna@acme.example``.

Creates the organisation and invites its first HR admin by email (the link
is printed too, for a server whose email goes to the console). Running it
again with the same values creates nothing and sends a new invitation while
that HR admin has not joined.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from accounts.models import Language
from core.email import site_url
from organizations.platform import organization_start


class Command(BaseCommand):
    help = "Create an organisation and invite its first HR admin."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Address name: lower-case letters, digits, hyphens.")
        parser.add_argument("--name", required=True, help="The organisation's name, e.g. 'Acme BV'.")
        parser.add_argument("--language", default=Language.DUTCH, choices=[code for code, _ in Language.choices])
        parser.add_argument("--time-zone", default="Europe/Amsterdam", help="An IANA zone, e.g. Europe/Amsterdam.")
        parser.add_argument("--hr-email", required=True, help="The first HR admin's email address.")
        parser.add_argument("--hr-first-name", default="", help="Defaults to the part of the address before @.")
        parser.add_argument("--hr-last-name", default="")

    def handle(self, *args, **options):
        if options["time_zone"] not in zoneinfo.available_timezones():
            raise CommandError(f"'{options['time_zone']}' is not a known time zone (e.g. Europe/Amsterdam).")
        try:
            with transaction.atomic():
                organization, invitation, created = organization_start(
                    slug=options["slug"],
                    name=options["name"],
                    language=options["language"],
                    time_zone=options["time_zone"],
                    hr_email=options["hr_email"],
                    hr_first_name=options["hr_first_name"],
                    hr_last_name=options["hr_last_name"],
                )
        except ValidationError as error:
            raise CommandError("; ".join(str(message) for message in error.messages)) from None
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created {organization.name} at /o/{organization.slug}/."))
        else:
            self.stdout.write(f"{organization.name} already exists at /o/{organization.slug}/; nothing created.")
        if invitation is None:
            self.stdout.write("Its HR admin has already joined; no invitation sent.")
            return
        self.stdout.write(f"Invitation emailed to {invitation.employee.user.email}.")
        if "console" in settings.EMAIL_BACKEND or "locmem" in settings.EMAIL_BACKEND:
            link = site_url(reverse("invitation_accept", kwargs={"token": invitation.token}))
            self.stdout.write(f"Invitation link: {link}")
