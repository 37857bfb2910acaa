"""The form of HR's pay settings, and the percentage field the pay table's form shares.

Percentages are typed as people write them in either language: ``8``, ``8,5`` or ``8.5`` (a ``%`` after it is
allowed). Unlike amounts (pay.amounts) a percentage never needs a thousands mark, so a single comma or dot is
always the decimal one, whatever the reader's language: a Dutch reader typing ``2.5`` means 2,5 %, not 25.
The service validates again (PaySettings.full_clean), so a crafted POST meets the same limits.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import PaySettings

NOT_A_PERCENTAGE = _("Enter a percentage such as 8 or 2,5.")
OUT_OF_RANGE = _("Enter a percentage from 0 to 100.")
TOO_PRECISE = _("A percentage has at most two decimals.")
HUNDRED = Decimal(100)

_SHAPE = re.compile(r"-?\d+(?:[.,]\d+)?")


def parse_percent(text) -> Decimal:
    """``text`` as a Decimal from 0 to 100 with at most two decimals; ValidationError with a translated message."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(text or "")).removesuffix("%")
    if not _SHAPE.fullmatch(cleaned):
        raise ValidationError(NOT_A_PERCENTAGE, code="invalid")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern lets only digits through
        raise ValidationError(NOT_A_PERCENTAGE, code="invalid") from None
    if value < 0 or value > HUNDRED:
        raise ValidationError(OUT_OF_RANGE, code="range")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(TOO_PRECISE, code="precision")
    return value.quantize(Decimal("0.01"))


class PercentField(forms.CharField):
    """A percentage from 0 to 100, typed the Dutch or the English way (see :func:`parse_percent`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"required": _("Enter a percentage; 0 if there is none.")})
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 6, "maxlength": 20})

    def prepare_value(self, value):
        """An initial Decimal as the reader writes it, without trailing zeros (8; 2,5 in Dutch, 2.5 in English)."""
        if isinstance(value, Decimal):
            text = format(value.normalize(), "f")
            return text.replace(".", ",") if (get_language() or "nl")[:2] == "nl" else text
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_percent(value)


class PaySettingsForm(forms.Form):
    """The organisation's terms: each field says where it is used, so HR knows what a change reaches."""

    holiday_allowance = PercentField(
        label=_("Holiday allowance (percentage of the annual salary)"),
        help_text=_(
            "Counted in every annual salary: what each outcome means in euros on everyone's pay page, "
            "the budget and the export for payroll. Usually 8%."
        ),
    )
    thirteenth_month = forms.BooleanField(
        label=_("Thirteenth month"),
        required=False,
        help_text=_(
            "When ticked, the annual salary counts one monthly salary more, in the same places: everyone's "
            "pay page, the budget and the export."
        ),
    )
    effective_day = forms.IntegerField(
        label=_("Day on which consequences take effect"),
        min_value=1,
        max_value=31,
        error_messages={
            "invalid": _("Enter a day from 1 to 31."),
            "min_value": _("Enter a day from 1 to 31."),
            "max_value": _("Enter a day from 1 to 31."),
            "required": _("Enter a day from 1 to 31."),
        },
        help_text=_(
            "Steps, raises and one-off payments take effect on this day and month, the first time it comes "
            "after the cycle ends. Shown with every pay table, on everyone's pay page and in the export."
        ),
    )
    effective_month = forms.TypedChoiceField(
        label=_("Month in which consequences take effect"),
        choices=list(MONTHS.items()),
        coerce=int,
        error_messages={
            "invalid_choice": _("Choose a month from the list."),
            "required": _("Choose a month from the list."),
        },
    )
    managers_see_reports = forms.BooleanField(
        label=_("Managers see their reports' figures"),
        required=False,
        help_text=_(
            "When ticked, a manager sees what each outcome means in euros for the people who report to them. "
            "HR sees everyone's figures and each person their own, either way."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_day"].widget.attrs.update({"inputmode": "numeric", "size": 3})

    @staticmethod
    def initial_for(settings: PaySettings) -> dict:
        return {name: getattr(settings, name) for name in PaySettingsForm.base_fields}
