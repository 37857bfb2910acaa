"""HR's budget of a cycle: the cost of the proposed outcomes, in total and per team, against the budgets HR enters."""

import datetime
import html
from decimal import Decimal

import pytest
from django.utils import timezone

from organizations.audit_models import AuditEntry
from organizations.models import Team
from pay.amounts import NEGATIVE, NOT_AN_AMOUNT, TOO_PRECISE
from pay.models import PayBudget, PayTable, Placement
from pay.selectors_budget import budget_of
from tests.factories import EmployeeFactory, PlacementFactory, TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    shown_messages,
    url,
)
from tests.pay.budget_kit import EXCEEDS, MEETS, crowd, in_cycle_without_review, review_of, second_assessment

pytestmark = pytest.mark.django_db


def page_text(response):
    return html.unescape(response.content.decode())


def budget_page(pay):
    return url("pay:budget", pay.tenant.organization, cycle_id=pay.cycle.pk)


def team_page(pay, team):
    return url("pay:team_budget", pay.tenant.organization, cycle_id=pay.cycle.pk, team_id=team.pk)


@pytest.fixture
def people(pay):
    """Four people with a proposed outcome and one without, worked out by hand below.

    - Eva (employee, Klantenservice), Schaal 8 step 3 (3300), meets: one step up to 3400: +100.00 a month,
      100 × 12.96 (8 % holiday allowance) = 1296.00 a year, no one-off payment.
    - Mark (manager, Klantenservice), Schaal 8 step 5, the top (3500), meets: the step does not fit, so the
      table's top rule pays 3 % of 3500 × 12.96 = 45360.00: 1360.80 once; no increase.
    - Fenna (Finance), outside the scales at 5000.00, exceeds: 4 % raise to 5200.00: +200.00 a month, 2592.00 a
      year, and 2 % of 64800.00 = 1296.00 once.
    - Olaf (no team), not placed, meets: not counted.
    - Hanna (HR, no team) has an assessment conversation but no review: no proposed outcome yet.
    """
    tenant = pay.tenant
    finance = TeamFactory(organization=tenant.organization, name="Finance")
    fenna = EmployeeFactory(organization=tenant.organization, team=finance, first_name="Fenna")
    PlacementFactory(employee=fenna, monthly_salary=Decimal("5000.00"))
    reviews = {
        "eva": review_of(pay, tenant.employee, MEETS, conversation=pay.assessment.conversation),
        "mark": review_of(pay, tenant.manager, MEETS),
        "fenna": review_of(pay, fenna, EXCEEDS),
        "olaf": review_of(pay, tenant.outsider, MEETS),
    }
    in_cycle_without_review(pay, tenant.hr)
    return {"finance": finance, "fenna": fenna, "reviews": reviews}


def teams_by_name(summary):
    return {row.name or "no team": row for row in summary.teams}


def test_the_totals_are_worked_out_by_hand(pay, people):
    summary = budget_of(cycle=pay.cycle)
    total = summary.total
    assert (total.people, total.counted, total.not_placed, summary.without_outcome) == (4, 3, 1, 1)
    assert total.increase_month == Decimal("300.00")
    assert total.increase_year == Decimal("3888.00")
    assert total.one_off == Decimal("2656.80")
    assert total.cost == Decimal("6544.80")
    teams = teams_by_name(summary)
    assert teams["Klantenservice"].cost == Decimal("1296.00") + Decimal("1360.80")
    assert teams["Finance"].increase_year == Decimal("2592.00") and teams["Finance"].one_off == Decimal("1296.00")
    assert (teams["no team"].people, teams["no team"].counted, teams["no team"].without_outcome) == (1, 0, 1)


def test_the_page_shows_the_totals_and_what_is_not_counted(pay, people, hr):
    response = hr.get(budget_page(pay))
    assert response.status_code == 200
    page = response.content.decode()
    for amount in ("€300.00", "€3,888.00", "€2,656.80", "€6,544.80"):
        assert amount in page
    assert "1 proposed outcome is not counted: the person is not placed on the salary scales." in page
    assert "1 person in this cycle has no proposed outcome yet." in page
    assert "with 8% holiday allowance" in page
    assert "Finance" in page and "No team" in page


def test_the_total_is_the_sum_of_the_teams(pay, people):
    crowd(pay, range(40))
    summary = budget_of(cycle=pay.cycle)
    for field in ("people", "counted", "not_placed", "increase_month", "increase_year", "one_off", "cost"):
        assert getattr(summary.total, field) == sum(getattr(row, field) for row in summary.teams), field
    assert summary.in_cycle == 5 + 40


def test_the_budget_follows_a_review_whose_band_changes(pay, people, hr):
    review = people["reviews"]["eva"]
    before = budget_of(cycle=pay.cycle).total
    review.band = pay.bands[EXCEEDS]
    review.save(update_fields=["band"])
    after = budget_of(cycle=pay.cycle).total
    # Two steps up from step 3: 3500, +200 a month (2592.00 a year), and 2 % of 3300 × 12.96 = 42768.00: 855.36.
    assert after.increase_month - before.increase_month == Decimal("100.00")
    assert after.increase_year - before.increase_year == Decimal("1296.00")
    assert after.one_off - before.one_off == Decimal("855.36")
    review.band = None
    review.save(update_fields=["band"])
    emptied = budget_of(cycle=pay.cycle)
    assert (emptied.total.people, emptied.without_outcome) == (3, 2)


def test_a_later_review_with_a_band_counts_instead_of_an_earlier_one(pay, people):
    fenna = people["fenna"]
    people["reviews"]["fenna"].conversation.scheduled_at = timezone.now() + datetime.timedelta(days=12)
    people["reviews"]["fenna"].conversation.save(update_fields=["scheduled_at"])
    later = review_of(
        pay, fenna, MEETS, when=timezone.now() + datetime.timedelta(days=90), moment=second_assessment(pay)
    )
    assert teams_by_name(budget_of(cycle=pay.cycle))["Finance"].increase_month == Decimal("100.00")  # 2 % of 5000
    later.band = None
    later.save(update_fields=["band"])
    assert teams_by_name(budget_of(cycle=pay.cycle))["Finance"].increase_month == Decimal("200.00")


def test_a_missing_step_is_not_counted_and_said(pay, people, hr):
    Placement.objects.filter(employee=pay.tenant.employee).update(step=9)
    total = budget_of(cycle=pay.cycle).total
    assert (total.counted, total.step_missing) == (2, 1)
    assert "1 proposed outcome is not counted: the person's step is not in the salary scales." in page_text(
        hr.get(budget_page(pay))
    )


def test_without_a_published_pay_table_nothing_is_costed(pay, people, hr):
    PayTable.objects.filter(pk=pay.pay_table.pk).update(published_at=None)
    summary = budget_of(cycle=pay.cycle)
    assert summary.pay_table is None and summary.total.cost == 0 and summary.total.counted == 0
    page = hr.get(budget_page(pay)).content.decode()
    assert "This cycle has no published pay table yet, so no outcome can be costed." in page


def test_hr_sets_the_total_budget_and_reads_the_difference(pay, people, hr):
    response = hr.post(budget_page(pay), {"amount": "6.000,00"}, follow=True)
    assert shown_messages(response) == ["The budget has been saved."]
    assert PayBudget.objects.get(cycle=pay.cycle, team=None).amount == Decimal("6000.00")
    assert "Over budget by €544.80" in response.content.decode()
    response = hr.post(budget_page(pay), {"amount": "7000"}, follow=True)
    assert "Within budget, €455.20 left" in response.content.decode()
    response = hr.post(budget_page(pay), {"amount": ""}, follow=True)
    assert shown_messages(response) == ["The budget has been removed."]
    assert not PayBudget.objects.filter(cycle=pay.cycle).exists()


def test_a_dutch_reader_reads_and_types_amounts_the_dutch_way(pay, people):
    dutch = client_for(pay.tenant.hr, language="nl")
    dutch.post(budget_page(pay), {"amount": "6.000,00"})
    response = dutch.get(budget_page(pay))
    assert "€\xa06.544,80" in page_text(response)
    assert response.context["form"]["amount"].value() == "6.000,00"


def test_a_team_budget_shows_its_difference_on_the_budget_page(pay, people, hr):
    team = pay.tenant.team
    response = hr.get(team_page(pay, team))
    assert response.status_code == 200
    assert "€2,656.80" in response.content.decode()
    response = hr.post(team_page(pay, team), {"amount": "2500"}, follow=True)
    assert shown_messages(response) == ["The budget has been saved."]
    assert "Over budget by €156.80" in response.content.decode()
    row = teams_by_name(budget_of(cycle=pay.cycle))["Klantenservice"]
    assert row.budget == Decimal("2500.00") and row.difference == Decimal("-156.80")
    assert budget_of(cycle=pay.cycle).total.budget is None  # the team's budget is not the total


def test_each_change_of_a_budget_is_in_the_audit_trail_naming_hr(pay, people, hr):
    team = pay.tenant.team
    for typed in ("2500", "2600", ""):
        hr.post(team_page(pay, team), {"amount": typed})
    entries = AuditEntry.objects.filter(content_type__model="paybudget").order_by("pk")
    assert [entry.action for entry in entries] == [0, 1, 2]  # created, changed, deleted
    assert {entry.actor_employee_id for entry in entries} == {pay.tenant.hr.pk}


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", NOT_AN_AMOUNT), ("-100", NEGATIVE), ("1.234,567", TOO_PRECISE), ("12.3456", TOO_PRECISE)],
)
def test_a_bad_team_budget_is_refused_at_the_field(pay, people, hr, typed, message):
    PayBudget.objects.create(organization=pay.tenant.organization, cycle=pay.cycle, team=pay.tenant.team, amount=5)
    with assert_nothing_changes(PayBudget.objects.all()):
        response = hr.post(team_page(pay, pay.tenant.team), {"amount": typed})
    assert response.status_code == 200
    assert field_error(response, "amount") == str(message)


def test_a_bad_total_budget_is_refused_at_the_field(pay, people, hr):
    with assert_nothing_changes(PayBudget.objects.all()):
        response = hr.post(budget_page(pay), {"amount": "abc"})
    assert field_error(response, "amount") == str(NOT_AN_AMOUNT)


def test_members_of_another_organisation_get_404(pay, client, stranger):
    for page in (budget_page(pay), team_page(pay, pay.tenant.team)):
        assert_other_organisation_gets_404(client, stranger, page)
        assert_other_organisation_gets_404(client, stranger, page, "post", {"amount": "1"})


def test_another_organisations_team_is_404(pay, hr, tenant_b):
    other = Team.objects.get(organization=tenant_b.organization)
    with assert_nothing_changes():
        assert hr.post(team_page(pay, other), {"amount": "1"}).status_code == 404


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_are_refused(pay, client, role):
    member = pay.tenant.member(role)
    for page in (budget_page(pay), team_page(pay, pay.tenant.team)):
        assert_role_forbidden(client, member, page)
        assert_role_forbidden(client, member, page, "post", {"amount": "1"})


def test_other_methods_are_refused(pay, hr):
    assert_method_not_allowed(hr, budget_page(pay), ["put", "delete"])
    assert_method_not_allowed(hr, team_page(pay, pay.tenant.team), ["put", "patch"])


def test_the_budget_page_makes_as_many_queries_for_300_people_as_for_10(pay, hr):
    PayBudget.objects.create(organization=pay.tenant.organization, cycle=pay.cycle, amount=Decimal("1000"))
    response = assert_flat_queries(
        lambda: hr.get(budget_page(pay)),
        lambda numbers: crowd(pay, numbers),
        few=10,
        many=300,
    )
    summary = response.context["budget"]
    assert summary.total.people == 300
    assert len(summary.teams) > 50 and response.context["page"].has_next()
