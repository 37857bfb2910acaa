"""A one-off payment at the top of the scale of 0 % is refused: published, it would promise "a one-off of 0 %"."""

import pytest

from tests.kit import assert_nothing_changes, field_error
from tests.pay.test_pay_table import address, table_data

pytestmark = pytest.mark.django_db


def test_a_one_off_of_nothing_at_the_top_is_refused_and_nothing_is_saved(hr, pay):
    with assert_nothing_changes():
        response = hr.post(address("pay_table_edit", pay.cycle), table_data(pay, top_one_off_percent="0"))
    assert field_error(response, "top_one_off_percent", form="top") == (
        "Give the one-off payment's percentage, or choose that nothing replaces the step."
    )


def test_nothing_at_the_top_with_0_percent_is_saved(hr, pay):
    data = table_data(pay, top_rule="nothing", top_one_off_percent="0")
    response = hr.post(address("pay_table_edit", pay.cycle), data)
    assert response.status_code == 302
