"""Response headers: a Permissions-Policy everywhere, no Server header from gunicorn, and a readable CSRF refusal."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.kit import feed_of, in_english, url

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
DENIED = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "display-capture=()")


def assert_denies_device_features(response):
    policy = response.headers["Permissions-Policy"]
    for feature in DENIED:
        assert feature in policy.split(", ")


# --- Permissions-Policy ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/accounts/login/", 200),
        ("get", "/healthz", 200),
        ("get", "/o/", 302),  # a redirect to the login page
        ("get", "/o/nobody/", 302),
        ("get", "/calendar/unknown.ics", 404),
        ("post", "/healthz", 405),
    ],
)
def test_every_response_denies_camera_microphone_location_payment_and_usb(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert_denies_device_features(response)


def test_the_calendar_feed_and_a_logged_in_page_carry_the_policy_too(tenant_a, employee):
    assert_denies_device_features(employee.get(url("organizations:home", tenant_a.organization)))
    assert_denies_device_features(employee.get(feed_of(tenant_a.employee)))


# --- the Server header -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_headers(tmp_path, *config) -> dict[str, str]:
    """Start gunicorn with production settings on a spare port, GET /healthz, return the response headers."""
    port = free_port()
    env = {
        **{name: value for name, value in os.environ.items() if name not in {"REDIS_URL", "DATABASE_URL"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "gunicorn-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}",
    }
    command = [sys.executable, "-m", "gunicorn", *config, "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    log = tmp_path / "gunicorn.log"
    # cwd: an empty directory, so gunicorn cannot find ./gunicorn.conf.py on its own; only ``config`` decides.
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=tmp_path, env={**env, "PYTHONPATH": str(BASE_DIR)}, stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not answer: {log.read_text()[-3000:]}") from None
                time.sleep(0.2)
        assert response.status == 200, log.read_text()[-3000:]
        return {name.lower(): value for name, value in response.getheaders()}
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gunicorn_with_helders_config_does_not_announce_itself(tmp_path):
    headers = gunicorn_headers(tmp_path, "--config", str(BASE_DIR / "gunicorn.conf.py"))
    assert "server" not in headers
    assert "camera=()" in headers["permissions-policy"]
    assert "date" in headers  # gunicorn's other own headers are still sent


def test_gunicorn_without_that_config_would_announce_itself(tmp_path):
    """The check above can fail: plain gunicorn names itself."""
    assert gunicorn_headers(tmp_path)["server"] == "gunicorn"


# --- a refused form (CSRF) ---------------------------------------------------------------------


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_a_form_without_its_token_gets_a_translated_page_in_the_sites_layout(strict_client):
    response = strict_client.post(
        reverse("account_login"),
        {"login": "eva@example.org", "password": "x"},
        headers={"Accept-Language": "en", "Referer": "http://testserver/accounts/login/"},
    )
    assert response.status_code == 403
    assert response.templates[0].name == "403_csrf.html"
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert 'class="skip-link"' in page and 'class="site-header"' in page  # base.html around it
    assert "<h1>The form could not be sent</h1>" in page
    assert "nothing has been saved" in page
    assert '<a href="http://testserver/accounts/login/">Back to the page you were on</a>' in page
    assert f'<a href="{reverse("home")}">Go to your home page</a>' in page
    assert "cookie not set" not in page  # Django's reason is logged, not shown
    assert_denies_device_features(response)


def test_the_refusal_speaks_dutch_to_a_dutch_browser(strict_client):
    response = strict_client.post(reverse("language_set"), {"language": "en"}, headers={"Accept-Language": "nl"})
    assert response.status_code == 403
    assert '<html lang="nl">' in response.content.decode()


def test_a_referer_from_another_site_is_not_offered_as_the_way_back(strict_client):
    response = strict_client.post(
        reverse("account_login"), {}, headers={"Accept-Language": "en", "Referer": "https://evil.example/phish"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "evil.example" not in page
    assert "Go to your home page" in page


def test_a_logged_in_person_gets_the_same_page_for_a_stale_form(tenant_a, strict_client):
    in_english(tenant_a.employee)  # logged in, their profile's language decides (Alfa's would be Dutch)
    strict_client.force_login(tenant_a.employee.user)
    response = strict_client.post(
        url("cycles:feed_regenerate", tenant_a.organization), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 403
    assert "The form could not be sent" in response.content.decode()
