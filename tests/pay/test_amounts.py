"""pay.amounts: amounts typed or imported the Dutch way ("3.250,50", "3250,50") or the English way ("3,250.50")."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from pay.amounts import LARGEST, AmountField, amount_style, parse_amount


@pytest.fixture(autouse=True)
def _in_english(english):
    """The messages compared below are the English ones."""


@pytest.mark.parametrize(
    ("text", "amount", "style"),
    [
        ("3.250,50", "3250.50", "nl"),
        ("3250,50", "3250.50", "nl"),
        ("3250,5", "3250.50", "nl"),
        ("3.250", "3250.00", "nl"),
        ("1.000.000,00", "1000000.00", "nl"),
        ("€ 3.250,50", "3250.50", "nl"),
        ("3 250,50", "3250.50", "nl"),
        ("3,250.50", "3250.50", "en"),
        ("3250.50", "3250.50", "en"),
        ("3,250", "3250.00", "en"),
        ("EUR 3,250.50", "3250.50", "en"),
        ("3250", "3250.00", None),
        ("0", "0.00", None),
    ],
)
def test_an_amount_reads_the_same_written_either_way(text, amount, style):
    assert parse_amount(text) == Decimal(amount)
    assert amount_style(text) == style


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-3,00", "An amount cannot be negative."),
        ("3250,505", "An amount has at most two decimals (cents)."),
        ("1.2.3", "Enter an amount in euros, such as 3.250,50."),
        ("1,000.000,00", "Enter an amount in euros, such as 3.250,50."),
        ("=1+2", "Enter an amount in euros, such as 3.250,50."),
        ("drie", "Enter an amount in euros, such as 3.250,50."),
        ("", "Enter an amount in euros, such as 3.250,50."),
        ("1" * 14, "This amount is too large."),
    ],
)
def test_what_is_no_amount_is_refused_with_a_message(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_amount(text)
    assert refused.value.messages == [message]


def test_zero_may_be_refused():
    with pytest.raises(ValidationError):
        parse_amount("0,00", allow_zero=False)


def test_a_decimal_is_taken_as_it_is():
    assert parse_amount(Decimal("3250.5")) == Decimal("3250.50")
    with pytest.raises(ValidationError):
        parse_amount(Decimal("3250.505"))


def written(amount: Decimal, style: str, grouped: bool) -> str:
    """``amount`` the way a Dutch or an English spreadsheet writes it, with or without thousands marks."""
    whole, cents = f"{amount:.2f}".split(".")
    if grouped:
        whole = f"{int(whole):,}"
        whole = whole.replace(",", ".") if style == "nl" else whole
    return f"{whole}{',' if style == 'nl' else '.'}{cents}"


@given(
    amount=st.decimals(min_value=0, max_value=LARGEST, places=2, allow_nan=False, allow_infinity=False),
    style=st.sampled_from(["nl", "en"]),
    grouped=st.booleans(),
)
def test_any_amount_written_either_way_reads_back_as_itself(amount, style, grouped):
    text = written(amount, style, grouped)
    assert parse_amount(text) == amount
    assert amount_style(text) == style


def test_a_very_long_number_is_refused_with_a_message():
    with pytest.raises(ValidationError) as refused:
        parse_amount("9" * 30)
    assert refused.value.messages == ["This amount is too large."]


def test_the_amount_field_reads_an_amount():
    assert AmountField().clean("3.250,50") == Decimal("3250.50")
    assert AmountField().clean("3,250.50") == Decimal("3250.50")


def test_the_amount_field_refuses_a_text_longer_than_its_length_with_a_message():
    with pytest.raises(ValidationError) as refused:
        AmountField(max_length=10).clean("3.250.000.000,00")
    assert refused.value.messages == ["Enter an amount in euros, such as 3.250,50."]


def test_the_amount_field_leaves_an_empty_optional_field_empty():
    assert AmountField(required=False).clean("") is None


def test_the_amount_field_gives_a_message_for_what_is_no_amount():
    with pytest.raises(ValidationError) as refused:
        AmountField().clean("drie")
    assert refused.value.messages == ["Enter an amount in euros, such as 3.250,50."]
