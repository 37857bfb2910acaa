from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalibrationConfig(AppConfig):
    name = "calibration"
    verbose_name = _("Calibration")

    def ready(self):
        from . import hooks, rules  # noqa: F401 - rules registers the rule names

        hooks.register()
        self._register_audit()

    def _register_audit(self):
        """What of calibration goes into the audit trail (organizations/audit.py): the window, its thresholds, and
        every outcome HR moves (the review's own entry records the band it got; the move keeps the reason)."""
        from organizations import audit

        from .models import Calibration, OutcomeMove

        audit.register(
            Calibration,
            fields=("window", "opened_at", "closed_at", "share_points", "min_reviews", "recency_percent"),
        )
        audit.register(OutcomeMove, fields=("review", "from_band", "to_band", "reason"), deletes=False)
