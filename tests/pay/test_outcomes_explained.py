"""What each outcome would mean, in euros and in words, on "What my outcome means": figures worked out by hand.

The ``pay`` fixture (tests/pay/conftest.py): Schaal 8 pays 3,000 to 3,500 on steps 0 to 5; Eva (the employee) is
on step 3 (3,300), Mark (the manager) on the top step 5 (3,500). The pay table: below expectations no step; meets
one step (2 % outside the scales); exceeds two steps and a one-off payment of 2 % of the annual salary, with
promotion. At the top, each step that does not fit becomes a one-off payment of 3 %. Holiday allowance 8 %, so a
year is 12 × 1.08 = 12.96 months (13.96 with a thirteenth month).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pay.models import PaySettings, PayTable, Placement, TopRule
from tests.factories import PayRuleFactory, PayTableFactory, PlacementFactory, SalaryTableFactory, scale_with_steps
from tests.kit import client_for

from .mine_page import about, card, card_markup, mine, page_text

pytestmark = pytest.mark.django_db


def effective_on(pay) -> datetime.date:
    return datetime.date(pay.cycle.ends_on.year + 1, 1, 1)  # 1 January after the cycle ends


def english_date(day) -> str:
    return f"{day.day} {day:%B} {day.year}"


def test_the_employee_reads_each_outcome_in_euros(pay, employee):
    response = employee.get(mine(pay.tenant.organization))
    below, meets, exceeds = pay.bands

    assert card(response, below) == (
        "Below expectations For everyone, the pay table says: “No step up.” "
        "New step 3 (now 3) New monthly salary €3,300.00 Increase per month €0.00 "
        "Increase per year €0.00 One-off payment €0.00 Eligible for promotion No"
    )
    # 3,300 → 3,400: 100 a month, 100 × 12.96 = 1,296.00 a year.
    assert card(response, meets) == (
        "Meets expectations For everyone, the pay table says: “One step up.” "
        "New step 4 (now 3) New monthly salary €3,400.00 Increase per month "
        "€100.00 Increase per year €1,296.00 One-off payment €0.00 Eligible for promotion No"
    )
    # 3,300 → 3,500: 200 a month, 2,592.00 a year; one-off 2 % of 3,300 × 12.96 = 42,768.00: 855.36.
    assert card(response, exceeds) == (
        "Exceeds expectations For everyone, the pay table says: “Two steps up and a one-off payment.” "
        "New step 5 (now 3) New monthly salary €3,500.00 "
        "Increase per month €200.00 Increase per year €2,592.00 One-off payment €855.36 Eligible for promotion Yes"
    )


def test_the_amounts_are_written_the_dutch_way_for_a_dutch_reader(pay):
    client = client_for(pay.tenant.employee, language="nl")
    response = client.get(mine(pay.tenant.organization))
    _below, meets, exceeds = pay.bands

    assert "€\xa03.400,00" in card(response, meets)
    assert "€\xa01.296,00" in card(response, meets)
    assert "€\xa0855,36" in card(response, exceeds)
    assert "€\xa03.300,00 × 12,96 = €\xa042.768,00" in page_text(response)
    assert "Een trede erbij." in card(response, meets)  # the pay table's sentence in the reader's language


def test_above_the_bands_the_page_says_where_they_stand_and_the_terms_used(pay, employee):
    Placement.objects.filter(employee=pay.tenant.employee).update(step_date=datetime.date(2019, 3, 1))
    text = page_text(employee.get(mine(pay.tenant.organization)))

    assert "You are on Schaal 8, step 3: €3,300.00 a month." in text
    assert "Your yearly step comes on 1 March each year." in text
    assert "Holiday allowance: 8% of twelve monthly salaries." in text
    assert "No thirteenth month is paid." in text
    assert f"The consequences take effect on {english_date(effective_on(pay))}." in text
    assert f"Amounts from the salary scales applying from {english_date(pay.table.applies_from)}." in text
    assert "the monthly salary × 12.96." in text
    assert "Now: €3,300.00 × 12.96 = €42,768.00 a year." in text
    assert (
        text.index("Where you stand")
        < text.index("How the annual salary is computed")
        < text.index("Below expectations")
    )


def test_a_thirteenth_month_makes_every_year_one_month_longer(pay, employee):
    PaySettings.objects.get_or_create(organization_id=pay.tenant.organization.pk)
    PaySettings.objects.filter(organization=pay.tenant.organization).update(thirteenth_month=True)
    PayTable.objects.filter(pk=pay.pay_table.pk).update(thirteenth_month=True)  # as a version published after it
    response = employee.get(mine(pay.tenant.organization))
    below, meets, exceeds = pay.bands

    # 100 × 13.96 = 1,396.00; 200 × 13.96 = 2,792.00; one-off 2 % of 3,300 × 13.96 = 46,068.00: 921.36.
    assert "Increase per year €1,396.00" in card(response, meets)
    assert "Increase per year €2,792.00" in card(response, exceeds)
    assert "One-off payment €921.36" in card(response, exceeds)
    assert "Increase per year €0.00" in card(response, below)
    text = page_text(response)
    assert "A thirteenth month is paid." in text
    assert "plus a thirteenth month: the monthly salary × 13.96." in text
    assert "Now: €3,300.00 × 13.96 = €46,068.00 a year." in text


def test_without_a_thirteenth_month_the_same_outcome_is_worth_a_month_less_a_year(pay, employee):
    response = employee.get(mine(pay.tenant.organization))

    assert "Increase per year €1,296.00" in card(response, pay.bands[1])
    assert "thirteenth month is paid" not in page_text(response).replace("No thirteenth month is paid", "")


def test_on_the_top_step_the_step_becomes_a_one_off_payment_in_words(pay, manager):
    response = manager.get(mine(pay.tenant.organization))
    below, meets, exceeds = pay.bands

    # 3 % of 3,500 × 12.96 = 45,360.00: 1,360.80 instead of the one step.
    assert card(response, meets).endswith(
        "You are on the top step of Schaal 8 (step 5): instead of 1 step you would receive a one-off payment of "
        "3% of your annual salary: €1,360.80."
    )
    assert "New monthly salary €3,500.00 Increase per month €0.00" in card(response, meets)
    assert "One-off payment €1,360.80" in card(response, meets)
    # Two steps that do not fit: 2 × 1,360.80, plus the table's own 2 % (907.20): 3,628.80 in all.
    assert card(response, exceeds).endswith(
        "You are on the top step of Schaal 8 (step 5): instead of 2 steps you would receive a one-off payment of "
        "3% of your annual salary for each: €2,721.60. With this outcome's own one-off payment of €907.20, that is "
        "€3,628.80 paid once."
    )
    assert "One-off payment €3,628.80" in card(response, exceeds)
    assert "top step" not in card(response, below)


def test_the_top_of_scale_sentence_in_dutch_formatting(pay):
    response = client_for(pay.tenant.manager, language="nl").get(mine(pay.tenant.organization))

    assert "3\xa0%" in card(response, pay.bands[1]) and "€\xa01.360,80" in card(response, pay.bands[1])


def test_when_nothing_replaces_the_step_at_the_top_the_page_says_so(pay, manager):
    pay.pay_table.top_rule = TopRule.NOTHING
    pay.pay_table.save(update_fields=["top_rule"])
    response = manager.get(mine(pay.tenant.organization))

    assert card(response, pay.bands[1]).endswith(
        "You are on the top step of Schaal 8 (step 5): there is no step above it, and nothing replaces the 1 step."
    )
    assert "One-off payment €0.00" in card(response, pay.bands[1])


def test_one_step_below_the_top_two_steps_take_one_and_the_other_is_paid_once(pay, employee):
    Placement.objects.filter(employee=pay.tenant.employee).update(step=4)
    response = employee.get(mine(pay.tenant.organization))

    # 3 % of 3,400 × 12.96 = 44,064.00: 1,321.92; plus the table's 2 %: 881.28; together 2,203.20.
    assert card(response, pay.bands[2]).endswith(
        "Schaal 8 ends at step 5: the move up stops there, and instead of the 1 step that does not fit a one-off "
        "payment of 3% of the annual salary is paid: €1,321.92. With this outcome's own one-off payment of €881.28, "
        "that is €2,203.20 paid once."
    )
    assert "One-off payment €2,203.20" in card(response, pay.bands[2])


def test_someone_not_placed_reads_steps_and_percentages_and_why(pay, outsider):
    response = outsider.get(mine(pay.tenant.organization))
    below, meets, exceeds = pay.bands

    text = page_text(response)
    assert "HR has not placed you on a salary scale yet, so the amounts in euros cannot be shown." in text
    assert "Below is what each outcome gives in steps and percentages." in text
    assert card(response, meets) == (
        "Meets expectations For everyone, the pay table says: “One step up.” "
        "Steps up the salary scale 1 Raise outside the salary scales 2% "
        "One-off payment 0% of the annual salary Eligible for promotion No"
    )
    assert card(response, exceeds) == (
        "Exceeds expectations For everyone, the pay table says: “Two steps up and a one-off payment.” "
        "Steps up the salary scale 2 Raise outside the "
        "salary scales 4% One-off payment 2% of the annual salary Eligible for promotion Yes"
    )
    assert "€" not in text


def test_a_salary_outside_the_scales_rises_by_the_tables_percentage(pay, outsider):
    PlacementFactory(employee=pay.tenant.outsider, monthly_salary=Decimal("5000.00"))
    response = outsider.get(mine(pay.tenant.organization))

    assert "Your salary is outside the salary scales: €5,000.00 a month." in page_text(response)
    # 2 %: 5,100.00, 100 a month, 1,296.00 a year.
    assert card(response, pay.bands[1]) == (
        "Meets expectations For everyone, the pay table says: “One step up.” "
        "Raise 2% New monthly salary €5,100.00 Increase per month €100.00 "
        "Increase per year €1,296.00 One-off payment €0.00 Eligible for promotion No"
    )


def test_a_step_missing_from_the_scale_is_said_plainly(pay, employee):
    Placement.objects.filter(employee=pay.tenant.employee).update(step=9)
    text = page_text(employee.get(mine(pay.tenant.organization)))

    assert (
        f"Your step (9) is not in Schaal 8 in the salary scales applying from {english_date(pay.table.applies_from)}"
        ", so the amounts in euros cannot be shown. HR can correct this." in text
    )
    assert "Steps up the salary scale 1" in text


def test_without_salary_scales_on_the_effective_date_the_page_says_so(pay, employee):
    pay.table.applies_from = effective_on(pay) + datetime.timedelta(days=1)
    pay.table.save(update_fields=["applies_from"])
    text = page_text(employee.get(mine(pay.tenant.organization)))

    assert (
        f"There are no salary scales that apply on {english_date(effective_on(pay))}, when the consequences take "
        "effect, so the amounts in euros cannot be shown. HR can add them." in text
    )
    assert "Amounts from the salary scales" not in text


def test_the_amounts_come_from_the_salary_table_in_force_on_the_effective_date(pay, employee):
    # New salary scales from the effective date on, in which Schaal 8 has no steps: the page reads those, not the
    # ones in force today, so it finds no step 3.
    newer = SalaryTableFactory(organization=pay.tenant.organization, applies_from=effective_on(pay))
    scale_with_steps(newer, "Schaal 8 nieuw", ("1",))  # another scale: Schaal 8 itself has no steps in it
    text = page_text(employee.get(mine(pay.tenant.organization)))

    assert f"Amounts from the salary scales applying from {english_date(effective_on(pay))}." in text
    assert "Your step (3) is not in Schaal 8" in text


def test_a_changed_pay_table_says_when_and_which_version(pay, employee):
    published = timezone.now() - datetime.timedelta(days=2)
    second = PayTableFactory(cycle=pay.cycle, version=2, published_at=published, published_by=pay.tenant.hr)
    for band, rule in zip(pay.bands, pay.rules, strict=True):
        PayRuleFactory(table=second, band=band, steps=rule.steps, sentence_en=f"Version 2: {rule.sentence_en}")
    response = employee.get(mine(pay.tenant.organization))

    day = timezone.localdate(published)
    assert f"This pay table changed on {english_date(day)} (version 2)." in page_text(response)
    assert "“Version 2: One step up.”" in card(response, pay.bands[1])


def test_the_first_version_says_nothing_about_changes(pay, employee):
    assert "This pay table changed" not in page_text(employee.get(mine(pay.tenant.organization)))


def test_a_band_the_pay_table_says_nothing_about_gets_a_plain_line(pay, employee):
    pay.rules[0].delete()
    response = employee.get(mine(pay.tenant.organization))

    assert card(response, pay.bands[0]) == "Below expectations The pay table says nothing about this outcome."
    assert "outcome-final" not in card_markup(response, pay.bands[0])


def test_when_nothing_replaces_the_steps_the_page_says_so_about_someone_else_too(pay, hr):
    pay.pay_table.top_rule = TopRule.NOTHING
    pay.pay_table.save(update_fields=["top_rule"])
    Placement.objects.filter(employee=pay.tenant.employee).update(step=4)
    name = pay.tenant.manager.full_name

    at_the_top = hr.get(about(pay.tenant.manager))
    below_the_top = hr.get(about(pay.tenant.employee))

    assert card(at_the_top, pay.bands[2]).endswith(
        f"{name} is on the top step of Schaal 8 (step 5): there is no step above it, and nothing replaces the 2 steps."
    )
    assert card(below_the_top, pay.bands[2]).endswith(
        "Schaal 8 ends at step 5: the move up stops there, and nothing replaces the 1 step that does not fit."
    )
    assert "One-off payment €881.28" in card(below_the_top, pay.bands[2])  # the table's 2 % of 44,064.00 only
