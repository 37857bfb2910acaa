"""Helder's settings (config.settings, read from the environment as in production) with three bench-only changes.

- ROOT_URLCONF adds the bare page, ``/bench/bare/``: a logged-in TemplateView of a template with no queries of its
  own, through the same middleware and context processors as every page (bench.pages_site.urls);
- the first middleware counts the SQL queries of each request into an ``X-Bench-Queries`` header;
- STATIC_ROOT is the directory bench/pages.py collects the static files into (BENCH_STATIC_ROOT), so the
  manifest storage of DEBUG off works without touching the project's staticfiles/.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "bench.pages_site.urls"
MIDDLEWARE = ["bench.pages_site.middleware.QueryCount", *MIDDLEWARE]
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "pages_site" / "templates"]}]
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", str(BASE_DIR / "staticfiles"))
