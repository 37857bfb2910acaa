"""Pay from HR's first salary table to what the employee reads, in Chromium at 390px under the real CSP, in Dutch.

HR opens Pay from the menu, imports a salary table written the Dutch way ("3.250,50"), previews and confirms it,
places the employee on Schaal 8, step 2 through the placement form, writes the cycle's pay table and publishes it
through its confirmation page; the employee opens "What my outcome means" from the home card and reads every
outcome in euros, none of them marked as theirs; once their review is finalised the page marks it, in words. A
short English pass reads the same figures the English way, and HR's budget and export agree with them. Every page
passes axe (tests/e2e's visit and follow) and none scrolls sideways.

The figures, with the default terms (8 % holiday allowance, no thirteenth month: 12.96 monthly salaries a year)
and Schaal 8, step 2 at € 3.250,50 a month (€ 42.126,48 a year):
- below expectations, no step: € 3.250,50, nothing more;
- meets expectations, 1 step: € 3.400,00, € 149,50 more a month, € 1.937,52 a year;
- exceeds expectations, 2 steps and a one-off 2 %: € 3.550,75, € 300,25 a month, € 3.891,24 a year, € 842,53 once.
"""

import pytest
from django.utils import timezone

from pay.models import PayRule, PayTable, Placement

from .conftest import check_a11y, check_response, follow, log_in
from .pay_steps import (
    PHONE,
    SCALE_FILE,
    SCHAAL_8,
    alfa_with_a_cycle,
    facts,
    field,
    finalise_review,
    fits,
    label_of,
    said,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per band, low to high: what HR types into the pay table, and what the employee then reads (new step, new
# monthly salary, increase per month, per year, one-off payment).
RULES = (
    ("0", "0", "0", False, "Je salaris blijft gelijk.", "Your salary stays the same."),
    ("1", "1,5", "0", False, "Je gaat een trede omhoog.", "You move up one step."),
    ("2", "3", "2", True, "Je gaat twee treden omhoog en krijgt een eenmalige uitkering.", "Two steps and a bonus."),
)
FIGURES = {
    "nl": (
        (2, "€\xa03.250,50", "€\xa00,00", "€\xa00,00", "€\xa00,00"),
        (3, "€\xa03.400,00", "€\xa0149,50", "€\xa01.937,52", "€\xa00,00"),
        (4, "€\xa03.550,75", "€\xa0300,25", "€\xa03.891,24", "€\xa0842,53"),
    ),
    "en": (
        (2, "€3,250.50", "€0.00", "€0.00", "€0.00"),
        (3, "€3,400.00", "€149.50", "€1,937.52", "€0.00"),
        (4, "€3,550.75", "€300.25", "€3,891.24", "€842.53"),
    ),
}


@pytest.fixture
def alfa():
    return alfa_with_a_cycle()


def from_menu(page, msgid):
    """Open the folded main menu (a disclosure at 390px) and follow its entry ``msgid``."""
    page.locator("details.nav-menu > summary").click()
    menu = page.get_by_role("navigation", name=said("Main"))
    follow(page, menu.get_by_role("link", name=said(msgid), exact=True))


def reload(page):
    check_response(page, page.reload())
    check_a11y(page)


def import_the_salary_table(page):
    """Pay → Salary scales → Import: upload the Dutch CSV, read the preview, confirm; the table's grid shows it."""
    from_menu(page, "Pay")
    assert page.get_by_role("heading", level=1).inner_text() == "Beloning"
    fits(page, "index")
    follow(page, page.get_by_role("link", name=said("Salary scales"), exact=True))
    fits(page, "scales-empty")
    follow(page, page.get_by_role("link", name=said("Import a salary table")).first)
    fits(page, "scale-import")
    page.get_by_label(said("Salary table (CSV or Excel)")).set_input_files(
        {"name": "salarisschalen.csv", "mimeType": "text/csv", "buffer": SCALE_FILE}
    )
    page.get_by_label(said("Applies from")).fill(timezone.localdate().replace(month=1, day=1).isoformat())
    follow(page, page.get_by_role("button", name=said("Upload and preview")))
    fits(page, "scale-import-preview")
    preview = page.get_by_role("region", name=said("The scales in the file"))
    assert preview.get_by_role("row").filter(has_text="Schaal 8").get_by_role("cell").all_inner_texts()[1:] == SCHAAL_8
    follow(page, page.get_by_role("button", name=said("Confirm the import")))
    fits(page, "salary-table")
    grid = page.get_by_role("region", name=said("Scales and steps"))
    assert grid.get_by_role("row").filter(has_text="Schaal 8").get_by_role("cell").all_inner_texts() == SCHAAL_8
    assert grid.get_by_role("row").filter(has_text="Schaal 9").get_by_role("cell").all_inner_texts()[:2] == [
        "€\xa03.600,00",
        "€\xa03.800,00",
    ]


def place_the_employee(page, employee):
    """Pay → Placements → the employee: on a salary scale, Schaal 8, step 2; the list shows their monthly amount."""
    from_menu(page, "Pay")
    follow(page, page.get_by_role("link", name=said("Placements"), exact=True))
    fits(page, "placements")
    follow(page, page.get_by_role("link", name=employee.full_name))
    fits(page, "placement-edit")
    page.get_by_role("radio", name=said("On a salary scale"), exact=True).check()
    scale = page.get_by_label(field(said("Salary scale")))
    scale.select_option(scale.locator("option", has_text="Schaal 8").get_attribute("value"))
    page.get_by_label(field(said("Step"))).fill("2")
    follow(page, page.get_by_role("button", name=said("Save"), exact=True))
    placement = Placement.objects.select_related("scale").get(employee=employee)
    assert (placement.scale.name, placement.step) == ("Schaal 8", 2)
    row = page.get_by_role("region", name=said("Placements")).get_by_role("row").filter(has_text=employee.full_name)
    assert "€\xa03.250,50" in row.inner_text()


def publish_the_pay_table(page, alfa):
    """Pay → the cycle's pay table → write it per band → save the draft → publish version 1 after its confirmation."""
    from_menu(page, "Pay")
    follow(page, page.get_by_role("link", name=said("Pay table"), exact=True))
    fits(page, "pay-table-empty")
    follow(page, page.get_by_role("link", name=said("Write the pay table")))
    fits(page, "pay-table-edit")
    for band, (steps, raise_percent, one_off, promotion, sentence_nl, sentence_en) in zip(
        alfa.bands, RULES, strict=True
    ):
        group = page.get_by_role("group", name=band.name_nl, exact=True)
        group.get_by_label(said("Steps up the scale")).fill(steps)
        group.get_by_label(said("Raise for people outside the scales (%)")).fill(raise_percent)
        group.get_by_label(said("One-off payment (percentage of the annual salary)")).fill(one_off)
        group.get_by_label(said("Eligible for promotion")).set_checked(promotion)
        group.get_by_label(label_of(PayRule, "sentence_nl")).fill(sentence_nl)
        group.get_by_label(label_of(PayRule, "sentence_en")).fill(sentence_en)
    # At the top of the scale: a one-off payment of 3 % instead of each step that does not fit.
    page.get_by_label(said("One-off payment per step that does not fit (percentage of the annual salary)")).fill("3")
    follow(page, page.get_by_role("button", name=said("Save the draft")))
    fits(page, "pay-table-draft")
    follow(page, page.get_by_role("button", name=said("Publish version %(version)s", version=1)))
    fits(page, "pay-table-publish")
    follow(page, page.locator("main form button[type=submit]"))
    table = PayTable.objects.get(cycle=alfa.cycle)
    assert table.published_at is not None and table.rules.count() == 3
    published = page.get_by_role("region", name=said("The version everyone reads, per outcome, lowest first"))
    exceeds = published.get_by_role("row").filter(has_text=alfa.bands[2].name_nl)
    assert exceeds.get_by_role("cell").all_inner_texts()[:4] == ["2", "3\xa0%", "2\xa0%", said("Eligible")]
    fits(page, "pay-table-published")


def outcome_cards(page, alfa):
    return [page.locator(f"article#band-{band.pk}") for band in alfa.bands]


def reads_every_outcome_in_euros(page, alfa, language="nl"):
    for card, figures, rule in zip(outcome_cards(page, alfa), FIGURES[language], RULES, strict=True):
        new_step, new_monthly, per_month, per_year, one_off = figures
        shown = facts(card)
        assert shown[said("New step", language)] == said("%(new)s (now %(old)s)", language, new=new_step, old=2)
        assert shown[said("New monthly salary", language)] == new_monthly
        assert shown[said("Increase per month", language)] == per_month
        assert shown[said("Increase per year", language)] == per_year
        assert shown[said("One-off payment", language)] == one_off
        assert rule[4 if language == "nl" else 5] in card.inner_text()


def test_hr_sets_up_pay_and_the_employee_reads_their_outcome_in_euros(new_page, alfa):
    hr_page = new_page(viewport=PHONE, bypass_csp=False)
    log_in(hr_page, alfa.hr.user)
    import_the_salary_table(hr_page)
    place_the_employee(hr_page, alfa.employee)
    publish_the_pay_table(hr_page, alfa)
    # The pay settings page, reached from the overview, is one of HR's pay pages too.
    from_menu(hr_page, "Pay")
    follow(hr_page, hr_page.get_by_role("link", name=said("Change the pay settings")))
    fits(hr_page, "settings")

    # The employee finds the page from the home card and reads every outcome in euros, the Dutch way.
    page = new_page(viewport=PHONE, bypass_csp=False)
    log_in(page, alfa.employee.user)
    card = page.get_by_role("region", name=said("What my outcome means"))
    follow(page, card.get_by_role("link", name=said("What my outcome means")))
    assert page.get_by_role("heading", level=1).inner_text() == "Wat mijn eindoordeel betekent"
    fits(page, "mine")
    reads_every_outcome_in_euros(page, alfa)
    assert page.locator("article.outcome-final, article .badge").count() == 0, "an outcome is marked before any review"

    # HR finalises the review (score 2.60: meets expectations); the employee's page now marks that outcome, in words.
    review = finalise_review(alfa)
    meets = alfa.bands[1]
    assert review.band_id == meets.pk
    reload(page)
    fits(page, "mine-final")
    below, final, exceeds = outcome_cards(page, alfa)
    assert "outcome-final" in final.get_attribute("class").split()
    assert final.locator(".badge").inner_text() == "Jouw eindoordeel"
    assert below.locator(".badge").count() == 0 and exceeds.locator(".badge").count() == 0
    standing = page.get_by_role("region", name=said("Where you stand"))
    expected = said("HR has finalised your review: your outcome is “%(band)s”.", band=meets.name_nl)
    assert expected in standing.inner_text()
    reads_every_outcome_in_euros(page, alfa)

    # The same page in English, after the switch in the header: the figures the English way.
    follow(page, page.get_by_role("button", name="EN", exact=True))
    assert page.locator("html").get_attribute("lang") == "en"
    reads_every_outcome_in_euros(page, alfa, language="en")
    assert final.locator(".badge").inner_text() == "Your outcome"
    fits(page, "mine-en")

    # HR's budget and payroll export count the finalised outcome with the figures the employee read.
    from_menu(hr_page, "Pay")
    cycles = hr_page.get_by_role(
        "region", name=said("Cycles and the state of their pay table, being prepared and active first")
    )
    follow(hr_page, cycles.get_by_role("link", name=said("Budget"), exact=True))
    fits(hr_page, "budget")
    total = facts(hr_page.get_by_role("region", name=said("In total")))
    assert total[said("Increase per month")] == "€\xa0149,50"
    assert total[said("Cost in the first year")] == "€\xa01.937,52"
    follow(hr_page, hr_page.get_by_role("link", name=said("Payroll export")))
    fits(hr_page, "export")
    csv = hr_page.get_by_role("link", name=said("Download CSV"))
    exported = hr_page.request.get(csv.get_attribute("href"))
    assert exported.ok, f"{exported.status} for the payroll CSV"
    row = next(line for line in exported.text().splitlines() if alfa.employee.user.email in line)
    assert "3250.50" in row and "3400.00" in row, row
