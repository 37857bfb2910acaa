"""The payroll export of a cycle: the page saying what it holds, and the CSV and XLSX files."""

import csv
import datetime
import html
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pay.models import Placement
from pay.money import cents
from pay.outcomes import figures
from pay.selectors_export import spreadsheet_text
from pay.standing import consequence_of, settings_for, standing_of, table_in_force, terms_for
from reviews.models import Review, ReviewState
from tests.factories import EmployeeFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    url,
)
from tests.pay.budget_kit import EXCEEDS, MEETS, crowd, review_of
from tests.reviews import review_steps

pytestmark = pytest.mark.django_db

HEADER = [
    "Email",
    "Employee number",
    "Name",
    "Outcome",
    "Old scale",
    "Old step",
    "New scale",
    "New step",
    "Old monthly salary",
    "New monthly salary",
    "One-off payment",
    "Effective date",
]


def address(pay, name):
    return url(f"pay:{name}", pay.tenant.organization, cycle_id=pay.cycle.pk)


def csv_rows(response):
    """The CSV's rows after the header, as dicts by header; checks the BOM, the separator and the header."""
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def xlsx_rows(response):
    """The workbook's rows after the header, as dicts by header, with the cells (to read their number formats)."""
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def amount_in(cell):
    """A workbook cell's number as the Decimal of cents it was written from (a spreadsheet keeps floats)."""
    assert cell.number_format == "0.00"
    return cents(Decimal(str(cell.value)))


def effective_on(pay):
    return settings_for(organization_id=pay.tenant.organization.pk).effective_date(pay.cycle)


@pytest.fixture
def finalised(pay):
    """Eva's review taken through every step to finalised (her ratings give "meets"); Olaf's in draft."""
    review = review_steps.finalised(pay.assessment)
    assert review.state == ReviewState.FINALISED and review.band == pay.bands[MEETS]
    review_of(pay, pay.tenant.outsider, EXCEEDS)
    return review


def test_the_page_says_what_the_export_holds(pay, finalised, hr):
    unplaced = EmployeeFactory(organization=pay.tenant.organization, first_name="Nina")
    review_of(pay, unplaced, MEETS, state=ReviewState.FINALISED)
    response = hr.get(address(pay, "export"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "2 finalised reviews: one row per person." in page
    assert "1 review of this cycle is not finalised yet and is left out" in page
    assert "1 person is not placed on the salary scales: their salary columns are empty." in page
    assert "3250.50" in page and effective_on(pay).isoformat() in page and "meant for payroll software" in page
    assert address(pay, "export_csv") in page and address(pay, "export_xlsx") in page


def test_an_empty_export_says_so(pay, hr):
    review_of(pay, pay.tenant.employee, MEETS, conversation=pay.assessment.conversation)
    page = html.unescape(hr.get(address(pay, "export")).content.decode())
    assert "No review of this cycle is finalised yet, so the export is empty." in page
    assert "1 review of this cycle is not finalised yet and is left out" in page
    assert csv_rows(hr.get(address(pay, "export_csv"))) == []
    assert xlsx_rows(hr.get(address(pay, "export_xlsx"))) == []


def test_only_finalised_reviews_are_exported_with_the_worked_figures(pay, finalised, hr):
    rows = csv_rows(hr.get(address(pay, "export_csv")))
    eva = pay.tenant.employee
    assert rows == [
        {
            "Email": eva.user.email,
            "Employee number": eva.employee_number,
            "Name": eva.full_name,
            "Outcome": "Meets expectations",
            "Old scale": "Schaal 8",
            "Old step": "3",
            "New scale": "Schaal 8",
            "New step": "4",
            "Old monthly salary": "3300.00",
            "New monthly salary": "3400.00",
            "One-off payment": "0.00",
            "Effective date": effective_on(pay).isoformat(),
        }
    ]


def test_the_workbook_holds_numbers_and_dates(pay, finalised, hr):
    response = hr.get(address(pay, "export_xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    (row,) = xlsx_rows(response)
    assert row["Old monthly salary"].value == 3300 and row["New monthly salary"].value == 3400
    assert row["One-off payment"].value == 0 and row["New monthly salary"].number_format == "0.00"
    assert row["Old step"].value == 3 and row["New step"].value == 4
    assert row["Effective date"].value.date() == effective_on(pay)
    assert row["Effective date"].is_date and row["Outcome"].value == "Meets expectations"


def test_file_names_are_the_cycles_name_slugified(pay, finalised, hr):
    pay.cycle.name = "Cyclus 2027 / Zuid"
    pay.cycle.save(update_fields=["name"])
    assert 'filename="cyclus-2027-zuid.csv"' in hr.get(address(pay, "export_csv"))["Content-Disposition"]
    assert 'filename="cyclus-2027-zuid.xlsx"' in hr.get(address(pay, "export_xlsx"))["Content-Disposition"]


def test_headers_and_outcomes_are_in_the_readers_language(pay, finalised):
    from tests.kit import client_for

    dutch = client_for(pay.tenant.hr, language="nl")
    response = dutch.get(address(pay, "export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][3] == pay.bands[MEETS].name_nl


@pytest.mark.parametrize("formula", ["=SUM(A1)", "+31 6", "-1+1", "@cmd", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_escaped(formula):
    assert spreadsheet_text(formula) == "'" + formula
    assert spreadsheet_text("Eva =SUM(A1)") == "Eva =SUM(A1)"


def test_a_formula_in_a_name_or_number_is_written_as_text(pay, finalised, hr):
    eva = pay.tenant.employee
    eva.first_name, eva.last_name, eva.employee_number = "=SUM(A1)", "", "=1+2"
    eva.save(update_fields=["first_name", "last_name", "employee_number"])
    (row,) = csv_rows(hr.get(address(pay, "export_csv")))
    assert (row["Name"], row["Employee number"]) == ("'=SUM(A1)", "'=1+2")
    # In the workbook the text stays as typed, stored as text (never a formula) and marked to stay text on editing.
    (cells,) = xlsx_rows(hr.get(address(pay, "export_xlsx")))
    assert (cells["Name"].value, cells["Employee number"].value) == ("=SUM(A1)", "=1+2")
    assert cells["Name"].data_type == cells["Employee number"].data_type == "s"
    assert cells["Name"].quotePrefix and cells["Employee number"].quotePrefix


def test_someone_not_placed_is_exported_with_empty_salary_columns(pay, finalised, hr):
    Placement.objects.filter(employee=pay.tenant.employee).delete()
    (row,) = csv_rows(hr.get(address(pay, "export_csv")))
    assert row["Outcome"] == "Meets expectations" and row["Effective date"] == effective_on(pay).isoformat()
    empty = ("Old scale", "Old step", "New scale", "New step", "Old monthly salary", "New monthly salary")
    assert all(row[column] == "" for column in (*empty, "One-off payment"))
    (cells,) = xlsx_rows(hr.get(address(pay, "export_xlsx")))
    assert all(cells[column].value is None for column in (*empty, "One-off payment"))


def test_each_rows_figures_are_the_employees_own(pay, hr):
    """Every exported person's figures are figures() of their own standing_of, as their own page shows them."""
    people = crowd(pay, range(30), state=ReviewState.FINALISED)
    csv_by_email = {row["Email"]: row for row in csv_rows(hr.get(address(pay, "export_csv")))}
    xlsx_by_email = {row["Email"].value: row for row in xlsx_rows(hr.get(address(pay, "export_xlsx")))}
    assert len(csv_by_email) == len(xlsx_by_email) == 30
    settings = settings_for(organization_id=pay.tenant.organization.pk)
    terms = terms_for(settings=settings, cycle=pay.cycle)
    table = table_in_force(organization_id=pay.tenant.organization.pk, on=terms.effective_on)
    rules = {rule.band_id: rule for rule in pay.rules}
    for person in people:
        review = Review.objects.get(employee=person)
        standing, _placement = standing_of(employee=person, table=table)
        own = figures(standing, consequence_of(rules[review.band_id], pay.pay_table), terms)
        row, cells = csv_by_email[person.user.email], xlsx_by_email[person.user.email]
        if own is None:
            assert row["New monthly salary"] == "" and cells["New monthly salary"].value is None
            continue
        for column, amount in (
            ("Old monthly salary", own.old_monthly),
            ("New monthly salary", own.new_monthly),
            ("One-off payment", own.one_off),
        ):
            assert Decimal(row[column]) == amount == amount_in(cells[column]), (person.user.email, column)
        assert row["New step"] == ("" if own.new_step is None else str(own.new_step))


def test_members_of_another_organisation_get_404(pay, client, stranger):
    for name in ("export", "export_csv", "export_xlsx"):
        assert_other_organisation_gets_404(client, stranger, address(pay, name))


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_are_refused(pay, client, role):
    for name in ("export", "export_csv", "export_xlsx"):
        assert_role_forbidden(client, pay.tenant.member(role), address(pay, name))


def test_other_methods_are_refused(pay, hr):
    for name in ("export", "export_csv", "export_xlsx"):
        assert_method_not_allowed(hr, address(pay, name), ["post", "put", "delete"])


@pytest.mark.parametrize("name", ["export", "export_csv", "export_xlsx"])
def test_the_export_makes_as_many_queries_for_300_people_as_for_10(pay, hr, name):
    response = assert_flat_queries(
        lambda: hr.get(address(pay, name)),
        lambda numbers: crowd(pay, numbers, state=ReviewState.FINALISED),
        few=10,
        many=300,
    )
    if name == "export_csv":
        assert len(csv_rows(response)) == 300
    elif name == "export_xlsx":
        assert len(xlsx_rows(response)) == 300
    else:
        assert response.context["summary"].rows == 300


def test_the_effective_date_is_a_date_after_the_cycle(pay):
    assert effective_on(pay) > pay.cycle.ends_on and isinstance(effective_on(pay), datetime.date)
