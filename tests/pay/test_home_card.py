"""pay's card on the home page (pay.home): "What my outcome means", shown once a pay table is published for an active
cycle, with the day the consequences take effect; one query, and every home page stays within its budget."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles.models import CycleStatus
from pay import home
from pay.models import PaySettings, PayTable
from tests.factories import PayTableFactory
from tests.kit import client_for, url

from .mine_page import mine, page_text

pytestmark = pytest.mark.django_db

BUDGET = 15  # tests/home/test_home_query_budget.py: every home page

CARD_TEXT = "See what each outcome of your review would mean"


def english_date(day) -> str:
    return f"{day.day} {day:%B} {day.year}"


def home_page(client, organization):
    return client.get(url("organizations:home", organization))


def test_with_a_published_pay_table_for_an_active_cycle_everyone_gets_the_card(pay):
    effective_on = datetime.date(pay.cycle.ends_on.year + 1, 1, 1)
    for person in (pay.tenant.employee, pay.tenant.manager, pay.tenant.hr):
        response = home_page(client_for(person), pay.tenant.organization)

        assert response.status_code == 200
        assert f'href="{mine(pay.tenant.organization)}"' in response.content.decode()
        assert (
            "See what each outcome of your review would mean for your pay, in euros. The consequences take effect on "
            f"{english_date(effective_on)}." in page_text(response)
        )


def test_the_card_follows_the_organisations_effective_day(pay, employee):
    PaySettings.objects.get_or_create(organization_id=pay.tenant.organization.pk)
    PaySettings.objects.filter(organization=pay.tenant.organization).update(effective_month=4, effective_day=1)
    # The card shows the day kept with the published version: a new version, published after the change, has it.
    PayTableFactory(cycle=pay.cycle, version=2, published_by=pay.tenant.hr)

    card = home.home_card(employee=pay.tenant.employee)["pay_home"]

    expected = PaySettings(effective_month=4, effective_day=1).effective_date(pay.cycle)
    assert card == {"effective_on": expected}
    assert english_date(expected) in page_text(home_page(employee, pay.tenant.organization))


def test_no_card_without_a_pay_table(tenant_a, employee):
    from tests.reviews.conftest import make_assessment

    make_assessment(tenant_a)
    response = home_page(employee, tenant_a.organization)

    assert response.context["pay_home"] is None
    assert CARD_TEXT not in page_text(response)


def test_no_card_while_the_pay_table_is_a_draft(pay, employee):
    PayTable.objects.filter(pk=pay.pay_table.pk).update(published_at=None)
    assert CARD_TEXT not in page_text(home_page(employee, pay.tenant.organization))


def test_no_card_when_the_cycle_is_no_longer_active(pay, employee):
    pay.cycle.status = CycleStatus.CLOSED
    pay.cycle.save(update_fields=["status"])
    assert CARD_TEXT not in page_text(home_page(employee, pay.tenant.organization))


def test_another_organisations_pay_table_gives_no_card(pay, tenant_b):
    from tests.reviews.conftest import make_assessment

    make_assessment(tenant_b)
    response = home_page(client_for(tenant_b.employee), tenant_b.organization)
    assert response.context["pay_home"] is None


def test_the_card_is_one_query(pay, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert home.home_card(employee=pay.tenant.employee)["pay_home"] is not None


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_every_home_page_with_the_card_stays_within_its_budget(request, pay, role):
    client = request.getfixturevalue(role)
    address = url("organizations:home", pay.tenant.organization)
    client.get(address)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)

    assert response.context["pay_home"] is not None
    assert len(queries) <= BUDGET, "\n".join(query["sql"][:120] for query in queries)
