"""Hooks that higher apps connect to, so that cycles never imports them.

Each signal is sent inside the service's transaction, with ``cycle`` as a
keyword argument.
"""

from django.dispatch import Signal

# A cycle became active (cycles.services.cycle_activate, the first time only): its calendar is fixed. Higher apps
# freeze what the cycle's assessments read from then on (the rating scale and the outcome bands, for one).
cycle_activated = Signal()
