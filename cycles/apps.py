from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "cycles"
    verbose_name = _("Cycles")

    def ready(self):
        from organizations import extensions

        from . import person_sections, previews, receivers  # noqa: F401 - connects the receivers to organizations' signals

        # What deactivating a person or deleting a team does to the calendar, on organizations' confirmation pages.
        extensions.register_step_note(previews.organizations_step_note)
        # On a person's page: the offer to add them to an active cycle (HR), and their conversations; after an
        # import: the active cycles' newcomers (cycles/person_sections.py).
        extensions.register_person_section(person_sections.offers_on_person_page)
        extensions.register_person_section(person_sections.conversations_on_person_page)
        extensions.register_import_section(person_sections.offers_after_import)

        self._register_audit()
        # HR's reminders from the overdue list: their reminder anchor and their audit trail (cycles/nudge_mail.py).
        from . import nudge_mail

        nudge_mail.register()

    def _register_audit(self):
        """What of the calendar goes into the audit trail (organizations/audit.py).

        Not the calendar feed (its token is a secret) nor reminders (they keep their own status); of a
        conversation not the iCalendar sequence or the timestamps that repeat the entry's.
        """
        from django.utils.translation import ngettext

        from organizations import audit

        from .models import Conversation, Cycle, Moment, ReminderRule
        from .services.moments import MOMENT_FIELDS

        audit.register(Cycle, fields=("name", "starts_on", "ends_on", "for_everyone", "status"), m2m=("teams",))
        audit.register(Moment, fields=MOMENT_FIELDS)  # every field HR edits on a moment
        # A conversation is cancelled, never deleted on its own: only with its moment, cycle or person.
        audit.register(Conversation, fields=("state", "scheduled_at", "location", "agreements"), deletes=False)
        audit.register(ReminderRule, fields=("anchor", "offset_days", "time_of_day", "audience", "enabled"))
        # newcomers_add (cycles/newcomers.py) records one entry on the cycle for the conversations it creates.
        audit.describe_reason(
            "cycle_newcomers",
            lambda data: (
                ngettext(
                    "newcomers added: %(count)d conversation created",
                    "newcomers added: %(count)d conversations created",
                    data.get("count", 0),
                )
                % {"count": data.get("count", 0)}
            ),
        )
        # cycle_activate records one entry on the cycle for the conversations it creates in bulk.
        audit.describe_reason(
            "cycle_activation",
            lambda data: (
                ngettext(
                    "on activation: %(count)d conversation created",
                    "on activation: %(count)d conversations created",
                    data.get("count", 0),
                )
                % {"count": data.get("count", 0)}
            ),
        )
