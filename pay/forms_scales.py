"""Forms of HR's salary scale pages: a new table, one scale with its steps, and the import's upload and confirmation.

Plain forms: the services (pay.services_scales) write and check everything again. The scale form has one row
per step, each a step number and a monthly amount (``step-<row>-number``, ``step-<row>-amount``), as many rows
as were posted, so a problem shows at the row it is about; rows without an amount are left out.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cycles.forms_cycles import BoundedDates, date_field

from . import selectors_scales as selectors
from .amounts import TOO_LARGE, AmountField
from .money import LOCALES
from .scale_import import MAX_BYTES, MAX_MONTHLY, MAX_SCALES, MAX_STEPS, NAME_LENGTH, FileScale

ROWS_READ = 100  # rows of a posted scale form that are read; one beyond MAX_STEPS is enough to refuse, these more
EXTRA_ROWS = 3  # empty rows under a scale's steps, for steps to add
NEW_SCALE_ROWS = 10
ROW_FIELD = re.compile(r"step-(\d{1,6})-(?:number|amount)")
SIGNING_SALT = "pay.scale_import"
SIGNED_MAX_AGE = 60 * 60  # an hour to read the preview and confirm
EXPIRED = gettext_lazy("This preview has expired or was changed after it was shown. Upload the file again.")


def amount_text(amount: Decimal) -> str:
    """An amount as the reader's language writes it in a field ("3.250,50" or "3,250.50"): AmountField reads both."""
    return format_decimal(amount, format="#,##0.00", locale=LOCALES.get((get_language() or "nl")[:2], LOCALES["nl"]))


class SalaryTableForm(BoundedDates, forms.Form):
    """A new salary table: the date it applies from and, optionally, the table whose steps it starts with."""

    applies_from = date_field(
        gettext_lazy("Applies from"),
        help_text=gettext_lazy("Usually 1 January: the day the new amounts take effect."),
    )
    copy_from = forms.ModelChoiceField(
        label=gettext_lazy("Start with the steps of"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Nothing: an empty table"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the salary tables in the list.")},
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        # An organisation has a table a year, so the list stays short.
        self.fields["copy_from"].queryset = selectors.tables(organization=organization).order_by("-applies_from")


class MonthlyAmountField(AmountField):
    """An AmountField for one step: above zero, and no more than a monthly amount holds in the database.

    Until pay.amounts.parse_amount compares with its largest amount before it rounds (see the report), a number
    of 27 digits or more makes it raise InvalidOperation; here that is the message for a large amount.
    """

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except (InvalidOperation, ValueError):
            raise ValidationError(TOO_LARGE, code="too_large") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and value == 0:
            raise ValidationError(_("A step pays more than nothing: the amount cannot be 0."), code="zero")
        if value is not None and value > MAX_MONTHLY:
            raise ValidationError(TOO_LARGE, code="too_large")


class ScaleForm(forms.Form):
    """A scale's name and its steps in one table, a row each: the step's number and its monthly amount."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=NAME_LENGTH,
        help_text=gettext_lazy("For example “Schaal 8”. A scale has the same name in every salary table."),
    )

    def __init__(self, data=None, *, rows: int, **kwargs):
        super().__init__(data, **kwargs)
        self.rows = rows
        self.overflow = False
        for row in range(rows):
            self.fields[f"step-{row}-number"] = forms.IntegerField(
                label=gettext_lazy("Step"),
                required=False,
                min_value=0,
                max_value=999,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-step"}),
            )
            self.fields[f"step-{row}-amount"] = MonthlyAmountField(label=gettext_lazy("Monthly amount"))

    @staticmethod
    def rows_posted(data) -> tuple[int, bool]:
        """How many rows ``data`` holds (at most ROWS_READ), and whether it holds more than that."""
        rows = [int(match[1]) for key in data if (match := ROW_FIELD.fullmatch(key))]
        highest = max(rows, default=0) + 1
        return min(highest, ROWS_READ), highest > ROWS_READ

    @classmethod
    def initial_for(cls, *, name: str, steps: list, first_step: int = 0) -> tuple[dict, int]:
        """What the form shows for ``steps`` (ScaleStep rows), with numbered empty rows below; and its row count."""
        initial = {"name": name}
        for row, step in enumerate(steps):
            initial[f"step-{row}-number"] = step.number
            initial[f"step-{row}-amount"] = amount_text(step.monthly_amount)
        following = steps[-1].number + 1 if steps else first_step
        extra = EXTRA_ROWS if steps else NEW_SCALE_ROWS
        for index in range(extra):
            initial[f"step-{len(steps) + index}-number"] = following + index
        return initial, len(steps) + extra

    def step_rows(self):
        """(step number field, amount field) per row, for the template."""
        return [(self[f"step-{row}-number"], self[f"step-{row}-amount"]) for row in range(self.rows)]

    def clean(self):
        cleaned = super().clean()
        if self.overflow:
            raise ValidationError(_("A scale has at most %(limit)d steps.") % {"limit": MAX_STEPS})
        if any(key.startswith("step-") for key in self.errors):
            return cleaned
        filled = []
        for row in range(self.rows):
            number, amount = cleaned.get(f"step-{row}-number"), cleaned.get(f"step-{row}-amount")
            if amount is None:
                continue  # an empty row, or a number alone (the rows offered for new steps come numbered)
            if number is None:
                self.add_error(f"step-{row}-number", _("Give this amount its step number."))
            filled.append((row, number, amount))
        if self.errors:
            return cleaned
        if not filled:
            raise ValidationError(_("A scale has at least one step: fill in a monthly amount."))
        if len(filled) > MAX_STEPS:
            raise ValidationError(_("A scale has at most %(limit)d steps.") % {"limit": MAX_STEPS})
        self._check_order(filled)
        if not self.errors:
            cleaned["first_step"] = filled[0][1]
            cleaned["amounts"] = [amount for _row, _number, amount in filled]
        return cleaned

    def _check_order(self, filled):
        row, number, _amount = filled[0]
        if number not in (0, 1):
            self.add_error(f"step-{row}-number", _("The first step is 0 or 1."))
        for (_row, previous, below), (row, number, amount) in zip(filled, filled[1:], strict=False):
            values = {"step": number, "previous": previous, "missing": previous + 1}
            if number <= previous:
                self.add_error(
                    f"step-{row}-number",
                    _("Steps out of order: step %(step)d comes after step %(previous)d.") % values,
                )
            elif number > previous + 1:
                self.add_error(
                    f"step-{row}-number",
                    _("Step %(missing)d is missing: after step %(previous)d comes step %(step)d.") % values,
                )
            elif amount < below:
                self.add_error(
                    f"step-{row}-amount",
                    _("Step %(step)d pays less than step %(previous)d.") % values,
                )


class ScaleImportForm(BoundedDates, forms.Form):
    """The upload: a salary table file and the date from which it applies."""

    file = forms.FileField(
        label=gettext_lazy("Salary table (CSV or Excel)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    applies_from = date_field(
        gettext_lazy("Applies from"),
        help_text=gettext_lazy("If there is a salary table from this date, the file's scales replace theirs in it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV file; at most %(size)s, %(scales)d scales and %(steps)d steps a scale."
        ) % {"size": f"{MAX_BYTES // (1024 * 1024)} MB", "scales": MAX_SCALES, "steps": MAX_STEPS}


class ImportConfirmForm(forms.Form):
    """The confirmation of a previewed file: its checked scales and their date, in a hidden field, signed.

    No model keeps an upload between the preview and the apply: the preview signs what it checked
    (django.core.signing, salted for this form), so a value changed in the browser, made for another
    organisation or older than SIGNED_MAX_AGE is refused, and what is applied is what HR saw (the service
    checks it all again against the tables as they are then).
    """

    content = forms.CharField(
        widget=forms.HiddenInput, max_length=2 * MAX_BYTES, error_messages={"required": EXPIRED, "max_length": EXPIRED}
    )

    def __init__(self, *args, organization_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id

    @classmethod
    def for_file(cls, *, organization_id: int, applies_from: date, scales: list[FileScale]) -> "ImportConfirmForm":
        content = {
            "o": organization_id,
            "d": applies_from.isoformat(),
            "s": [[scale.name, scale.first_step, [str(amount) for amount in scale.amounts]] for scale in scales],
        }
        signed = signing.dumps(content, salt=SIGNING_SALT, compress=True)
        return cls(organization_id=organization_id, initial={"content": signed})

    def clean_content(self) -> tuple[date, list[FileScale]]:
        """The date and the scales that were signed."""
        try:
            content = signing.loads(self.cleaned_data["content"], salt=SIGNING_SALT, max_age=SIGNED_MAX_AGE)
            if content["o"] != self.organization_id:
                raise ValidationError(EXPIRED)
            scales = [
                FileScale(
                    name=str(name), first_step=int(first), amounts=tuple(Decimal(str(value)) for value in amounts)
                )
                for name, first, amounts in content["s"]
            ]
            return date.fromisoformat(content["d"]), scales
        except (signing.BadSignature, KeyError, TypeError, ValueError, InvalidOperation):
            raise ValidationError(EXPIRED, code="signature") from None
