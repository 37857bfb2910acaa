"""Money in Helder: ``Decimal`` only, rounded to cents half up in one place, written per language with Babel.

- :func:`cents` is the one rounding rule: every amount a person reads or payroll receives passes through it
  once, at the end of its own computation (a monthly salary after a raise, an annual salary, a one-off
  payment), never halfway.
- :func:`euro` writes an amount the way the reader's language does: Dutch ``€ 3.250,50``, English
  ``€3,250.50``. :func:`percent` writes a percentage likewise (``8 %``, ``2,5 %``; ``8%``, ``2.5%``).
"""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language

CENT = Decimal("0.01")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def cents(amount) -> Decimal:
    """``amount`` rounded to whole cents, half up (2.345 → 2.35, -2.345 → -2.35). Refuses floats."""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _locale(language: str | None) -> str:
    return LOCALES.get((language or get_language() or "nl")[:2], LOCALES["nl"])


def euro(amount, language: str | None = None) -> str:
    """``amount`` in euros in ``language`` (the active one by default), always with cents."""
    if amount is None:
        return ""
    return format_currency(cents(amount), "EUR", locale=_locale(language))


def percent(value, language: str | None = None) -> str:
    """A percentage such as ``Decimal("2.50")`` as ``2,5 %`` (Dutch) or ``2.5%`` (English)."""
    if value is None:
        return ""
    number = format_decimal(Decimal(value).normalize(), format="#,##0.##", locale=_locale(language))
    language = (language or get_language() or "nl")[:2]
    return f"{number}\u00a0%" if language == "nl" else f"{number}%"
