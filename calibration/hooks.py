"""What calibration adds to the apps below it, through the hooks they offer (called from CalibrationConfig.ready).

- reviews.guards: no sharing while the cycle's calibration window is open; HR's moves as notes on the review's
  page; HR's "Move the outcome…" link there; the band HR moved to needs no justification from the manager;
- cycles.extensions: links on HR's cycle page to the calibration page and its window.
"""

from django.utils.translation import gettext_lazy as _

from cycles import extensions
from reviews import guards as review_guards

from . import guards


def register() -> None:
    review_guards.register_share_guard(guards.window_open)
    review_guards.register_review_note(guards.moved_outcome_notes)
    review_guards.register_review_link(guards.move_link)
    review_guards.register_outcome_keeper(guards.moved_band)
    extensions.register_cycle_link(_("Calibration"), "calibration:calibration")
    extensions.register_cycle_link(_("Calibration window"), "calibration:window")
