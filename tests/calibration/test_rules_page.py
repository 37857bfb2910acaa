"""The rules here (calibration.views_rules): every member reads the rules that bind every manager, for the current
cycle (the newest active one, else the latest closed one): the calendar, the cap and what does not count, the
scale, the outcome rule, the pay table, deviations and calibration; once the cycle is closed the organisation's
finalised outcomes, from 5 people on. A fixed number of queries, and one click from every home page."""

import datetime
import re

import pytest
from django.utils import timezone

from cycles.models import CycleStatus
from organizations.models import Organization
from pay.models import PayTable
from reviews import scales
from reviews.models import ReviewState
from tests.factories import CycleFactory, MomentFactory, NotCountedFactory
from tests.kit import assert_flat_queries, assert_method_not_allowed, assert_other_organisation_gets_404, url
from tests.pay.budget_kit import crowd
from tests.pay.conftest import make_pay
from tests.pay.mine_page import mine, page_text, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay(tenant_a):
    """tests/pay/conftest.py's: Alfa's active cycle around today, its three bands and a published pay table."""
    return make_pay(tenant_a)


def rules_url(organization):
    return url("calibration:rules", organization)


def section(response, heading_id) -> str:
    """The text of the page's section labelled by ``heading_id`` (fails when the page has none)."""
    page = response.content.decode()
    found = re.search(rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', page, re.S)
    assert found, f"no section {heading_id!r} on the page"
    return text(found.group(1))


def close(cycle):
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])


# --- who may read it ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["employee", "manager", "hr"])
def test_every_member_reads_the_rules_here(request, pay, role):
    response = request.getfixturevalue(role).get(rules_url(pay.tenant.organization))

    assert response.status_code == 200
    assert "<h1>The rules here</h1>" in response.content.decode()


def test_a_member_of_another_organisation_gets_404(client, tenant_a, stranger):
    assert_other_organisation_gets_404(client, stranger, rules_url(tenant_a.organization))


def test_the_page_only_reads(employee, tenant_a):
    assert_method_not_allowed(employee, rules_url(tenant_a.organization), ["post", "put", "patch", "delete"])


# --- the parts ---------------------------------------------------------------------------------------------------


def test_the_calendar_gives_each_moment_its_dates_and_purpose(pay, employee):
    pay.assessment.assessment.purpose_en = "Rate each expectation and say what it means."
    pay.assessment.assessment.save(update_fields=["purpose_en"])
    progress, assessment = pay.assessment.progress, pay.assessment.assessment

    calendar = section(employee.get(rules_url(pay.tenant.organization)), "calendar")

    for moment in (progress, assessment):
        window = f"{moment.opens_on.day} {moment.opens_on:%B} {moment.opens_on.year}"
        assert f"{moment.name_en} · {window}" in calendar
    assert "Rate each expectation and say what it means." in calendar
    assert progress.purpose_en in calendar
    assert calendar.index(progress.name_en) < calendar.index(assessment.name_en)  # in calendar order


def test_the_cap_and_what_does_not_count(pay, employee):
    Organization.objects.filter(pk=pay.tenant.organization.pk).update(expectation_cap=4)
    NotCountedFactory(organization=pay.tenant.organization, text_en="Hours beyond your contract")

    part = section(employee.get(rules_url(pay.tenant.organization)), "assessed-on")

    assert "Nobody has more than 4 expectations" in part
    assert "These are explicitly not assessed: Hours beyond your contract" in part


def test_without_anything_that_does_not_count_it_says_so(pay, employee):
    part = section(employee.get(rules_url(pay.tenant.organization)), "assessed-on")
    assert "Your organisation has not listed anything here yet." in part


def test_the_rating_scale_gives_each_level_its_description(pay, employee):
    part = section(employee.get(rules_url(pay.tenant.organization)), "scale")

    for level in scales.cycle_levels(cycle=pay.cycle):
        assert f"{level.value} – {level.label_en} {level.description_en}" in part


def test_the_outcome_rule_gives_the_bands_and_thresholds_and_links_to_the_rule_page(pay, employee):
    response = employee.get(rules_url(pay.tenant.organization))
    part = section(response, "outcome-rule")

    assert "Below expectations From a weighted score of 0.00" in part
    assert "Meets expectations From a weighted score of 2.50 The weighted average is 2.50 or more" in part
    assert "Exceeds expectations From a weighted score of 3.50" in part
    assert f'href="{url("reviews:outcome_rule", pay.tenant.organization)}"' in response.content.decode()


def test_a_manager_who_deviates_writes_a_justification_and_hr_sees_it(pay, employee):
    part = section(employee.get(rules_url(pay.tenant.organization)), "outcome-rule")
    assert (
        "A manager who chooses another outcome than the rule gives writes a justification. HR sees every such "
        "deviation, with its justification." in part
    )


def test_it_says_that_hr_calibrates_and_the_manager_reads_why(pay, employee):
    part = section(employee.get(rules_url(pay.tenant.organization)), "calibration")

    assert "HR compares every manager's outcomes with those of the whole organisation" in part
    assert "HR may move an outcome, always with a written reason, which the manager reads." in part


def test_the_published_pay_table_per_outcome_with_a_link_to_what_my_outcome_means(pay, employee):
    response = employee.get(rules_url(pay.tenant.organization))
    part = section(response, "pay")

    assert "The pay table of this cycle was published on" in part
    assert "For everyone, the pay table says: “Two steps up and a one-off payment.”" in part
    assert "Steps up the salary scale 2" in part
    assert "One-off payment 2% of the annual salary" in part
    assert f'href="{mine(pay.tenant.organization, cycle=pay.cycle.pk)}"' in response.content.decode()


def test_a_pay_table_not_yet_published_is_said_to_be_coming(pay, employee):
    PayTable.objects.filter(pk=pay.pay_table.pk).update(published_at=None)

    part = section(employee.get(rules_url(pay.tenant.organization)), "pay")

    assert "The pay table of this cycle has not been published yet." in part
    assert "Two steps up" not in part


def test_without_a_cycle_the_page_is_calm_and_still_gives_the_scale(tenant_a, employee):
    CycleFactory(organization=tenant_a.organization, status=CycleStatus.DRAFT)  # being prepared: not in force

    response = employee.get(rules_url(tenant_a.organization))

    assert response.status_code == 200
    assert "No cycle is active yet." in section(response, "calendar")
    assert "1 – Not yet visible" in section(response, "scale")
    assert "they show here once a cycle is active" in section(response, "outcome-rule")


def test_the_active_cycle_comes_before_a_newer_closed_one(pay, employee):
    newer = CycleFactory(
        organization=pay.tenant.organization,
        name="Later",
        starts_on=pay.cycle.starts_on + datetime.timedelta(days=30),
        ends_on=pay.cycle.ends_on + datetime.timedelta(days=30),
        status=CycleStatus.CLOSED,
    )
    MomentFactory(cycle=newer, name_en="Something else entirely")

    page = page_text(employee.get(rules_url(pay.tenant.organization)))

    assert f"follows in cycle {pay.cycle.name}." in page
    assert "Something else entirely" not in page


def test_without_an_active_cycle_the_latest_closed_one_is_shown(pay, employee):
    close(pay.cycle)

    page = page_text(employee.get(rules_url(pay.tenant.organization)))

    assert f"Cycle {pay.cycle.name} is closed" in page
    assert pay.assessment.assessment.name_en in page


# --- the organisation's outcomes once the cycle is closed ---------------------------------------------------------


def test_the_spread_is_hidden_below_five_people(pay, employee):
    crowd(pay, range(4), state=ReviewState.FINALISED)
    close(pay.cycle)

    part = section(employee.get(rules_url(pay.tenant.organization)), "spread")

    assert "shown from 5 people on, so nobody can be recognised" in part
    assert "Below expectations" not in part


def test_the_spread_is_shown_from_five_people(pay, employee):
    crowd(pay, range(5), state=ReviewState.FINALISED)  # bands by number % 3: below 2, meets 2, exceeds 1
    crowd(pay, range(5, 8), state=ReviewState.SIGNED)  # not finalised: not counted
    close(pay.cycle)

    part = section(employee.get(rules_url(pay.tenant.organization)), "spread")

    assert "in the whole organisation: 5 people" in part
    assert "Below expectations 2 40%" in part
    assert "Meets expectations 2 40%" in part
    assert "Exceeds expectations 1 20%" in part
    assert "nobody can be recognised" not in part


def test_an_active_cycle_shows_no_spread(pay, employee):
    crowd(pay, range(6), state=ReviewState.FINALISED)

    response = employee.get(rules_url(pay.tenant.organization))

    assert 'aria-labelledby="spread"' not in response.content.decode()
    assert response.context["rules"].spread is None


# --- queries and the way in --------------------------------------------------------------------------------------


def test_the_page_makes_as_many_queries_with_40_people_as_with_2(pay, employee):
    close(pay.cycle)
    address = rules_url(pay.tenant.organization)

    def build(numbers):
        crowd(pay, numbers, state=ReviewState.FINALISED)
        for number in numbers:
            NotCountedFactory(organization=pay.tenant.organization, text_en=f"Not this ({number})")

    response = assert_flat_queries(lambda: employee.get(address), build)

    assert response.context["rules"].spread.total == 40
    assert "Not this (39)" in page_text(response)


@pytest.mark.parametrize("role", ["employee", "manager", "hr"])
def test_every_home_page_links_to_the_rules(request, tenant_a, role):
    response = request.getfixturevalue(role).get(url("organizations:home", tenant_a.organization))

    assert f'href="{rules_url(tenant_a.organization)}"' in response.content.decode()


def test_the_rules_are_in_force_today_for_an_active_cycle_around_today(pay, employee):
    # The pay fixture's cycle runs around today: the page speaks of it as the current one, not a closed one.
    assert pay.cycle.starts_on <= timezone.localdate() <= pay.cycle.ends_on
    page = page_text(employee.get(rules_url(pay.tenant.organization)))
    assert "is closed" not in page
