"""Send the reminders that are due, once or every N seconds: the dispatcher without Celery (``make run`` uses it).

Like the beat task, each tick first plans the changes still waiting for the planner (cycles.plan_requests).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from cycles.dispatch import reminders_dispatch
from cycles.plan_requests import plan_requests_process


class Command(BaseCommand):
    help = "Plan waiting changes and send due reminders (once, or every SECONDS with --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, metavar="SECONDS", help="keep running, one tick every SECONDS")

    def handle(self, *args, loop=None, **options):
        if loop is not None and loop < 1:
            raise CommandError("--loop takes a number of seconds of at least 1.")
        while True:
            started = time.monotonic()
            planned = plan_requests_process()
            if planned:
                self.stdout.write(f"plans: {planned} change(s) re-planned")
            tick = reminders_dispatch()
            if tick.handled or loop is None:
                self.stdout.write(
                    f"reminders: {tick.sent} sent, {tick.failed} failed, {tick.retrying} to retry, "
                    f"{tick.missed} missed, {tick.skipped} skipped"
                )
            if loop is None:
                return
            time.sleep(max(0.0, loop - (time.monotonic() - started)))
