from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayConfig(AppConfig):
    name = "pay"
    verbose_name = _("Pay")

    def ready(self):
        from . import hooks, rules  # noqa: F401 - rules registers the rule names

        hooks.register()  # links on the cycle's and the person's pages of lower apps
        self._register_audit()

    def _register_audit(self):
        """What of pay goes into the audit trail (organizations/audit.py): every figure that decides someone's pay.

        Salary amounts, placements, each pay table version and its rules, the organisation's pay settings and
        the budgets. A published pay table is never edited: a change is a new version, itself an entry.
        """
        from organizations import audit

        from .models import PayBudget, PayRule, PaySettings, PayTable, Placement, SalaryScale, SalaryTable, ScaleStep

        audit.register(
            PaySettings,
            fields=(
                "holiday_allowance",
                "thirteenth_month",
                "effective_month",
                "effective_day",
                "managers_see_reports",
            ),
        )
        audit.register(SalaryTable, fields=("applies_from",))
        audit.register(SalaryScale, fields=("name",))
        audit.register(ScaleStep, fields=("table", "scale", "number", "monthly_amount"))
        audit.register(Placement, fields=("employee", "scale", "step", "monthly_salary", "step_date"))
        audit.register(
            PayTable,
            fields=(
                "cycle",
                "version",
                "published_at",
                "top_rule",
                "top_one_off_percent",
                "holiday_allowance",
                "thirteenth_month",
                "effective_on",
            ),
        )
        audit.register(
            PayRule,
            fields=(
                "table",
                "band",
                "steps",
                "raise_percent",
                "one_off_percent",
                "promotion",
                "sentence_nl",
                "sentence_en",
            ),
        )
        audit.register(PayBudget, fields=("cycle", "team", "amount"))
