"""What HR's cockpit reads: where the newest active cycle stands, each figure from the selector of the page it links to.

The cockpit itself (:func:`cockpit`) reads what the database counts in a few milliseconds at any size:

- progress per moment and the overdue conversations: cycles.selectors.cycle_progress (the progress page's table);
- reviews per state: reviews.selectors_config.review_counts (HR's list of the cycle's reviews).

Four queries: the cycle, its moments and their conversations per state (two), the reviews per state (one).

Two parts cost more at 10,000 people, because they decide per person which review counts (pay.selectors_budget.
counted_reviews) and, for calibration, weigh the evidence: the calibration flags (calibration.selectors_calibration.
summary_of, about 0.4 s) and the budget (pay.selectors_budget.budget_of, about 0.13 s). The cockpit page loads them
after itself, each from an address of its own (calibration.views_cockpit), so it answers quickly and every figure
still comes from the page it links to.
"""

from dataclasses import dataclass

from cycles.models import Cycle, CycleStatus
from cycles.selectors import MomentProgress, cycle_progress
from cycles.selectors_year import organization_cycle
from organizations.models import Organization
from reviews.models import ReviewState
from reviews.selectors_config import review_counts


@dataclass
class Cockpit:
    """The newest active cycle at a glance (see the module's docstring)."""

    cycle: Cycle
    progress: list[MomentProgress]
    reviews: dict  # review_counts: total and one count per ReviewState value

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.progress)

    @property
    def per_state(self) -> list[tuple[str, str, int]]:
        """(state, label, count) for every state of a review, in the order a review goes through them."""
        return [(value, label, self.reviews[value]) for value, label in ReviewState.choices]


def cockpit_cycle(*, organization: Organization) -> Cycle | None:
    """The current active cycle (the one whose dates hold today, else the nearest: cycles.selectors_year), or None:
    one query."""
    return organization_cycle(organization=organization, statuses=(CycleStatus.ACTIVE,))


def cockpit(*, organization: Organization) -> Cockpit | None:
    """HR's cockpit of the current active cycle; None when no cycle is active."""
    cycle = cockpit_cycle(organization=organization)
    if cycle is None:
        return None
    return Cockpit(cycle=cycle, progress=cycle_progress(cycle=cycle), reviews=review_counts(cycle=cycle))
