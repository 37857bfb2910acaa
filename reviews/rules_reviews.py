"""Rules of reviews: the review workflow and its ratings (see reviews/rules.py).

Who writes a review is its ``manager``: the employee's manager when it was
started (reviews.services_reviews.review_start). HR sees every review and
finalises and reopens it, but does not write it: the manager's judgement stays
the manager's. The employee sees their review once it is shared (a draft is
404 to them), comments until they sign, and signs "seen and discussed" once the conversation was held.

The state sets below are the ones the services' conditional updates read, so a
button shows exactly when its POST would be accepted; a view answers 403 on
the role part (:data:`WRITE_REVIEW`, :data:`SIGN_AS_EMPLOYEE` ...) and leaves
the state to the service, which refuses with a message naming who moved it.
"""

import rules

from core.rules import field_in
from cycles.models import ConversationState
from cycles.rules import manages_the_person
from organizations.permissions import is_hr_admin

from .models import ReviewState
from .rules import is_about_self, manages_its_person

# --- The states a step may start from. reviews.services_reviews reads these same sets. ----------------------

EDITABLE = frozenset({ReviewState.DRAFT})  # ratings, summary and outcome change; it may be shared
SHARED = frozenset({ReviewState.SHARED})  # shared, nobody signed: the manager may take it back
# The employee comments until they sign.
COMMENTABLE = frozenset({ReviewState.SHARED, ReviewState.MANAGER_SIGNED})
EMPLOYEE_SIGNABLE = frozenset({ReviewState.SHARED, ReviewState.MANAGER_SIGNED})
MANAGER_SIGNABLE = frozenset({ReviewState.SHARED, ReviewState.EMPLOYEE_SIGNED})
FINALISABLE = frozenset({ReviewState.SIGNED})
REOPENABLE = frozenset({ReviewState.FINALISED})
# What the employee sees: everything but a draft.
VISIBLE_TO_EMPLOYEE = frozenset(set(ReviewState) - {ReviewState.DRAFT})

is_editable = field_in("state", EDITABLE, "review_is_editable")
is_shared = field_in("state", SHARED, "review_is_shared")
is_commentable = field_in("state", COMMENTABLE, "review_is_commentable")
employee_may_sign = field_in("state", EMPLOYEE_SIGNABLE, "review_employee_may_sign")
manager_may_sign = field_in("state", MANAGER_SIGNABLE, "review_manager_may_sign")
is_finalisable = field_in("state", FINALISABLE, "review_is_finalisable")
is_reopenable = field_in("state", REOPENABLE, "review_is_reopenable")
is_visible_to_employee = field_in("state", VISIBLE_TO_EMPLOYEE, "review_is_visible_to_employee")


@rules.predicate
def writes_review(employee, review):
    """``employee`` is the manager who writes ``review``."""
    return employee is not None and review is not None and review.manager_id == employee.pk


@rules.predicate
def conversation_is_held(employee, review):
    """The review's conversation took place (the selector loads ``review.conversation``): it may be signed."""
    return review is not None and review.conversation.state == ConversationState.HELD


@rules.predicate
def rates_at(employee, conversation):
    """The conversation is at a moment that produces a rating (the selector loads the moment)."""
    return conversation is not None and conversation.moment.produces_rating


@rules.predicate
def not_cancelled(employee, conversation):
    """The conversation was not cancelled (review_start refuses a cancelled one; the button does not offer it)."""
    return conversation is not None and conversation.state != ConversationState.CANCELLED


# --- Rule names -------------------------------------------------------------------------------------------------

START_REVIEW = "reviews.start_review"  # about a conversation
SEE_REVIEW = "reviews.see_review"
SEE_REVIEW_HISTORY = "reviews.see_review_history"
SEE_DEVIATION = "reviews.see_deviation"
WRITE_REVIEW = "reviews.write_review"  # the role part of editing, sharing, taking back, the manager's signature
EDIT_REVIEW = "reviews.edit_review"
SHARE_REVIEW = "reviews.share_review"
UNSHARE_REVIEW = "reviews.unshare_review"
COMMENT_AS_EMPLOYEE = "reviews.comment_as_employee"  # the role part of commenting and the employee's signature
COMMENT_REVIEW = "reviews.comment_review"
SIGN_AS_EMPLOYEE = "reviews.sign_as_employee"
SIGN_AS_MANAGER = "reviews.sign_as_manager"
SIGN_REVIEW = "reviews.sign_review"  # the role part of signing: one of the two who sign
FINALISE_AS_HR = "reviews.finalise_as_hr"  # the role part of finalising and reopening
FINALISE_REVIEW = "reviews.finalise_review"
REOPEN_REVIEW = "reviews.reopen_review"

# The person's manager starts the review of their conversation at a moment that produces a rating (HR does not write).
rules.add_rule(START_REVIEW, manages_the_person & rates_at & not_cancelled)
# HR, who writes it, and the person's manager always; the person once it is shared. Anyone else: 404.
rules.add_rule(SEE_REVIEW, is_hr_admin | writes_review | manages_its_person | (is_about_self & is_visible_to_employee))
# Who did what and when: HR, the manager who writes it and the person's manager (of every change), and the
# person once it is shared (from the first share on: selectors_reviews.review_history_for_employee).
rules.add_rule(
    SEE_REVIEW_HISTORY, is_hr_admin | writes_review | manages_its_person | (is_about_self & is_visible_to_employee)
)
# A band other than the rule gives is flagged to HR (and shown to the manager who chose it).
rules.add_rule(SEE_DEVIATION, is_hr_admin | writes_review)
rules.add_rule(WRITE_REVIEW, writes_review)
rules.add_rule(EDIT_REVIEW, writes_review & is_editable)
rules.add_rule(SHARE_REVIEW, writes_review & is_editable)
rules.add_rule(UNSHARE_REVIEW, writes_review & is_shared)
rules.add_rule(COMMENT_AS_EMPLOYEE, is_about_self)
rules.add_rule(COMMENT_REVIEW, is_about_self & is_commentable)
rules.add_rule(SIGN_REVIEW, is_about_self | writes_review)
# "Seen and discussed": only once the conversation has been held (reviews.services_reviews.review_sign).
rules.add_rule(SIGN_AS_EMPLOYEE, is_about_self & employee_may_sign & conversation_is_held)
rules.add_rule(SIGN_AS_MANAGER, writes_review & manager_may_sign & conversation_is_held)
rules.add_rule(FINALISE_AS_HR, is_hr_admin)
rules.add_rule(FINALISE_REVIEW, is_hr_admin & is_finalisable)
rules.add_rule(REOPEN_REVIEW, is_hr_admin & is_reopenable)
