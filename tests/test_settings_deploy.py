"""Production settings: Django's deployment checks pass, and a missing secret stops the start."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def production_environment(**overrides):
    """A server's environment: nothing from this test run (its settings module, database, or the
    DJANGO_ALLOW_ASYNC_UNSAFE that browser tests set) leaks into the checked process."""
    environment = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    environment.update(DEBUG="false", DJANGO_SETTINGS_MODULE="config.settings", **overrides)
    return environment


def run(args, environment):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_checks_pass_with_debug_off():
    secret_key = "".join(secrets.choice(string.ascii_letters + string.digits + "-_") for _ in range(60))
    environment = production_environment(SECRET_KEY=secret_key, ALLOWED_HOSTS="helder.example.com")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], environment)
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_to_load_with_debug_off_and_no_secret_key():
    env_file = ROOT / ".env"
    if env_file.exists() and "SECRET_KEY" in env_file.read_text():
        pytest.skip(".env sets SECRET_KEY, so this machine cannot show the missing-key refusal")
    result = run(["-c", "import config.settings"], production_environment())
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_settings_refuse_an_empty_secret_key_with_debug_off():
    result = run(["-c", "import config.settings"], production_environment(SECRET_KEY=""))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
