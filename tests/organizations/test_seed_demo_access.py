"""The demo logins walk straight into their organisations: seed_demo makes joined memberships."""

import io

import pytest
from django.core.management import call_command

from organizations.models import Employee
from tests.kit import browser_logged_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("email", "slug"),
    [
        ("hr@example.com", "demo"),
        ("employee@example.com", "demo"),
        ("consultant@example.com", "demo"),
        ("consultant@example.com", "tweede"),
    ],
)
def test_a_demo_login_opens_its_organisation(settings, email, slug):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert not Employee.objects.filter(joined_at__isnull=True).exists()
    assert browser_logged_in(email, "demo").get(f"/o/{slug}/").status_code == 200
