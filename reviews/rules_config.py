"""Rules of reviews: the rating scale, the outcome bands, the published rule and HR's list of a cycle's reviews.

HR configures the organisation's scale and each cycle's bands; everyone in the
organisation reads the rule that turns ratings into an outcome. A cycle's bands
may change while the cycle is being prepared or active and none of its reviews
has been shared: once an employee has seen an outcome, changing the rule would
rewrite it. The services test the same state sets (reviews.services_config), on
the cycle locked for the change, so a crafted POST meets the rule that hides the form.
"""

import rules

from cycles.models import CycleStatus
from organizations.permissions import is_hr_admin

from .models import ReviewState

# A cycle whose bands may still change (if none of its reviews has been shared): not closed.
BANDS_EDITABLE = frozenset({CycleStatus.DRAFT, CycleStatus.ACTIVE})
# The review states in which the employee has seen the outcome: every state after the draft.
SHARED_STATES = frozenset(state for state in ReviewState.values if state != ReviewState.DRAFT)


@rules.predicate
def bands_open(employee, cycle):
    """The cycle is being prepared or active, and none of its reviews has been shared.

    Reads ``cycle.has_shared_review``, which selectors_config.cycles_for_bands annotates; a cycle without it is
    asked once (so the predicate never answers "open" for want of the annotation).
    """
    if cycle is None or cycle.status not in BANDS_EDITABLE:
        return False
    shared = getattr(cycle, "has_shared_review", None)
    if shared is None:
        from .selectors_config import has_shared_review

        shared = has_shared_review(cycle=cycle)
    return not shared


# --- Rule names ------------------------------------------------------------------------------------------------

MANAGE_SCALE = "reviews.manage_scale"  # the organisation's rating scale and the cycles' bands (pages)
EDIT_BANDS = "reviews.edit_bands"  # about a cycle: change its outcome bands now
VIEW_CYCLE_REVIEWS = "reviews.view_cycle_reviews"  # HR's list of a cycle's reviews
READ_RULE = "reviews.read_rule"  # the published outcome rule: everyone in the organisation

rules.add_rule(MANAGE_SCALE, is_hr_admin)
rules.add_rule(EDIT_BANDS, is_hr_admin & bands_open)
rules.add_rule(VIEW_CYCLE_REVIEWS, is_hr_admin)
rules.add_rule(READ_RULE, rules.always_allow)
