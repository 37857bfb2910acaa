"""/healthz: always 200 for the load balancer, with each dependency's state in the body."""

import pytest
import redis
from django.urls import reverse

from tests.conftest import need
from tests.kit import assert_method_not_allowed

pytestmark = pytest.mark.django_db

LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def health(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_health_reports_the_database_and_no_broker_when_none_is_configured(client, settings):
    settings.REDIS_URL = ""
    assert health(client) == {"database": "ok", "broker": "not configured"}


def test_health_reports_a_broker_that_cannot_be_reached_as_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert health(client) == {"database": "ok", "broker": "down"}


@pytest.mark.services
def test_health_reports_a_running_redis_as_ok(client, settings):
    try:
        redis.Redis.from_url(LOCAL_REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        need(f"Redis is not running at {LOCAL_REDIS}")
    settings.REDIS_URL = LOCAL_REDIS
    assert health(client) == {"database": "ok", "broker": "ok"}


def test_health_needs_no_login_and_answers_only_get(client):
    assert_method_not_allowed(client, reverse("healthz"), ["post", "put", "delete"])


def test_health_is_served_over_plain_http_behind_an_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("account_login")).status_code == 301


def test_health_reports_a_database_that_fails_as_down(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("config.health.connection.cursor", broken_cursor)
    assert client.get(reverse("healthz")).json() == {"database": "down", "broker": "not configured"}
