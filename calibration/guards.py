"""What calibration tells the review pages through reviews.guards (registered in calibration/hooks.py).

- :func:`window_open`, a share guard: no review of a cycle is shared while HR's calibration window of that cycle is
  open, so the outcomes HR compares and moves stay drafts until the window closes.
- :func:`moved_outcome_notes`, a review note: each outcome HR moved, with the reason, for the manager and HR.
- :func:`move_link`, a review link: HR's way from a review to moving its outcome, while that is possible.

Each is at most one query, and none for someone it says nothing to.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cycles.models import CycleStatus
from organizations.permissions import can
from reviews.models import Review, ReviewState

from .models import Calibration, OutcomeMove, Window
from .rules import CALIBRATE


def window_state(*, review: Review, lock: bool = False) -> str:
    """The calibration window of ``review``'s cycle (Window.NONE when HR never changed it): one query.

    ``lock`` holds the calibration row for the caller's transaction (PostgreSQL; SQLite has one writer anyway).
    """
    rows = Calibration.objects.filter(organization_id=review.organization_id, cycle_id=review.cycle_id)
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("window", flat=True).first() or Window.NONE


def window_refusal() -> str:
    """Why a review cannot be shared while the window is open (the manager reads it instead of the Share button)."""
    return _("HR is calibrating the outcomes of this cycle: reviews can be shared once the calibration window closes.")


def window_open(review: Review) -> str | None:
    """The share guard: refuse while the window of the review's cycle is open.

    Inside a transaction (review_share's) the calibration row is locked whatever its window, then read: a window
    opening at the same moment waits for the share to commit, or the share waits for the opening and reads it, so a
    review is never shared after the window opened. (Before the first opening there is no row to lock: a share
    already under way then commits as if it came just before.) Outside one (the review page) it only reads.
    """
    lock = transaction.get_connection().in_atomic_block
    return window_refusal() if window_state(review=review, lock=lock) == Window.OPEN else None


def move_sentence(move: OutcomeMove) -> str:
    """One move as the review page and the manager read it (its bands fetched)."""
    return _("HR moved the outcome from “%(from)s” to “%(to)s” on %(date)s: %(reason)s") % {
        "from": move.from_band.local_name,
        "to": move.to_band.local_name,
        "date": formats.date_format(timezone.localtime(move.moved_at), "DATE_FORMAT"),
        "reason": move.reason,
    }


def moved_outcome_notes(review: Review) -> list[str]:
    """Every outcome HR moved of ``review``, oldest first: one query (reads move_review_idx)."""
    moves = (
        OutcomeMove.objects.filter(organization_id=review.organization_id, review_id=review.pk)
        .select_related("from_band", "to_band")
        .order_by("moved_at", "pk")
    )
    return [move_sentence(move) for move in moves]


def move_link(review: Review, viewer) -> list[tuple[str, str]]:
    """HR's link to move the outcome of a draft with an outcome in an active cycle, while the window is open.

    No query for anyone else, or for a review that cannot be moved whatever the window.
    """
    movable = review.state == ReviewState.DRAFT and review.band_id is not None
    if not (movable and review.cycle.status == CycleStatus.ACTIVE and can(viewer, CALIBRATE)):
        return []
    if window_state(review=review) != Window.OPEN:
        return []
    address = reverse(
        "calibration:move",
        kwargs={"org_slug": review.organization.slug, "cycle_id": review.cycle_id, "review_id": review.pk},
    )
    return [(_("Move the outcome…"), address)]


def moved_band(review: Review) -> int | None:
    """The band of HR's latest move of ``review`` while it still has it (its reason stands in for the manager's
    justification), else None: one query."""
    found = (
        OutcomeMove.objects.filter(organization_id=review.organization_id, review_id=review.pk)
        .order_by("-moved_at", "-pk")
        .values_list("to_band_id", flat=True)
        .first()
    )
    return found if found is not None and found == review.band_id else None
