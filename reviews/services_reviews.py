"""The review workflow: start, rate, share (the manager's part); comment, sign, finalise and reopen are in
reviews.services_signing, re-exported here so callers keep one module to call.

Every state move is a conditional update on the state sets of reviews.rules_reviews
(``UPDATE … WHERE state IN …``, core.states.move_state), followed by
organizations.audit.record_update in the same transaction: of two people
acting at once exactly one wins, and the other is told who moved the review
first (reviews.refusals_reviews.refusal). Saving a draft is a conditional update too (on the
draft state), taken before the ratings are written, so a review that was shared
or finalised meanwhile (or a crafted POST on a finalised one) changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.states import move_state
from cycles.models import ConversationState
from expectations.models import ExpectationVersion
from expectations.selectors import applicable_expectations
from organizations import audit

from . import guards
from . import selectors_reviews as selectors
from .models import Rating, Review, ReviewState
from .outcome import band_for, weighted_score
from .refusals_reviews import refusal
from .rules_reviews import (
    EDITABLE,
    SHARED,
)

# The steps after sharing (the employee's comment, both signatures, HR's finalise and reopen) live in their own
# module, with the state move both share; re-exported here.
from .services_signing import (  # noqa: F401
    _move,
    _require,
    not_held_yet,
    review_comment,
    review_finalise,
    review_reopen,
    review_sign,
)


@dataclass
class RatingInput:
    """What the manager filled in for one rating; ``level`` None while they have not chosen one."""

    level: int | None = None
    evidence: list = field(default_factory=list)  # observation ids
    reason: str = ""
    note: str = ""


def level_field(rating_pk) -> str:
    """The name of a rating's field in the review form (and in the service's errors): ``rating-7-level``."""
    return f"rating-{rating_pk}-level"


def evidence_field(rating_pk) -> str:
    return f"rating-{rating_pk}-evidence"


def reason_field(rating_pk) -> str:
    return f"rating-{rating_pk}-reason"


# --- start ---------------------------------------------------------------------------------------------------------


def pinned_versions(*, expectations, moment, zone) -> dict:
    """Per expectation id, the version in force at the moment's window: the last published by its close, else current.

    The window closes at the end of ``closes_on`` in the organisation's zone. One query for all expectations.
    """
    closes = datetime.datetime.combine(moment.closes_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    pinned = {}
    rows = ExpectationVersion.objects.filter(
        organization_id=moment.organization_id,
        expectation__in=[row.pk for row in expectations],
        published_at__isnull=False,
        published_at__lt=closes,
    ).order_by("expectation_id", "number")
    for version in rows:
        pinned[version.expectation_id] = version  # the last one wins: the newest by the close
    return {row.pk: pinned.get(row.pk) or row.current_version for row in expectations}


def review_start(*, conversation, actor) -> tuple[Review, bool]:
    """The review of ``conversation`` (with a rating per applicable expectation), made the first time; (review, made).

    Protects "one review per conversation": running it twice, or two managers at once, gives the one review
    (the second finds it, or loses the unique constraint and reads the winner's). The ratings are pinned to
    the expectation version in force at the moment's window and copy its weight, which the rule reads.
    """
    existing = selectors.review_of_conversation(conversation=conversation)
    if existing is not None:
        return existing, False
    moment = conversation.moment
    if not moment.produces_rating:
        raise ValidationError(_("This conversation is not at a moment that produces a rating, so it has no review."))
    if conversation.state == ConversationState.CANCELLED:
        raise ValidationError(_("This conversation was cancelled, so it has no review."))
    _require(conversation.employee.manager_id == actor.pk)
    selectors.scale_and_bands(cycle=moment.cycle)  # the cycle's copy of the scale, before anyone rates on it
    try:
        with transaction.atomic():
            review = Review.objects.create(
                organization_id=conversation.organization_id,
                cycle=moment.cycle,  # the instance: the review's name in the history reads the cycle's name
                conversation=conversation,
                employee=conversation.employee,
                manager=actor,
            )
            expectations = list(applicable_expectations(employee=conversation.employee))
            versions = pinned_versions(expectations=expectations, moment=moment, zone=conversation.organization.zone)
            ratings = Rating.objects.bulk_create(
                Rating(
                    organization_id=review.organization_id,
                    review=review,
                    expectation=row,
                    expectation_version=versions[row.pk],
                    weight=versions[row.pk].weight,
                )
                for row in expectations
                if versions[row.pk] is not None
            )
            audit.record_creates(ratings)
    except IntegrityError:
        # Someone started it at the same moment; theirs is the review.
        return Review.objects.get(organization_id=conversation.organization_id, conversation=conversation), False
    return review, True


# --- the draft -----------------------------------------------------------------------------------------------------


def _rating_errors(rating, given: RatingInput, levels: set, offered: set) -> dict:
    errors = {}
    if given.level is not None and given.level not in levels:
        errors[level_field(rating.pk)] = _("Choose one of the levels of the rating scale.")
    if set(given.evidence) - offered:
        errors[evidence_field(rating.pk)] = _(
            "Choose observations of %(name)s in this cycle only; one of them is not."
        ) % {"name": rating.review.employee.full_name}
    if given.level is not None and not given.evidence and not given.reason.strip():
        errors[reason_field(rating.pk)] = _("Choose at least one observation as evidence, or write why there is none.")
    return errors


@transaction.atomic
def review_save(
    *, review: Review, actor, ratings: dict, summary: str = "", band=None, justification: str = ""
) -> Review:
    """Save the draft: each rating's level, evidence, reason and note; the summary; the outcome.

    ``ratings`` maps rating ids to :class:`RatingInput`. A rating may stay unrated while the manager works in
    steps, but a rated one cites an observation of the person or says why there is none. ``band`` None follows
    the rule; another band than the rule gives needs a ``justification``. Refused as a whole, at the fields
    (``rating-<id>-level`` ...): nothing is saved. Harmless to run twice.
    """
    _require(review.manager_id == actor.pk)
    levels_rows, bands = selectors.scale_and_bands(cycle=review.cycle)
    levels = {level.value for level in levels_rows}
    offered = set(
        selectors.evidence_for(review_employee=review.employee, cycle=review.cycle).values_list("pk", flat=True)
    )
    rows = list(selectors.ratings_of(review=review))
    errors = {}
    for rating in rows:
        rating.review = review
        errors.update(_rating_errors(rating, ratings.get(rating.pk, RatingInput()), levels, offered))
    score = weighted_score((ratings.get(row.pk, RatingInput()).level, row.weight) for row in rows)
    computed = band_for(score, bands)
    justification = justification.strip()
    if band is not None and band.pk not in {row.pk for row in bands}:
        errors["band"] = _("Choose one of the outcomes of this cycle.")
    else:
        kept = guards.kept_band_id(review)
        chosen = band or computed
        if kept is not None and (chosen is None or chosen.pk != kept) and not justification:
            # HR gave this review its band in calibration, with a reason: leaving it is the manager's to explain.
            errors["justification"] = _(
                "HR moved this outcome in calibration; explain why you choose another outcome than HR's."
            )
        elif band is not None and band != computed and not justification and band.pk != kept:
            # A band HR gave in calibration keeps HR's written reason (reviews.guards): no justification asked.
            errors["justification"] = _("Explain why you choose another outcome than the rule gives.")
    if errors:
        raise ValidationError(errors)
    deviates = band is not None and band != computed
    values = {
        "summary": summary.strip(),
        "score": score,
        "computed_band": computed,
        "band": band if deviates else computed,
        "justification": justification if deviates else "",
    }
    # The guard: only a draft is saved. On PostgreSQL this UPDATE also holds the row, so a share or a
    # finalise arriving meanwhile waits for these ratings and then reads them.
    if not move_state(
        Review, review.pk, EDITABLE, ReviewState.DRAFT, field="state", updated_at=timezone.now(), **values
    ):
        raise refusal(review, allowed=EDITABLE, not_yet="")
    audit.record_update(review, **values)
    for rating in rows:
        given = ratings.get(rating.pk)
        if given is None:
            continue
        changed = {
            "level": given.level,
            "reason_without_evidence": given.reason.strip(),
            "note": given.note.strip(),
        }
        if any(getattr(rating, name) != value for name, value in changed.items()):
            for name, value in changed.items():
                setattr(rating, name, value)
            rating.save(update_fields=list(changed))
        if {row.pk for row in rating.evidence.all()} != set(given.evidence):
            rating.evidence.set(given.evidence)
    review.refresh_from_db()
    return review


def is_incomplete(rating: Rating) -> bool:
    """The rating (its evidence prefetched) still lacks a level, or both evidence and a reason."""
    return rating.level is None or (not rating.evidence.all() and not rating.reason_without_evidence.strip())


def incomplete_ratings(*, review: Review) -> list:
    """The ratings that still lack a level, or both evidence and a reason (as stored)."""
    return [rating for rating in selectors.ratings_of(review=review) if is_incomplete(rating)]


@transaction.atomic
def review_share(*, review: Review, actor) -> Review:
    """Show the review to the employee: every rating complete and an outcome chosen. Twice: refused, it moved on.

    The state moves first, so the row is held while the ratings are read: a save racing it is seen whole. A higher
    app may refuse it for now (reviews.guards: calibration's window); then nothing changes.
    """
    _require(review.manager_id == actor.pk)
    if refused := guards.share_refusal(review):
        raise ValidationError(refused)
    now = timezone.now()
    _move(review, EDITABLE, ReviewState.SHARED, not_yet="", shared_at=now)
    missing = incomplete_ratings(review=review)
    if missing:
        names = ", ".join(rating.expectation_version.local_title for rating in missing)
        raise ValidationError(
            _("Rate every expectation, with evidence or a reason, before you share the review. Still open: %(names)s.")
            % {"names": names}
        )
    if review.band_id is None:
        raise ValidationError(_("The review has no outcome yet: rate the expectations first."))
    return review


@transaction.atomic
def review_unshare(*, review: Review, actor) -> Review:
    """Take a shared review back to draft, while nobody has signed it; the employee no longer sees it."""
    _require(review.manager_id == actor.pk)
    _move(
        review,
        SHARED,
        ReviewState.DRAFT,
        not_yet=_("This review is a draft already."),
        shared_at=None,
    )
    return review
