"""What a review step says when it finds the review elsewhere than it may start from: not yet, or who came first.

The services (reviews.services_reviews) call :func:`refusal` after a conditional update changed nothing, so the
person on a stale page reads what happened meanwhile ("This review was already signed by … on …").
"""

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Review, ReviewState

# The order of the states, to tell "not yet" from "already" when a step finds the review elsewhere.
STEP = {
    ReviewState.DRAFT: 0,
    ReviewState.SHARED: 1,
    ReviewState.EMPLOYEE_SIGNED: 2,
    ReviewState.MANAGER_SIGNED: 2,
    ReviewState.SIGNED: 3,
    ReviewState.FINALISED: 4,
}


def _on(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else ""


def _already(review: Review) -> str:
    """What happened to the review, said as the reason a step that came too late is refused."""
    state = review.state
    if state == ReviewState.FINALISED:
        name = review.finalised_by.full_name if review.finalised_by else _("HR")
        return _("This review was already finalised by %(name)s on %(date)s; nothing can be changed any more.") % {
            "name": name,
            "date": _on(review.finalised_at),
        }
    if state == ReviewState.SIGNED:
        return _("This review was already signed by %(employee)s and %(manager)s.") % {
            "employee": review.employee.full_name,
            "manager": review.manager.full_name,
        }
    if state == ReviewState.EMPLOYEE_SIGNED:
        return _("This review was already signed by %(name)s on %(date)s.") % {
            "name": review.employee.full_name,
            "date": _on(review.employee_signed_at),
        }
    if state == ReviewState.MANAGER_SIGNED:
        return _("This review was already signed by %(name)s on %(date)s.") % {
            "name": review.manager.full_name,
            "date": _on(review.manager_signed_at),
        }
    if state == ReviewState.SHARED:
        return _("This review was already shared with %(name)s on %(date)s.") % {
            "name": review.employee.full_name,
            "date": _on(review.shared_at),
        }
    return _("This review is a draft: it has not been shared with %(name)s.") % {"name": review.employee.full_name}


def refusal(review: Review, *, allowed: frozenset, not_yet: str) -> ValidationError:
    """The refusal of a step the review (as it is now in the database) is not in a state for.

    ``not_yet`` when the review has not reached the step's states, else what happened to it first (and by whom).
    """
    review.refresh_from_db()
    first = min(STEP[state] for state in allowed)
    if STEP[review.state] < first:
        return ValidationError(not_yet)
    return ValidationError(_already(review))
