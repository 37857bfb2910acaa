from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpectationsConfig(AppConfig):
    name = "expectations"
    verbose_name = _("Expectations")

    def ready(self):
        from organizations import audit, extensions

        from .step_notes import team_delete_note

        extensions.register_step_note(team_delete_note)  # what deleting a team does to the expectations aimed at it

        from .models import Expectation, ExpectationVersion

        # The audit trail (organizations/audit.py). Left out: the pointer to the current version and the wording
        # revision (a new version is an entry of its own) and timestamps that repeat the entry's.
        audit.register(
            Expectation,
            fields=("core_value", "status", "for_everyone", "proposed_by", "sharpening_closes_on"),
            m2m=("teams",),
        )
        audit.register(
            ExpectationVersion,
            fields=(
                "number",
                "title_nl",
                "title_en",
                "behaviour_nl",
                "behaviour_en",
                "examples_yes_nl",
                "examples_yes_en",
                "examples_not_yet_nl",
                "examples_not_yet_en",
                "weight",
                "strategic_goal",
            ),
        )
