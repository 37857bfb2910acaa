"""The Celery app. It reads CELERY_* settings; with no REDIS_URL tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("helder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
