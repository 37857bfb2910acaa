"""Settings for the test suite: fast hashing, eager Celery, plain static files."""

import os

os.environ.setdefault("SECRET_KEY", "helder-tests-only-not-a-secret-" + "x" * 32)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ACCOUNT_RATE_LIMITS = False
SECURE_HSTS_SECONDS = 0
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Each test process keeps its own cache, whatever REDIS_URL says; tests that need Redis build their own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Calibration, the calendar feed and the budget compute on every request in tests (their *cache tests turn it on).
CALIBRATION_CACHE_SECONDS = 0
FEED_CACHE_SECONDS = 0
BUDGET_CACHE_SECONDS = 0
