"""What weighs, per team, as the expectations index and the settings page show it (expectations/_weights.html).

An organisation of 300 teams has 300 groups (selectors.groups) and, while its weights are being set, as many
warnings. Both pages show them bounded: the groups that need attention first (over the maximum, or weights that do
not add up to 100 %), then the others, ``PAGE_SIZE`` a page (``?weights=<page>``); the first ``WARNINGS_SHOWN``
warnings in words, and how many more the table marks.
"""

from django.core.paginator import Paginator

from .services import weight_is_off, weight_warning

PAGE_SIZE = 50
WARNINGS_SHOWN = 5


def needs_attention(group, cap: int) -> bool:
    """Over the maximum, or (with people and expectations) weights that do not add up to 100 %: what the table's
    badges and the warnings (services.weight_warning) point out."""
    return group.count > cap or weight_is_off(group)


def weights_context(request, *, groups, cap: int) -> dict:
    """The template variables of _weights.html: ``weights`` (one page of groups, those needing attention first),
    ``weights_attention`` (how many need it), ``warnings_shown`` (the first WARNINGS_SHOWN sentences; only those
    are written out) and ``warnings_more``."""
    marked = [(group, needs_attention(group, cap)) for group in groups]
    attention = [group for group, needs in marked if needs]
    in_order = [group for group, needs in marked if not needs]
    off = [group for group in attention if weight_is_off(group)]  # weights that are off always need attention
    return {
        "weights": Paginator(attention + in_order, PAGE_SIZE).get_page(request.GET.get("weights")),
        "weights_attention": len(attention),
        "warnings_shown": [weight_warning(group) for group in off[:WARNINGS_SHOWN]],
        "warnings_more": max(0, len(off) - WARNINGS_SHOWN),
    }
