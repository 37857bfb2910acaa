"""When next year's salary scales apply on the effective date, the page says what the step pays today and from then.

The figures start from the step's amount on the effective date, so an outcome's increase is the outcome's alone; the
person still reads their salary of today, so nothing looks like a raise they do not have."""

import pytest

from pay.models import ScaleStep
from tests.factories import SalaryTableFactory, scale_with_steps

from .mine_page import mine, page_text

pytestmark = pytest.mark.django_db


def test_the_salary_of_today_and_of_the_effective_date_are_both_said(pay, employee):
    effective_on = pay.pay_table.effective_on
    next_year = SalaryTableFactory(organization=pay.tenant.organization, applies_from=effective_on)
    amounts = ("3090.00", "3193.00", "3296.00", "3399.00", "3502.00", "3605.00")  # 3 % more
    scale_with_steps(next_year, "Schaal 8 next year", amounts)  # a scale of its own, then its steps move to Schaal 8
    ScaleStep.objects.filter(table=next_year).update(scale=pay.schaal_8)
    text = page_text(employee.get(mine(pay.tenant.organization)))
    assert "You are on Schaal 8, step 3: €3,300.00 a month today." in text
    assert "that step pays €3,399.00" in text
    assert "€3,399.00 × 12.96 = €44,051.04 a year" in text
