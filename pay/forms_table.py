"""The forms of a cycle's pay table: one per outcome band (prefix ``band-<band id>-``) and one for the top rule.

Plain forms: the service (pay.services_table) sets the rows and validates again, so a refused save leaves nothing
half-changed. Percentages are typed the Dutch or the English way (pay.forms_settings.PercentField). Each band's
fieldset carries its band id in a hidden ``bands`` field, so the view sees which bands a POST covers: a page
opened before a band was added, or a crafted POST, is refused instead of saving a table that skips a band.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.i18n import BilingualForm

from .forms_settings import PercentField
from .models import MOST_STEPS_UP, PayRule, PayTable, TopRule
from .services_table import RuleInput

STEPS_ERROR = _("Enter 0, 1 or 2 steps.")


class RuleForm(BilingualForm, forms.Form):
    """One band's consequence: steps up the scale, a raise outside the scales, a one-off payment, promotion."""

    bilingual_model = PayRule
    bilingual_texts = ("sentence",)
    bilingual_required = ("sentence",)
    bilingual_textareas = {"sentence": 2}
    bilingual_help = {"sentence": _("What this outcome means, as everyone reads it on their pay page.")}

    steps = forms.IntegerField(
        label=_("Steps up the scale"),
        min_value=0,
        max_value=MOST_STEPS_UP,
        error_messages={
            "invalid": STEPS_ERROR,
            "min_value": STEPS_ERROR,
            "max_value": STEPS_ERROR,
            "required": STEPS_ERROR,
        },
        help_text=_("For people on a salary scale; at most 2."),
    )
    raise_percent = PercentField(
        label=_("Raise for people outside the scales (%)"),
        help_text=_("Of the monthly salary of people who are not on a scale."),
    )
    one_off_percent = PercentField(
        label=_("One-off payment (percentage of the annual salary)"),
        help_text=_("Paid once, to everyone with this outcome."),
    )
    promotion = forms.BooleanField(label=_("Eligible for promotion"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["steps"].widget.attrs.update({"inputmode": "numeric", "size": 3})

    @classmethod
    def initial_for(cls, rule: PayRule | None) -> dict:
        if rule is None:
            return {"steps": 0, "raise_percent": 0, "one_off_percent": 0, "promotion": False}
        return {
            **cls.bilingual_initial(rule),
            "steps": rule.steps,
            "raise_percent": rule.raise_percent,
            "one_off_percent": rule.one_off_percent,
            "promotion": rule.promotion,
        }

    def rule_input(self) -> RuleInput:
        data = self.cleaned_data
        return RuleInput(
            steps=data["steps"],
            raise_percent=data["raise_percent"],
            one_off_percent=data["one_off_percent"],
            promotion=data["promotion"],
            sentence_nl=data["sentence_nl"],
            sentence_en=data["sentence_en"],
        )


class TopForm(forms.Form):
    """What happens to steps that do not fit above the top of someone's scale."""

    top_rule = forms.ChoiceField(
        label=_("At the top of the scale"),
        choices=TopRule.choices,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choose what happens at the top of the scale."),
            "required": _("Choose what happens at the top of the scale."),
        },
        help_text=_("For people whose outcome gives more steps than their scale has left."),
    )
    top_one_off_percent = PercentField(
        label=_("One-off payment per step that does not fit (percentage of the annual salary)"),
        help_text=_("Only with a one-off payment instead of each step that does not fit."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("top_rule") == TopRule.ONE_OFF and cleaned.get("top_one_off_percent") == 0:
            # Published, it would read "a one-off payment of 0 %": say which of the two HR means.
            self.add_error(
                "top_one_off_percent",
                _("Give the one-off payment's percentage, or choose that nothing replaces the step."),
            )
        return cleaned

    @staticmethod
    def initial_for(table: PayTable | None) -> dict:
        if table is None:
            return {"top_rule": TopRule.ONE_OFF, "top_one_off_percent": ""}
        return {"top_rule": table.top_rule, "top_one_off_percent": table.top_one_off_percent}
