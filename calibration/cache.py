"""Remembering a cycle's calibration figures while nothing they count has changed.

The calibration summary aggregates every counted review of a cycle, their ratings and the evidence they cite:
about 0.25 s at 10,000 people, on every visit of the calibration page and of the cockpit. Reviews change rarely
compared with how often HR looks, so the result is kept in Django's cache (Redis when REDIS_URL is set) under a
key that changes with the cycle's reviews: their number, the newest id and the latest ``updated_at`` (every
review service, HR's moves included, stamps ``updated_at``). One small aggregate query finds that key.

What the key does not see (a person moving to another team, an observation's date corrected) shows within
``CALIBRATION_CACHE_SECONDS`` (300 by default; 0 turns the cache off, as the test settings do). When the cache
cannot be reached, the figures are computed as if nothing were kept (core.cache).
"""

from collections.abc import Callable

from django.conf import settings

from core import cache as core_cache
from cycles.models import Cycle
from reviews.models import Review


def fingerprint(*, cycle: Cycle) -> str:
    """What changes whenever one of ``cycle``'s reviews is added, removed or changed: one aggregate query."""
    return core_cache.fingerprint(Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle))


def remembered(*, cycle: Cycle, name: str, compute: Callable, extra: str = ""):
    """``compute()``, or what it returned before for ``cycle`` while its reviews have not changed."""
    key = f"calibration.{name}.{cycle.organization_id}.{cycle.pk}.{fingerprint(cycle=cycle)}.{extra}"
    return core_cache.remembered(key, compute, seconds=getattr(settings, "CALIBRATION_CACHE_SECONDS", 300))
