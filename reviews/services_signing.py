"""The review's steps after it is shared: the employee's comment, both signatures, HR's finalise and reopen.

The same rules as reviews.services_reviews, which re-exports these and shares the state move below: every step
is a conditional update on the state sets of reviews.rules_reviews, recorded in the audit trail in the same
transaction; of two people acting at once exactly one wins and the other is told who came first.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.states import move_state
from cycles.models import Conversation, ConversationState
from organizations import audit

from .models import Review, ReviewState
from .refusals_reviews import refusal
from .rules_reviews import COMMENTABLE, EMPLOYEE_SIGNABLE, FINALISABLE, MANAGER_SIGNABLE, REOPENABLE

# --- what every step shares ---------------------------------------------------------------------------------


def _move(review: Review, allowed: frozenset, to: str, *, not_yet: str, **fields) -> None:
    """Move the review from one of ``allowed`` to ``to``, setting ``fields``, and record it; or refuse."""
    now = timezone.now()
    if not move_state(Review, review.pk, allowed, to, field="state", updated_at=now, **fields):
        raise refusal(review, allowed=allowed, not_yet=not_yet)
    audit.record_update(review, state=to, **fields)
    review.refresh_from_db()


def _require(condition: bool) -> None:
    """A service called for someone the view would have refused (403): refused here too, never done."""
    if not condition:
        raise ValidationError(_("You may not do this with this review."))


# --- the employee's part -----------------------------------------------------------------------------------------


def _not_shared() -> str:
    return _(
        "This review has not been shared yet (or was taken back to draft), so it cannot be signed or commented on."
    )


@transaction.atomic
def review_comment(*, review: Review, actor, comment: str, disagrees: bool) -> Review:
    """The employee's comment and whether they disagree, until they sign. Harmless to run twice."""
    _require(review.employee_id == actor.pk)
    values = {"employee_comment": comment.strip(), "employee_disagrees": bool(disagrees)}
    # A conditional update on the state as it is now: a signature or a reopen that came first wins.
    moved = (
        Review.objects.filter(pk=review.pk, state__in=list(COMMENTABLE)).update(updated_at=timezone.now(), **values)
        == 1
    )
    if not moved:
        raise refusal(review, allowed=COMMENTABLE, not_yet=_not_shared())
    audit.record_update(review, **values)
    review.refresh_from_db()
    return review


def not_held_yet() -> str:
    """Why a review cannot be signed before its conversation took place."""
    return _(
        "The conversation has not been held yet: the review is signed “seen and discussed” once it has taken "
        "place. The manager marks the conversation as held on the conversation page."
    )


@transaction.atomic
def review_sign(*, review: Review, actor) -> Review:
    """Sign "seen and discussed" as the employee or as the manager, in either order; the second makes it SIGNED.

    Only once the review's conversation has been held (cycles' ConversationState.HELD): the condition is part of
    the conditional update, on the conversation's row as it is now, so a page that still showed the button
    before the conversation was reopened or cancelled signs nothing.
    Each signature is one conditional update from the states it may come from: of two people signing at once
    both signatures land (the second finds the first's state and completes it), and of two clicks by the same
    person only the first counts; the second is told it was already signed.
    """
    now = timezone.now()
    if actor.pk == review.employee_id:
        first, second, stamp = (
            (ReviewState.SHARED, ReviewState.EMPLOYEE_SIGNED),
            ReviewState.MANAGER_SIGNED,
            "employee_signed_at",
        )
        allowed = EMPLOYEE_SIGNABLE
    elif actor.pk == review.manager_id:
        first, second, stamp = (
            (ReviewState.SHARED, ReviewState.MANAGER_SIGNED),
            ReviewState.EMPLOYEE_SIGNED,
            "manager_signed_at",
        )
        allowed = MANAGER_SIGNABLE
    else:
        raise ValidationError(_("Only the employee and the manager who wrote this review sign it."))
    fields = {stamp: now, "updated_at": now}
    # A subquery on the conversation, not a join: with a join Django writes the whole condition, the review's
    # state included, into a subquery, which PostgreSQL does not re-check after waiting for a concurrent signature
    # (both would win). Here the state stays on the updated row itself.
    conversation_held = Conversation.objects.filter(
        organization_id=review.organization_id, pk=review.conversation_id, state=ConversationState.HELD
    )
    held = Review.objects.filter(conversation_id__in=conversation_held.values("pk"))
    if move_state(held, review.pk, first[0], first[1], field="state", **fields):
        to = first[1]
    elif move_state(held, review.pk, second, ReviewState.SIGNED, field="state", **fields):
        to = ReviewState.SIGNED
    elif Review.objects.filter(pk=review.pk, state__in=list(allowed)).exists():
        raise ValidationError(not_held_yet())  # in a state to sign, but the conversation was not held
    else:
        raise refusal(review, allowed=allowed, not_yet=_not_shared())
    audit.record_update(review, state=to)
    review.refresh_from_db()
    return review


# --- HR ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def review_finalise(*, review: Review, actor) -> Review:
    """HR locks a review signed by both; from then on nothing changes but a reopen. Twice: refused, by whom."""
    now = timezone.now()
    _move(
        review,
        FINALISABLE,
        ReviewState.FINALISED,
        not_yet=_("This review has not been signed by both yet, so it cannot be finalised."),
        finalised_at=now,
        finalised_by=actor,
    )
    return review


@transaction.atomic
def review_reopen(*, review: Review, actor, reason: str) -> Review:
    """HR takes a finalised review back to draft, with a reason (kept and in the history); both signatures go."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the review is reopened.")})
    _move(
        review,
        REOPENABLE,
        ReviewState.DRAFT,
        not_yet=_("Only a finalised review can be reopened."),
        reopen_reason=reason,
        shared_at=None,
        employee_signed_at=None,
        manager_signed_at=None,
        finalised_at=None,
        finalised_by=None,
    )
    return review
