"""The demo logins walk straight into their organisations: seed_demo makes joined memberships."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from organizations.models import Employee

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
    browser = Client()
    assert browser.post(reverse("account_login"), {"login": email, "password": "demo"}).status_code == 302
    assert browser.get(f"/o/{slug}/").status_code == 200
