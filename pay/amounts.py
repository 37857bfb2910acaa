"""Reading amounts people type or import: Dutch ("3.250,50", "3250,50") and English ("3,250.50") alike.

Which mark is the decimal one follows from the text itself:

- with both a dot and a comma, the last of the two separates the cents ("3.250,50", "3,250.50");
- a single kind of mark followed by one or two digits at the end separates the cents ("3250,5", "3250.50");
- a mark followed by groups of exactly three digits groups thousands ("3.250" is 3250, as is "3,250").

An amount has at most two decimals and is never negative. :func:`amount_style` says which style a text shows
("nl", "en" or None for plain digits), so an import can refuse a file that mixes the two.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

NOT_AN_AMOUNT = _("Enter an amount in euros, such as 3.250,50.")
NEGATIVE = _("An amount cannot be negative.")
TOO_PRECISE = _("An amount has at most two decimals (cents).")
TOO_LARGE = _("This amount is too large.")
LARGEST = Decimal("999999999999.99")

_STRIP = re.compile(r"[\s\u00a0\u202f€]|EUR", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def _split(text: str) -> tuple[str, str, str | None]:
    """(digits before the cents with thousands marks removed, the cents, the style) of a cleaned text."""
    dot, comma = text.rfind("."), text.rfind(",")
    if dot >= 0 and comma >= 0:
        decimal_mark, group_mark = (",", ".") if comma > dot else (".", ",")
        whole, _mark, cents = text.rpartition(decimal_mark)
        if decimal_mark in whole or not _GROUPED.match(whole) and group_mark in whole:
            raise ValueError
        return whole.replace(group_mark, ""), cents, "nl" if decimal_mark == "," else "en"
    mark = "," if comma >= 0 else "." if dot >= 0 else None
    if mark is None:
        return text, "", None
    whole, _mark, tail = text.rpartition(mark)
    if text.count(mark) == 1 and len(tail) in (1, 2):
        return whole, tail, "nl" if mark == "," else "en"
    if _GROUPED.match(text):
        return text.replace(mark, ""), "", "nl" if mark == "." else "en"
    if text.count(mark) == 1 and len(tail) > 3:
        raise ValueError  # "3250,505": more than two decimals
    raise ValueError


def amount_style(text: str) -> str | None:
    """ "nl" or "en" when ``text`` shows which marks it uses, None for plain digits (or text that is no amount)."""
    cleaned = _STRIP.sub("", str(text or "")).lstrip("-")
    try:
        return _split(cleaned)[2]
    except ValueError:
        return None


def parse_amount(text, *, allow_zero: bool = True) -> Decimal:
    """``text`` as a non-negative Decimal with two decimals; ValidationError with a translated message otherwise."""
    if isinstance(text, Decimal):
        value = text
    else:
        cleaned = _STRIP.sub("", str(text or ""))
        if cleaned.startswith("-"):
            raise ValidationError(NEGATIVE, code="negative")
        try:
            whole, cents, _style = _split(cleaned)
        except ValueError:
            if re.fullmatch(r"\d+[.,]\d{3,}", cleaned):
                raise ValidationError(TOO_PRECISE, code="precision") from None
            raise ValidationError(NOT_AN_AMOUNT, code="invalid") from None
        if not whole.isdigit() or (cents and not cents.isdigit()):
            raise ValidationError(NOT_AN_AMOUNT, code="invalid")
        try:
            value = Decimal(f"{whole}.{cents or '0'}")
        except InvalidOperation:
            raise ValidationError(NOT_AN_AMOUNT, code="invalid") from None
    if not value.is_finite():
        raise ValidationError(NOT_AN_AMOUNT, code="invalid")
    if value < 0:
        raise ValidationError(NEGATIVE, code="negative")
    if value > LARGEST:  # before quantize, which overflows the decimal context for 27 digits or more
        raise ValidationError(TOO_LARGE, code="too_large")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(TOO_PRECISE, code="precision")
    if not allow_zero and value == 0:
        raise ValidationError(NOT_AN_AMOUNT, code="zero")
    return value.quantize(Decimal("0.01"))


class AmountField(forms.CharField):
    """A form field for an amount in euros, typed the Dutch or the English way (see :func:`parse_amount`)."""

    def __init__(self, *, allow_zero: bool = True, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        # CharField checks the length of the cleaned value, which here is a Decimal: to_python checks the text.
        self.validators = [check for check in self.validators if not isinstance(check, MaxLengthValidator)]

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if self.max_length and len(value) > self.max_length:
            raise ValidationError(NOT_AN_AMOUNT, code="invalid")
        return parse_amount(value, allow_zero=self.allow_zero)
