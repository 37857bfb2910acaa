"""HR's pay overview: the settings in a sentence each, links to the other pay pages, and every cycle with the
state of its pay table (being prepared and active first, then closed; newest first)."""

import datetime
import html

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cycles.models import CycleStatus
from pay.models import PaySettings
from tests.factories import CycleFactory, PayTableFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    url,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def index(organization):
    return url("pay:index", organization)


def text(response):
    return html.unescape(response.content.decode())


# Who may use the page


def test_another_organisations_member_gets_404(client, tenant_a, stranger):
    assert_other_organisation_gets_404(client, stranger, index(tenant_a.organization))


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_hr_may_see_the_overview(client, tenant_a, role):
    PaySettings.objects.get_or_create(organization_id=tenant_a.organization.pk)
    assert_role_forbidden(client, tenant_a.member(role), index(tenant_a.organization))


def test_wrong_methods_get_405(hr, tenant_a):
    PaySettings.objects.get_or_create(organization_id=tenant_a.organization.pk)
    assert_method_not_allowed(hr, index(tenant_a.organization), ["post", "put", "delete"])


# The settings


def test_the_settings_read_as_sentences_with_a_link_to_change_them(hr, tenant_a):
    organization = tenant_a.organization
    page = text(hr.get(index(organization)))

    assert "The holiday allowance is 8% of the annual salary." in page
    assert "There is no thirteenth month." in page
    assert "Consequences take effect on 1 January after the cycle ends." in page
    assert "Managers do not see what the outcomes mean in euros for the people who report to them." in page
    assert url("pay:settings", organization) in page


def test_changed_settings_read_as_changed(hr, tenant_a):
    PaySettings.objects.get_or_create(organization_id=tenant_a.organization.pk)
    PaySettings.objects.filter(organization=tenant_a.organization).update(
        holiday_allowance="8.33", thirteenth_month=True, effective_day=1, effective_month=7, managers_see_reports=True
    )

    page = text(hr.get(index(tenant_a.organization)))

    assert "The holiday allowance is 8.33% of the annual salary." in page
    assert "There is a thirteenth month." in page
    assert "Consequences take effect on 1 July after the cycle ends." in page
    assert "Managers see what the outcomes mean in euros for the people who report to them." in page


# The cycles


def test_each_cycle_says_the_state_of_its_pay_table_prepared_and_active_first_newest_first(hr, tenant_a):
    organization = tenant_a.organization
    closed = CycleFactory(
        organization=organization,
        name="Cyclus 2025",
        status=CycleStatus.CLOSED,
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 12, 31),
    )
    active = CycleFactory(
        organization=organization,
        name="Cyclus 2026",
        status=CycleStatus.ACTIVE,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    draft = CycleFactory(
        organization=organization, name="Cyclus 2027", starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31)
    )
    older_closed = CycleFactory(
        organization=organization,
        name="Cyclus 2024",
        status=CycleStatus.CLOSED,
        starts_on=D(2024, 1, 1),
        ends_on=D(2024, 12, 31),
    )
    published_at = timezone.make_aware(datetime.datetime(2026, 3, 2, 12))
    PayTableFactory(cycle=active, version=1, published_at=published_at)
    PayTableFactory(cycle=active, version=2, published_at=None)
    PayTableFactory(cycle=closed, version=1, published_at=published_at)

    page = text(hr.get(index(organization)))

    names = ["Cyclus 2027", "Cyclus 2026", "Cyclus 2025", "Cyclus 2024"]
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)
    row = page[page.index("Cyclus 2026") : page.index("Cyclus 2025")]
    assert "Version 1 published on 2 March 2026" in row and "Draft of version 2" in row
    assert "No pay table yet" in page[page.index("Cyclus 2027") : page.index("Cyclus 2026")]
    assert "Version 1 published on 2 March 2026" in page[page.index("Cyclus 2025") : page.index("Cyclus 2024")]
    assert "No pay table yet" in page[page.index("Cyclus 2024") :]
    for cycle in (closed, active, draft, older_closed):
        assert url("pay:pay_table", organization, cycle_id=cycle.pk) in page


def optional(name, **kwargs):
    """The address of a page another part of pay provides, or None while it does not exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def test_links_to_the_other_pay_pages_appear_once_those_pages_exist(hr, tenant_a):
    organization = tenant_a.organization
    cycle = CycleFactory(organization=organization)

    page = text(hr.get(index(organization)))

    slug = organization.slug
    for name, kwargs in (
        ("pay:scales", {}),
        ("pay:placements", {}),
        ("pay:budget", {"cycle_id": cycle.pk}),
        ("pay:export", {"cycle_id": cycle.pk}),
    ):
        address = optional(name, org_slug=slug, **kwargs)
        if address is not None:
            assert f'href="{address}"' in page, name


def test_the_overview_costs_as_many_queries_for_40_cycles_as_for_2(hr, tenant_a):
    organization = tenant_a.organization
    PaySettings.objects.get_or_create(organization_id=organization.pk)

    def build(numbers):
        for number in numbers:
            cycle = CycleFactory(organization=organization, name=f"Cyclus {number:03}", status=CycleStatus.ACTIVE)
            PayTableFactory(cycle=cycle, version=1)
            PayTableFactory(cycle=cycle, version=2, published_at=None)

    response = assert_flat_queries(lambda: hr.get(index(organization)), build)

    assert text(response).count("Draft of version 2") == 40
