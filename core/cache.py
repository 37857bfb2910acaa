"""Keeping a costly result in Django's cache (Redis when REDIS_URL is set) under a key that changes with its data.

The callers build the key from a fingerprint: one small aggregate query over the rows the result depends on
(their number, the newest id, the latest ``updated_at``), so a change shows at once; what the fingerprint does
not see shows within the caller's number of seconds. The cache is a help, never a reason to fail a page: when it
cannot be reached, the result is computed as if nothing were kept.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max

logger = logging.getLogger(__name__)


def remembered(key: str, compute: Callable, *, seconds: int):
    """``compute()``, or what it returned before under ``key`` in the last ``seconds`` (0: always compute)."""
    if not seconds:
        return compute()
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("cache unreachable", exc_info=True)
        return compute()
    if found is not None:
        return found
    found = compute()
    try:
        cache.set(key, found, seconds)
    except Exception:
        logger.warning("cache unreachable", exc_info=True)
    return found


def fingerprint(rows, **more) -> str:
    """What changes whenever one of ``rows`` (a queryset of a model that stamps ``updated_at`` on every change) is
    added, removed or changed: their number, the newest id and the latest ``updated_at``, in one aggregate query.
    ``more``: further aggregates to take along (e.g. the newest row of a related table)."""
    found = rows.order_by().aggregate(number=Count("pk"), newest=Max("pk"), changed=Max("updated_at"), **more)
    found["changed"] = found["changed"].timestamp() if found["changed"] else 0
    return ".".join(str(found[name]) for name in sorted(found))
