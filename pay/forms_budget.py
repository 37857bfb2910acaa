"""The form HR sets a budget with: the cycle's total, or one team's. Empty removes the budget."""

from decimal import Decimal

from babel.numbers import format_decimal
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .amounts import AmountField
from .money import LOCALES


def amount_text(amount: Decimal | None) -> str:
    """``amount`` as the reader types it back: "3.250,50" in Dutch, "3,250.50" in English (no euro sign)."""
    if amount is None:
        return ""
    locale = LOCALES.get((get_language() or "nl")[:2], LOCALES["nl"])
    return format_decimal(amount, format="#,##0.00", locale=locale)


class BudgetForm(forms.Form):
    amount = AmountField(
        label=_("Budget in euros"),
        required=False,
        help_text=_("The increases for a year and the one-off payments together. Leave it empty to remove it."),
    )

    def __init__(self, *args, budget: Decimal | None = None, **kwargs):
        kwargs.setdefault("initial", {"amount": amount_text(budget)})
        super().__init__(*args, **kwargs)
        field = self.fields["amount"]
        field.widget.attrs.update({"autocomplete": "off", "size": 14})
