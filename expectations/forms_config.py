"""Forms for HR's configuration of expectations: core values, strategic goals, what does not count, the cap.

Plain forms rather than ModelForms: the services set the fields and validate,
so a refused save never leaves a half-changed instance behind in the view.
The texts come in both languages side by side (Dutch first), labelled with the
model's verbose names; the organisation's own language is required, the other
is optional and falls back to it.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import CoreValue, NotCounted, StrategicGoal

LANGUAGES = ("nl", "en")  # Dutch first, everywhere both languages are shown side by side
ORDER_MAX = 999
CAP_MIN, CAP_MAX = 3, 7  # the same range as the database constraint organization_cap_3_to_7

ORDER_ERROR = _("Enter a whole number from 0 to 999.")
CAP_ERROR = _("Choose a number from 3 to 7.")
REQUIRED_IN_ORG_LANGUAGE = _("Fill this in, in the organisation's language.")


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


class BilingualForm(forms.Form):
    """A form whose texts (``TEXTS``, each in ``*_nl`` and ``*_en``) come from ``MODEL``, plus an order."""

    MODEL = None
    TEXTS: tuple = ()
    REQUIRED: tuple = ()  # texts that may not be empty in the organisation's language (as the service demands)
    TEXTAREAS: tuple = ()  # texts that get a multi-line box

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for text in self.TEXTS:
            for language in LANGUAGES:
                name = f"{text}_{language}"
                model_field = self.MODEL._meta.get_field(name)
                widget = forms.Textarea(attrs={"rows": 3}) if text in self.TEXTAREAS else None
                field = model_field.formfield(required=False, **({"widget": widget} if widget else {}))
                field.label = capfirst(model_field.verbose_name)
                field.widget.attrs["lang"] = language
                if text in self.REQUIRED and language == organization.language:
                    field.required = True
                    field.error_messages["required"] = REQUIRED_IN_ORG_LANGUAGE
                fields[name] = field
        fields["order"] = order_field()
        self.fields.update(fields)

    @classmethod
    def initial_for(cls, obj) -> dict:
        names = [f"{text}_{language}" for text in cls.TEXTS for language in LANGUAGES]
        return {name: getattr(obj, name) for name in [*names, "order"]}

    def bilingual_rows(self):
        """The text fields in pairs, Dutch beside English."""
        return [[self[f"{text}_{language}"] for language in LANGUAGES] for text in self.TEXTS]


class CoreValueForm(BilingualForm):
    MODEL = CoreValue
    TEXTS = ("name", "description")
    REQUIRED = ("name",)
    TEXTAREAS = ("description",)


class StrategicGoalForm(BilingualForm):
    MODEL = StrategicGoal
    TEXTS = ("title", "meaning")
    REQUIRED = ("title",)
    TEXTAREAS = ("meaning",)


class NotCountedForm(BilingualForm):
    MODEL = NotCounted
    TEXTS = ("text",)
    REQUIRED = ("text",)


class CapForm(forms.Form):
    """The organisation's maximum of applicable published expectations per person (services refuse what exceeds)."""

    cap = forms.IntegerField(
        label=_("Most published expectations per person"),
        min_value=CAP_MIN,
        max_value=CAP_MAX,
        help_text=_("From 3 to 7."),
        error_messages={"invalid": CAP_ERROR, "min_value": CAP_ERROR, "max_value": CAP_ERROR, "required": CAP_ERROR},
    )
