"""HR moves a proposed outcome to another band of its cycle, with a reason the manager reads.

A move is possible while the cycle is active, its calibration window is open and the review is still a draft with
an outcome. It writes, in one transaction: the OutcomeMove (audited on save), the review's new band by a
conditional update on the review (still a draft, and still the band HR saw when the form was shown) and the
review's audit entry. The review then deviates from the rule (Review.deviates): the manager's justification stays
theirs, the move's reason is HR's. The budget (pay.selectors_budget) and the distributions read the review's band,
so they follow without anything more.

Locks: the calibration row first (so the window cannot close under a move, and a share waits for it), then the
review; review_share takes them in the same order, so the two never deadlock.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cycles.models import CycleStatus
from organizations import audit
from organizations.models import Employee
from reviews.models import OutcomeBand, Review, ReviewState
from reviews.refusals_reviews import refusal

from .guards import window_state
from .models import OutcomeMove, Window

REASON_LIMIT = 2000


def changed_meanwhile() -> str:
    return _(
        "The review changed meanwhile (its manager saved or shared it): here it is as it is now. Check its "
        "outcome and move it again if you still want to."
    )


def not_movable(*, review: Review, window: str) -> str:
    """Why the outcome of ``review`` (its cycle fetched) cannot be moved now, or "" when it can.

    ``window`` is the calibration window of its cycle (calibration.guards.window_state).
    """
    status = review.cycle.status
    if status == CycleStatus.CLOSED:
        return _("This cycle is closed: its outcomes can no longer be moved.")
    if status != CycleStatus.ACTIVE:
        return _("This cycle is not active yet, so there are no outcomes to move.")
    if window != Window.OPEN:
        return _("Outcomes can be moved only while the calibration window of the cycle is open.")
    if review.state != ReviewState.DRAFT:
        return str(refusal(review, allowed=frozenset({ReviewState.DRAFT}), not_yet="").messages[0])
    if review.band_id is None:
        return _("This review has no outcome yet: its manager has not rated it, so there is nothing to move.")
    return ""


def _reason_error(reason: str) -> str:
    if not reason:
        return _("Write why you move this outcome; the manager reads it.")
    if len(reason) > REASON_LIMIT:
        return _("Keep the reason to %(limit_value)d characters at most.") % {"limit_value": REASON_LIMIT}
    return ""


@transaction.atomic
def outcome_move(
    *, review: Review, to_band_id: int | None, reason: str, shown_band_id: int | None, actor: Employee
) -> OutcomeMove:
    """Move ``review``'s outcome to band ``to_band_id`` of its cycle, with ``reason``; refused with nothing changed.

    ``shown_band_id`` is the outcome the form showed: when the review has another one now, or is no longer a draft,
    the conditional update changes nothing and HR is told the review changed meanwhile. Protects: only the cycle's
    own bands, another band than the one it has, a reason, and only within the window. Running it twice: the second
    finds the band changed and is refused.
    """
    window = window_state(review=review, lock=True)
    if why := not_movable(review=review, window=window):
        raise ValidationError(why)
    reason = (reason or "").strip()
    to_band = OutcomeBand.objects.filter(
        organization_id=review.organization_id, cycle_id=review.cycle_id, pk=to_band_id or 0
    ).first()
    errors = {"reason": _reason_error(reason)}
    if to_band is None:
        errors["to_band"] = _("Choose one of the outcomes of this cycle.")
    if errors := {field: message for field, message in errors.items() if message}:
        raise ValidationError(errors)
    if shown_band_id != review.band_id:
        raise ValidationError(changed_meanwhile())
    if to_band.pk == review.band_id:
        raise ValidationError({"to_band": _("This review already has this outcome: choose another one.")})
    now = timezone.now()
    moved = Review.objects.filter(
        organization_id=review.organization_id, pk=review.pk, state=ReviewState.DRAFT, band_id=shown_band_id
    ).update(band=to_band, updated_at=now)
    if moved != 1:
        raise ValidationError(changed_meanwhile())
    move = OutcomeMove.objects.create(
        organization_id=review.organization_id,
        cycle_id=review.cycle_id,
        review=review,
        from_band_id=shown_band_id,
        to_band=to_band,
        reason=reason,
        moved_by=actor,
        moved_at=now,
    )
    audit.record_update(review, band=to_band)
    return move
