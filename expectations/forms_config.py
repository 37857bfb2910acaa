"""Forms for HR's configuration of expectations: core values, strategic goals, what does not count, the cap.

Plain forms rather than ModelForms: the services set the fields and validate,
so a refused save never leaves a half-changed instance behind in the view.
The texts come in both languages side by side (Dutch first), labelled with the
model's verbose names; the organisation's own language is required, the other
is optional and falls back to it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.i18n import BilingualForm

from .models import CoreValue, NotCounted, StrategicGoal

ORDER_MAX = 999
CAP_MIN, CAP_MAX = 3, 7  # the same range as the database constraint organization_cap_3_to_7

ORDER_ERROR = _("Enter a whole number from 0 to 999.")
CAP_ERROR = _("Choose a number from 3 to 7.")


def order_field():
    return forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=ORDER_MAX,
        initial=0,
        help_text=_("Lower numbers come first."),
        error_messages={
            "invalid": ORDER_ERROR,
            "min_value": ORDER_ERROR,
            "max_value": ORDER_ERROR,
            "required": ORDER_ERROR,
        },
    )


class ConfigForm(BilingualForm, forms.Form):
    """A row of HR's configuration: its texts in both languages (core.i18n.BilingualForm), plus an order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"] = order_field()

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {**cls.bilingual_initial(obj), "order": obj.order}


class CoreValueForm(ConfigForm):
    bilingual_model = CoreValue
    bilingual_texts = ("name", "description")
    bilingual_required = ("name",)
    bilingual_textareas = {"description": 3}


class StrategicGoalForm(ConfigForm):
    bilingual_model = StrategicGoal
    bilingual_texts = ("title", "meaning")
    bilingual_required = ("title",)
    bilingual_textareas = {"meaning": 3}


class NotCountedForm(ConfigForm):
    bilingual_model = NotCounted
    bilingual_texts = ("text",)
    bilingual_required = ("text",)


class CapForm(forms.Form):
    """The organisation's maximum of applicable published expectations per person (services refuse what exceeds)."""

    cap = forms.IntegerField(
        label=_("Most published expectations per person"),
        min_value=CAP_MIN,
        max_value=CAP_MAX,
        help_text=_("From 3 to 7."),
        error_messages={"invalid": CAP_ERROR, "min_value": CAP_ERROR, "max_value": CAP_ERROR, "required": CAP_ERROR},
    )
