"""Login throttling counts in a shared cache and per real client address.

allauth refuses a login after 5 failures for one login in 5 minutes, or 10 a
minute from one address (settings.ACCOUNT_RATE_LIMITS). The counts live in
Django's cache: with REDIS_URL that is Redis, so every gunicorn worker (and a
restarted one) sees the same counts. The address is REMOTE_ADDR unless a
proxy header is trusted on purpose (ALLAUTH_TRUSTED_CLIENT_IP_HEADER or
ALLAUTH_TRUSTED_PROXY_COUNT), so a client cannot pick its own address with
X-Forwarded-For, and behind a proxy one attacker cannot lock everyone out.
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from config import settings as production
from tests.conftest import need
from tests.test_settings_deploy import ROOT, production_environment, run

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts. Try again later."
WRONG = "The email address and/or password you specified are not correct."


def rate_limit_redis() -> str:
    """Redis database 3 of the server REDIS_URL names (127.0.0.1:6379 by default), kept for these tests."""
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(parts._replace(path="/3"))


@pytest.fixture
def throttled(settings):
    """Production's rate limits (the test settings switch them off), counting from zero."""
    settings.ACCOUNT_RATE_LIMITS = production.ACCOUNT_RATE_LIMITS
    caches["default"].clear()  # the in-memory cache lives as long as the test process
    yield settings
    caches["default"].clear()


@pytest.fixture
def redis_cache(throttled):
    url = rate_limit_redis()
    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=1)
        server.ping()
    except redis.RedisError as error:
        need(f"Redis does not answer at {url}: {error}")
    server.flushdb()
    throttled.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    yield
    server.flushdb()


class Worker:
    """One gunicorn worker: its own cache client (a new connection, as after a fork or a restart)."""

    def __init__(self):
        self.cache = caches.create_connection("default")

    def log_in(self, email, password, **headers):
        caches["default"] = self.cache  # what allauth's rate limiter reads in this "process"
        client = Client(headers={"Accept-Language": "en", **headers.pop("headers", {})}, **headers)
        return client.post(reverse("account_login"), {"login": email, "password": password})


def refused(response) -> str:
    """The form's refusal, or "" when the login went through."""
    if response.status_code == 302:
        return ""
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    return TOO_MANY if TOO_MANY in page else WRONG if WRONG in page else "?"


# --- one count for all workers -----------------------------------------------------------------


@pytest.mark.services
def test_the_sixth_attempt_for_one_login_is_refused_even_across_two_workers(redis_cache, tenant_a, password):
    email = tenant_a.employee.user.email
    first, second = Worker(), Worker()
    for attempt in range(5):
        worker = (first, second)[attempt % 2]
        assert refused(worker.log_in(email, "wrong password")) == WRONG
    # The sixth try has the right password, and is still refused: the count is shared.
    assert refused(first.log_in(email, password)) == TOO_MANY
    assert refused(second.log_in(email, password)) == TOO_MANY
    assert refused(Worker().log_in(email, password)) == TOO_MANY  # a restarted worker remembers too


def test_with_a_cache_per_process_the_sixth_attempt_would_get_through(throttled, tenant_a, password):
    """The check above can fail: workers that each count in their own memory let the sixth try in."""
    throttled.CACHES = {
        "first": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "first"},
        "second": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "second"},
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    }
    first, second = Worker(), Worker()
    first.cache, second.cache = caches.create_connection("first"), caches.create_connection("second")
    email = tenant_a.employee.user.email
    for attempt in range(5):
        assert refused((first, second)[attempt % 2].log_in(email, "wrong password")) == WRONG
    assert refused(second.log_in(email, password)) == ""


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("redis://redis:6379/0", "django.core.cache.backends.redis.RedisCache"),
        ("", "django.core.cache.backends.locmem.LocMemCache"),
    ],
)
def test_the_cache_is_redis_exactly_when_redis_url_is_set(redis_url, backend):
    env_file = ROOT / ".env"
    if env_file.exists() and "REDIS_URL" in env_file.read_text():
        pytest.skip(".env sets REDIS_URL, so this machine cannot show the default")
    environment = production_environment(SECRET_KEY="x" * 60, REDIS_URL=redis_url)
    code = "import config.settings as s; c = s.CACHES['default']; print(c['BACKEND'], c.get('LOCATION', ''))"
    result = run(["-c", code], environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [backend, *([redis_url] if redis_url else [])]


# --- which address counts ----------------------------------------------------------------------


def hammer(worker, count, **headers):
    """``count`` failed logins, each for another (unknown) address, so only the per-address limit can bite."""
    for number in range(count):
        response = worker.log_in(f"nobody{number}@example.org", "wrong password", **headers)
        assert refused(response) == WRONG, number


def test_a_spoofed_x_forwarded_for_does_not_change_the_throttled_address(throttled, tenant_a, password):
    worker = Worker()
    for number in range(10):
        response = worker.log_in(
            f"nobody{number}@example.org", "wrong", headers={"X-Forwarded-For": f"198.51.100.{number}"}
        )
        assert refused(response) == WRONG
    # An eleventh try from the same connection is refused, whatever address it claims.
    response = worker.log_in(tenant_a.employee.user.email, password, headers={"X-Forwarded-For": "192.0.2.77"})
    assert refused(response) == TOO_MANY


def test_trusting_x_forwarded_for_blindly_would_let_the_attacker_pick_a_new_address(throttled, tenant_a, password):
    """The check above can fail: with a proxy count set and no proxy, the client's own header decides."""
    throttled.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    worker = Worker()
    for number in range(10):
        response = worker.log_in(
            f"nobody{number}@example.org", "wrong", headers={"X-Forwarded-For": f"198.51.100.{number}"}
        )
        assert refused(response) == WRONG
    response = worker.log_in(tenant_a.employee.user.email, password, headers={"X-Forwarded-For": "192.0.2.77"})
    assert refused(response) == ""


def test_behind_a_trusted_proxy_header_one_attacker_does_not_lock_out_another_address(throttled, tenant_a, password):
    throttled.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    proxy = Worker()  # every request reaches Helder from the proxy's address (REMOTE_ADDR 127.0.0.1)
    hammer(proxy, 10, headers={"X-Real-IP": "203.0.113.9"})
    attacker = proxy.log_in(tenant_a.employee.user.email, password, headers={"X-Real-IP": "203.0.113.9"})
    assert refused(attacker) == TOO_MANY
    colleague = proxy.log_in(tenant_a.employee.user.email, password, headers={"X-Real-IP": "198.51.100.7"})
    assert refused(colleague) == ""


def test_behind_a_proxy_without_the_header_configured_everyone_would_be_locked_out(throttled, tenant_a, password):
    """The check above can fail: counted by the proxy's address, the attacker's failures lock out a colleague."""
    proxy = Worker()
    hammer(proxy, 10, headers={"X-Real-IP": "203.0.113.9"})
    colleague = proxy.log_in(tenant_a.employee.user.email, password, headers={"X-Real-IP": "198.51.100.7"})
    assert refused(colleague) == TOO_MANY


def test_with_a_proxy_count_the_address_the_proxy_appended_counts(throttled, tenant_a, password):
    throttled.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = Worker()
    # The attacker sends their own X-Forwarded-For; the proxy appends the address it saw.
    hammer(proxy, 10, headers={"X-Forwarded-For": "10.0.0.1, 203.0.113.9"})
    attacker = proxy.log_in(
        tenant_a.employee.user.email, password, headers={"X-Forwarded-For": "10.0.0.2, 203.0.113.9"}
    )
    assert refused(attacker) == TOO_MANY
    colleague = proxy.log_in(tenant_a.employee.user.email, password, headers={"X-Forwarded-For": "198.51.100.7"})
    assert refused(colleague) == ""


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "0 None"),
        ({"ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "0 X-Real-IP"),
        ({"ALLAUTH_TRUSTED_PROXY_COUNT": "2"}, "2 None"),
    ],
)
def test_the_trusted_proxy_settings_come_from_the_environment_and_trust_nothing_by_default(environment, expected):
    env_file = ROOT / ".env"
    if env_file.exists() and "ALLAUTH_TRUSTED" in env_file.read_text():
        pytest.skip(".env sets a trusted proxy, so this machine cannot show the default")
    code = "import config.settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    result = run(["-c", code], production_environment(SECRET_KEY="x" * 60, **environment))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    "environment",
    [
        {"ALLAUTH_TRUSTED_PROXY_COUNT": "-1"},
        {"ALLAUTH_TRUSTED_PROXY_COUNT": "one"},
        {"ALLAUTH_TRUSTED_PROXY_COUNT": "1", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
    ],
)
def test_a_contradictory_or_malformed_proxy_setting_stops_the_start(environment):
    result = run(["-c", "import config.settings"], production_environment(SECRET_KEY="x" * 60, **environment))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr or "ValueError" in result.stderr
