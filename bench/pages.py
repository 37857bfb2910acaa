"""Time Helder's pages against a bare Django page on gunicorn and PostgreSQL, at demo size and at 10,000 people.

What Helder promises its pages: each within a small multiple of a bare page of the same server. The script

1. seeds the small demo (Voorbeeld BV, ``demo``) and the large one (Groot BV, ``groot``, ``--people``, 10,000 by
   default) into the database DATABASE_URL names: ``seed_demo --people N``, idempotent, so a second run reuses
   them (they stay afterwards; use a database of its own, e.g. helder_bench);
2. collects the static files into a temporary directory and starts gunicorn (gunicorn.conf.py, 2 workers) with
   production settings: DEBUG off, a throwaway SECRET_KEY, ALLOWED_HOSTS 127.0.0.1, and the HTTPS-only settings
   off as docker-compose.yml does for plain HTTP; the settings module is bench.pages_site.settings, Helder's
   settings plus a bare page (``/bench/bare/``, a logged-in TemplateView), an empty organisation page
   (``/bench/o/<slug>/empty/``: the door and the layout with nothing on the page, the floor under every
   organisation page) and a middleware that counts each request's SQL queries into a response header
   (X-Bench-Queries);
3. logs in through the login form as the HR admin, a manager and one of their reports in each organisation, and
   requests every page in turn, a new random order each round, the bare page among them (interleaved), after
   two warm-up rounds;
4. prints per page and size the median, the 95th percentile, the ratio of its median to the bare page's median,
   and its query count (from the header; the count is the same on every request of a page, or the table says
   "a–b"), with the page's goal where one is set.

Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helder_bench .venv/bin/python bench/pages.py
    ... bench/pages.py --rounds 30 --people 10000

Without a PostgreSQL DATABASE_URL, or when PostgreSQL does not answer, it says so and skips (exit 0), so that
`make bench` (SQLite by default) runs the other scripts. Figures: docs/benchmarks.md.
"""

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

from bench.pages_site.client import Browser, free_port, wait_for  # noqa: E402


def skip(reason: str):
    print(f"bench/pages.py skipped: {reason}")
    sys.exit(0)


import django  # noqa: E402

django.setup()

from allauth.usersessions.models import UserSession  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from bench.pages_site.pages import logins, pages_of  # noqa: E402
from organizations.demo import DEMO_PASSWORD  # noqa: E402

if connection.vendor != "postgresql":
    skip("it measures on PostgreSQL; set DATABASE_URL=postgres://… (see docs/benchmarks.md).")
try:
    connection.ensure_connection()
except OperationalError as error:
    skip(f"PostgreSQL at DATABASE_URL does not answer ({str(error).strip().splitlines()[0]}).")

WARM_UP = 2
SIZES = {"demo": "demo", "10,000": "groot"}  # the table's column: the organisation measured


def server_environment(static_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.pages_site.settings",
        DEBUG="false",
        SECRET_KEY="bench-" + os.urandom(24).hex(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        BENCH_STATIC_ROOT=static_root,
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)  # pages only: no broker needed
    return env


def forget_sessions(slugs):
    """The sessions earlier runs left for the people measured: signed with another throwaway SECRET_KEY, they would
    only be read as "corrupted" (and purged) when those people log in again."""
    emails = [email for slug in slugs for email in logins(slug)]
    keys = UserSession.objects.filter(user__email__in=emails).values_list("session_key", flat=True)
    Session.objects.filter(session_key__in=list(keys)).delete()
    UserSession.objects.filter(user__email__in=emails).delete()


def browser(port, employee):
    """A browser of its own, logged in through the login form as ``employee`` (None: not logged in)."""
    new = Browser(port)
    return new.log_in(employee.user.email, DEMO_PASSWORD) if employee is not None else new


def percentile(values, share):
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def measure(pages, rounds):
    """{key: ([seconds], {query counts}, {status codes})}, requesting every page once per round in a random order."""
    results = {page.key: ([], set(), set()) for page in pages}
    order = list(pages)
    shuffle = random.Random(12)
    for number in range(WARM_UP + rounds):
        shuffle.shuffle(order)
        for page in order:
            seconds, status, queries = page.browser.get(page.path, page.headers)
            if number >= WARM_UP:
                times, counts, statuses = results[page.key]
                times.append(seconds)
                counts.add(queries)
                statuses.add(status)
    return results


def show(pages, results, sizes):
    """The table: one row per page, per size its median, p95, ratio to the bare page and query count."""
    # The bare page is the same page at both sizes: its requests of both columns together make the one baseline.
    baseline = statistics.median([seconds for size in sizes for seconds in results[(pages[0].name, size)][0]])
    bare = dict.fromkeys(sizes, baseline)
    head = f"{'page':<46}"
    for size in sizes:
        head += f" | {size + ': median':>15} {'p95':>9} {'ratio':>6} {'q':>5}"
    print(head + " | goal")
    print("-" * (len(head) + 9))
    rows = {}
    for page in pages:
        rows.setdefault(page.name, page.goal)
    for name, goal in rows.items():
        line = f"{name:<46}"
        for size in sizes:
            times, counts, statuses = results.get((name, size), ([], set(), set()))
            if statuses != {200}:
                line += f" | {'HTTP ' + '/'.join(map(str, sorted(statuses))):>15} {'':>9} {'':>6} {'':>5}"
                continue
            median = statistics.median(times)
            count = "–".join(str(n) for n in sorted({min(counts), max(counts)}))
            line += f" | {median * 1000:12.1f} ms {percentile(times, 0.95) * 1000:6.1f} ms"
            line += f" {median / bare[size]:5.1f}× {count:>5}"
        print(line + f" | {goal}")


def chosen(pages, only, goals):
    """The bare page (always first) and the pages asked for: names holding one of ``only``, or with a goal."""
    if not only and not goals:
        return pages
    bare = pages[0].name
    return [
        page
        for page in pages
        if page.name == bare or (goals and page.goal) or any(text.lower() in page.name.lower() for text in only)
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000, help="the large demo's size (default 10,000)")
    parser.add_argument("--rounds", type=int, default=20, help="measured requests per page (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="measure only the pages whose name holds TEXT (repeatable; the bare page is always measured)",
    )
    parser.add_argument("--goals", action="store_true", help="measure only the pages with a goal")
    options = parser.parse_args()
    print(f"Database: {connection.settings_dict['NAME']} on PostgreSQL {connection.pg_version // 10000}")
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("seed_demo", force=True, people=options.people, verbosity=0, stdout=open(os.devnull, "w"))
    print(f"Demo and Groot BV ({options.people} people) ready in {time.perf_counter() - start:.1f} s.")
    # Rows bulk-loaded a moment ago have no planner statistics until autovacuum's next ANALYZE: without them
    # PostgreSQL expects a few hundred rows where there are tens of thousands and picks hash joins over whole tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    forget_sessions(SIZES.values())
    with tempfile.TemporaryDirectory(prefix="helder-bench-static-") as static_root:
        env = server_environment(static_root)
        python = str(Path(sys.executable))
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        port = free_port()
        gunicorn = [
            python,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        try:
            wait_for(port)
            with scopes_disabled():
                pages = pages_of(partial(browser, port), SIZES)
            pages = chosen(pages, options.only, options.goals)
            results = measure(pages, options.rounds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"\ngunicorn {options.workers} workers, DEBUG off; {options.rounds} measured requests per page "
        f"(after {WARM_UP} warm-up rounds), interleaved; ratio = median / the bare page's median"
        " (both columns' requests); q = SQL queries.\n"
    )
    show(pages, results, list(SIZES))


if __name__ == "__main__":
    main()
