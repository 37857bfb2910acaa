from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from . import hooks, receivers  # noqa: F401 - receivers connects to cycles' signals

        hooks.register()  # the sheet, coverage, links and request reminders on the pages of lower apps
        self._register_audit()

    def _register_audit(self):
        """What of observations and reviews goes into the audit trail (organizations/audit.py).

        Every text people write and every step of a review: an observation's correction is an entry whose
        changes hold the old text, so nothing said about someone is lost.
        """
        from organizations import audit

        from .models import Observation, ObservationRequest, OutcomeBand, Rating, RatingLevel, Review, SelfReflection

        audit.register(
            Observation,
            fields=(
                "expectation",
                "observed_on",
                "situation",
                "behaviour",
                "effect",
                "shows",
                "held_for",
                "version",
                "reaction",
            ),
        )
        audit.register(ObservationRequest, fields=("colleague", "expectation", "due_on", "message", "state"))
        audit.register(
            Review,
            fields=(
                "state",
                "summary",
                "band",
                "justification",
                "employee_comment",
                "employee_disagrees",
                "reopen_reason",
            ),
            deletes=False,
        )
        audit.register(Rating, fields=("level", "reason_without_evidence", "note"), m2m=("evidence",))
        audit.register(SelfReflection, fields=("answers", "submitted_at"))
        audit.register(RatingLevel, fields=("value", "label_nl", "label_en", "description_nl", "description_en"))
        audit.register(OutcomeBand, fields=("name_nl", "name_en", "description_nl", "description_en", "min_score"))
