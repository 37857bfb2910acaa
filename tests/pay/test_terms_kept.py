"""A published pay table keeps the pay settings it was published with: changing the settings later never rewrites
what people were told about a cycle, nor its budget or export; a new version applies them."""

import datetime
from decimal import Decimal

import pytest

from pay import services_table
from pay.models import PaySettings, PayTable
from pay.selectors_budget import Costing
from tests.kit import url

pytestmark = pytest.mark.django_db


def main(response) -> str:
    """The page's own content, without the layout (whose forms carry a new CSRF token each time)."""
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def republished(pay):
    """pay's version 1 as a draft again, published through the service (which keeps the settings of now)."""
    PayTable.objects.filter(pk=pay.pay_table.pk).update(
        published_at=None, holiday_allowance=None, thirteenth_month=None, effective_on=None
    )
    return services_table.pay_table_publish(cycle=pay.cycle, actor=pay.tenant.hr)


def test_publishing_keeps_the_settings_of_that_moment(pay):
    PaySettings.objects.update_or_create(
        organization=pay.tenant.organization,
        defaults={"holiday_allowance": Decimal("8.33"), "thirteenth_month": True, "effective_month": 7},
    )
    version = republished(pay)
    version.refresh_from_db()
    effective = datetime.date(pay.cycle.ends_on.year + (pay.cycle.ends_on.month >= 7), 7, 1)
    assert (version.holiday_allowance, version.thirteenth_month, version.effective_on) == (
        Decimal("8.33"),
        True,
        effective,
    )


def test_changing_the_settings_afterwards_changes_no_figure_of_the_cycle(pay, employee, hr):
    republished(pay)
    page = url("pay:mine", pay.tenant.organization)
    before = main(employee.get(page))
    costing_before = Costing(cycle=pay.cycle).terms
    PaySettings.objects.filter(organization=pay.tenant.organization).update(
        holiday_allowance=Decimal("10"), thirteenth_month=True, effective_month=4
    )
    assert main(employee.get(page)) == before
    assert Costing(cycle=pay.cycle).terms == costing_before
    table_page = hr.get(url("pay:pay_table", pay.tenant.organization, cycle_id=pay.cycle.pk)).content.decode()
    assert "A version keeps the pay settings it was published with" in table_page
    assert "There is no thirteenth month." in table_page
