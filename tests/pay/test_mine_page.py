""" "What my outcome means" (pay:mine) and the same page about someone else (pay:person_outcomes): who may read
which, the outcome highlighted once final and never before, the cycle chosen, and a flat number of queries.

Figures and sentences themselves: test_outcomes_explained.py. The ``pay`` fixture: tests/pay/conftest.py.
"""

import datetime

import pytest
from django.urls import NoReverseMatch

from cycles.models import CycleStatus
from organizations import extensions
from organizations.models import Role
from pay import links
from pay.models import PaySettings, PayTable
from reviews import scales
from tests.factories import CycleFactory, EmployeeFactory, PayRuleFactory, PayTableFactory, PlacementFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    url,
)
from tests.pay.conftest import make_pay
from tests.reviews.review_steps import fill, finalised, shared, start

from .mine_page import about, card, card_markup, mine, page_text

pytestmark = pytest.mark.django_db


def managers_see_reports(organization, on=True):
    PaySettings.objects.get_or_create(organization_id=organization.pk)
    PaySettings.objects.filter(organization=organization).update(managers_see_reports=on)


# --- who may read it ---------------------------------------------------------------------------------------------


def test_every_member_reads_their_own_page(pay, employee, manager, hr, outsider):
    for client in (employee, manager, hr, outsider):
        assert client.get(mine(pay.tenant.organization)).status_code == 200


def test_another_organisation_gets_404(client, pay, stranger):
    assert_other_organisation_gets_404(client, stranger, mine(pay.tenant.organization))
    assert_other_organisation_gets_404(client, stranger, about(pay.tenant.employee))


def test_someone_of_another_organisation_is_a_404_even_for_hr(pay, tenant_b):
    response = client_for(tenant_b.hr).get(
        url("pay:person_outcomes", tenant_b.organization, employee_id=pay.tenant.employee.pk)
    )
    assert response.status_code == 404


def test_other_methods_get_405(pay, employee, hr):
    assert_method_not_allowed(employee, mine(pay.tenant.organization), ["post", "put", "delete"])
    assert_method_not_allowed(hr, about(pay.tenant.employee), ["post", "put", "delete"])


def test_an_employee_may_not_read_a_colleagues_page(client, pay):
    assert_role_forbidden(client, pay.tenant.outsider, about(pay.tenant.employee))


def test_a_manager_may_not_read_a_reports_page_while_the_setting_is_off(client, pay):
    # The settings exist (settings_for makes them on the first read, which would count as a change here).
    managers_see_reports(pay.tenant.organization, on=False)
    assert_role_forbidden(client, pay.tenant.manager, about(pay.tenant.employee))


def test_a_manager_reads_a_reports_page_when_the_organisation_allows_it(pay, manager):
    managers_see_reports(pay.tenant.organization)
    response = manager.get(about(pay.tenant.employee))

    text = page_text(response)
    assert f"What the outcomes mean for {pay.tenant.employee.full_name}" in text
    assert f"{pay.tenant.employee.full_name} is on Schaal 8, step 3: €3,300.00 a month." in text
    assert "Increase per year €1,296.00" in card(response, pay.bands[1])


def test_the_setting_does_not_open_someone_elses_report_to_a_manager(client, pay):
    managers_see_reports(pay.tenant.organization)
    other = EmployeeFactory(organization=pay.tenant.organization, role=Role.MANAGER)
    assert_role_forbidden(client, other, about(pay.tenant.employee))


def test_hr_reads_anyones_page_whatever_the_setting(pay, hr):
    response = hr.get(about(pay.tenant.manager))

    text = page_text(response)
    assert f"Where {pay.tenant.manager.full_name} stands" in text
    assert card(response, pay.bands[1]).endswith(
        f"{pay.tenant.manager.full_name} is on the top step of Schaal 8 (step 5): instead of 1 step they would "
        "receive a one-off payment of 3% of their annual salary: €1,360.80."
    )
    assert "HR has not placed" in page_text(hr.get(about(pay.tenant.outsider)))


def test_ones_own_id_leads_to_ones_own_page(pay, employee):
    response = employee.get(about(pay.tenant.employee, cycle=pay.cycle.pk))

    assert response.status_code == 302
    assert response["Location"] == mine(pay.tenant.organization, cycle=pay.cycle.pk)


# --- the outcome, once final, and never before ---------------------------------------------------------------


def test_a_finalised_review_highlights_the_outcome_in_words(pay, employee):
    review = finalised(pay.assessment)
    below, meets, exceeds = pay.bands
    assert review.band_id == meets.pk  # 3 and 2, weighing 60 and 40: 2.60, meets expectations

    response = employee.get(mine(pay.tenant.organization))

    assert card(response, meets).startswith("Meets expectations Your outcome ")
    assert "outcome-final" in card_markup(response, meets)
    assert "Your outcome" not in card(response, below) + card(response, exceeds)
    assert "HR has finalised your review: your outcome is “Meets expectations”." in page_text(response)


def test_hr_sees_the_final_outcome_labelled_as_the_persons(pay, hr):
    finalised(pay.assessment)
    response = hr.get(about(pay.tenant.employee))

    assert card(response, pay.bands[1]).startswith("Meets expectations Final outcome ")


@pytest.mark.parametrize("step", [start, shared])
def test_a_review_not_yet_final_reveals_no_outcome(pay, employee, step):
    review = step(pay.assessment)
    if step is start:  # a draft with ratings already points at a band
        review = fill(review, pay.assessment)
    assert review.band_id is not None

    response = employee.get(mine(pay.tenant.organization))

    content = response.content.decode()
    assert "outcome-final" not in content
    assert "Your outcome" not in content and "finalised" not in page_text(response)


# --- which cycle ---------------------------------------------------------------------------------------------


def test_without_a_published_pay_table_the_page_says_so_calmly(tenant_a, employee):
    response = employee.get(mine(tenant_a.organization))

    assert "HR has not published a pay table yet." in page_text(response)
    assert "band-" not in response.content.decode()


def test_a_draft_pay_table_is_not_shown(pay, employee):
    PayTable.objects.filter(pk=pay.pay_table.pk).update(published_at=None)
    assert "HR has not published a pay table yet." in page_text(employee.get(mine(pay.tenant.organization)))


def earlier_cycle(pay):
    """A closed cycle of the year before, with its own published pay table: one step for every band."""
    cycle = CycleFactory(
        organization=pay.tenant.organization,
        name="Vorig jaar",
        starts_on=pay.cycle.starts_on - datetime.timedelta(days=365),
        ends_on=pay.cycle.starts_on - datetime.timedelta(days=1),
        status=CycleStatus.CLOSED,
    )
    table = PayTableFactory(cycle=cycle)
    for band in scales.cycle_bands(cycle=cycle):
        PayRuleFactory(table=table, band=band, steps=1, sentence_en=f"Last year: {band.name_en}.")
    return cycle


def test_the_active_cycle_is_shown_first_and_another_can_be_chosen(pay, employee):
    before = earlier_cycle(pay)

    first = employee.get(mine(pay.tenant.organization))
    assert first.context["cycle"] == pay.cycle
    assert f'href="?cycle={before.pk}"' in first.content.decode()

    chosen = employee.get(mine(pay.tenant.organization, cycle=before.pk))
    assert chosen.context["cycle"] == before
    assert "Last year: Below expectations." in page_text(chosen)


def test_without_an_active_cycle_the_latest_is_shown(pay, employee):
    before = earlier_cycle(pay)
    pay.cycle.status = CycleStatus.CLOSED
    pay.cycle.save(update_fields=["status"])
    later = employee.get(mine(pay.tenant.organization))
    assert later.context["cycle"] == pay.cycle
    assert [cycle.pk for cycle in later.context["cycles"]] == [pay.cycle.pk, before.pk]


@pytest.mark.parametrize("cycle", ["abc", "0", "-1", "99999999999999999999999", "1e3"])
def test_a_cycle_that_is_no_choice_is_a_404(pay, employee, cycle):
    assert employee.get(mine(pay.tenant.organization, cycle=cycle)).status_code == 404


def test_another_organisations_cycle_is_a_404(pay, tenant_b, employee):
    other = make_pay(tenant_b)
    assert employee.get(mine(pay.tenant.organization, cycle=other.cycle.pk)).status_code == 404


def test_a_cycle_without_a_published_pay_table_is_no_choice(pay, employee):
    draft = CycleFactory(organization=pay.tenant.organization, status=CycleStatus.DRAFT)
    assert employee.get(mine(pay.tenant.organization, cycle=draft.pk)).status_code == 404


# --- queries -------------------------------------------------------------------------------------------------


def add_people(pay):
    """``build`` for assert_flat_queries: per number a person placed on Schaal 8, step 2."""

    def build(numbers):
        for _number in numbers:
            person = EmployeeFactory(organization=pay.tenant.organization, manager=pay.tenant.manager)
            PlacementFactory(employee=person, scale=pay.schaal_8, step=2)

    return build


def test_ones_own_page_is_flat_in_the_size_of_the_organisation(pay, employee):
    finalised(pay.assessment)
    response = assert_flat_queries(lambda: employee.get(mine(pay.tenant.organization)), add_people(pay))
    assert "Your outcome" in response.content.decode()


def test_the_page_about_someone_is_flat_in_the_size_of_the_organisation(pay, manager):
    managers_see_reports(pay.tenant.organization)
    response = assert_flat_queries(lambda: manager.get(about(pay.tenant.employee)), add_people(pay))
    assert "Increase per year €1,296.00" in card(response, pay.bands[1])


def test_one_persons_page_is_a_handful_of_queries(pay, employee, django_assert_max_num_queries):
    employee.get(mine(pay.tenant.organization))
    with django_assert_max_num_queries(15):
        employee.get(mine(pay.tenant.organization))


# --- links on a person's page (pay.links; pay/hooks.py registers them) -------------------------------------------


@pytest.fixture
def pay_links(monkeypatch):
    """pay's links on every person's page for this test only (the lead registers them in pay/hooks.py)."""
    monkeypatch.setattr(extensions, "_providers", list(extensions._providers))
    extensions.register(links.person_links)


def pay_links_on(client, person):
    response = client.get(url("organizations:person_detail", person.organization, employee_id=person.pk))
    assert response.status_code == 200
    return {link.label: link.url for link in response.context["links"] if "/pay/" in link.url}


def test_hr_is_offered_what_the_outcomes_mean_for_anyone(pay, pay_links, hr):
    found = pay_links_on(hr, pay.tenant.employee)

    assert found["What the outcomes mean"] == about(pay.tenant.employee)
    # pay:placement_edit arrives with the placements' pages; without it the link is left out rather than failing.
    try:
        placement = url("pay:placement_edit", pay.tenant.organization, employee_id=pay.tenant.employee.pk)
    except NoReverseMatch:
        assert set(found) == {"What the outcomes mean"}
    else:
        assert found["Salary scale and step"] == placement


def test_a_manager_is_offered_the_link_only_when_the_organisation_allows_it(pay, pay_links, manager):
    assert pay_links_on(manager, pay.tenant.employee) == {}

    managers_see_reports(pay.tenant.organization)
    assert pay_links_on(manager, pay.tenant.employee) == {"What the outcomes mean": about(pay.tenant.employee)}


def test_on_ones_own_page_the_link_leads_to_ones_own_figures(pay, pay_links, employee):
    assert pay_links_on(employee, pay.tenant.employee) == {"What my outcome means": mine(pay.tenant.organization)}


def test_the_links_read_the_setting_once_and_only_for_a_manager(pay, tenant_a, django_assert_num_queries):
    PaySettings.objects.get_or_create(organization_id=tenant_a.organization.pk)
    viewer = tenant_a.manager
    viewer.organization = tenant_a.organization  # as the door hands it over: one object per request
    with django_assert_num_queries(1):
        links.person_links(viewer=viewer, person=tenant_a.employee)
        links.person_links(viewer=viewer, person=tenant_a.outsider)
    with django_assert_num_queries(0):
        links.person_links(viewer=tenant_a.hr, person=tenant_a.employee)
