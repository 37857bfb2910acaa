"""The calibration export of a cycle: one row per counted review, as CSV and as an Excel workbook."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from calibration.models import OutcomeMove
from core.spreadsheet import spreadsheet_text
from reviews.models import Review, ReviewState
from tests.calibration.calibration_page_kit import bulk_ratings, cite, managed, reason_only
from tests.factories import TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    url,
)
from tests.pay.conftest import make_pay

pytestmark = pytest.mark.django_db

BELOW, MEETS, EXCEEDS = 0, 1, 2
HEADER = [
    "Employee",
    "Team",
    "Manager",
    "State",
    "Weighted score",
    "The rule gives",
    "Outcome",
    "Deviates from the rule",
    "Justification",
    "Ratings with a reason instead of evidence",
    "Recent evidence (percent)",
    "Outcome moved (times)",
]
FILES = ["export_csv", "export_xlsx"]


@pytest.fixture
def pay(tenant_a):
    return make_pay(tenant_a)


def address(pay, name):
    return url(f"calibration:{name}", pay.tenant.organization, cycle_id=pay.cycle.pk)


def csv_rows(response, header=HEADER):
    """The CSV's rows after the header, as dicts by header; checks the type, the BOM, the separator and the header."""
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == header
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def xlsx_rows(response):
    """The workbook's rows after the header, as dicts of cells by header."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows())
    assert [cell.value for cell in rows[0]] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def deviating(pay):
    """Lotte's report in team Noord: "exceeds" where the rule gives "meets", with a justification, a rating citing
    four observations (three recent), one with a reason instead, and one move by HR."""
    team = TeamFactory(organization=pay.tenant.organization, name="Noord")
    manager, (review,) = managed(
        pay, "Lotte", [EXCEEDS], team=team, scheduled_at=timezone.now() - datetime.timedelta(days=3)
    )
    Review.objects.filter(pk=review.pk).update(
        computed_band=pay.bands[MEETS], score="3.25", justification="Droeg de migratie alleen."
    )
    cite(pay, review, [1, 5, 20, 60])
    reason_only(pay, review, "Niet gezien.")
    OutcomeMove.objects.create(
        organization=pay.tenant.organization,
        cycle=pay.cycle,
        review=review,
        from_band=pay.bands[MEETS],
        to_band=pay.bands[EXCEEDS],
        reason="Vergeleken met vergelijkbare rollen.",
        moved_by=pay.tenant.hr,
    )
    review.refresh_from_db()
    return review


# --- who may download it -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_another_organisations_member_gets_404(client, pay, stranger, name):
    assert_other_organisation_gets_404(client, stranger, address(pay, name))


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_download_it(client, pay, tenant_a, name, role):
    assert_role_forbidden(client, tenant_a.member(role), address(pay, name))


@pytest.mark.parametrize("name", FILES)
def test_other_methods_get_405(hr, pay, name):
    assert_method_not_allowed(hr, address(pay, name), ["post", "put", "delete"])


# --- what it holds -----------------------------------------------------------------------------------------------


def test_the_csv_holds_one_row_per_counted_review_with_every_column(hr, pay, deviating):
    managed(pay, "Sven", [MEETS], state=ReviewState.DRAFT)
    rows = csv_rows(hr.get(address(pay, "export_csv")))
    assert rows == [
        {
            "Employee": deviating.employee.full_name,
            "Team": "Noord",
            "Manager": "Lotte Manager",
            "State": "Shared with the employee",
            "Weighted score": "3.25",
            "The rule gives": "Meets expectations",
            "Outcome": "Exceeds expectations",
            "Deviates from the rule": "Yes",
            "Justification": "Droeg de migratie alleen.",
            "Ratings with a reason instead of evidence": "1",
            "Recent evidence (percent)": "75.0",
            "Outcome moved (times)": "1",
        },
        {
            "Employee": rows[1]["Employee"],
            "Team": "",
            "Manager": "Sven Manager",
            "State": "Draft",
            "Weighted score": "",
            "The rule gives": "Meets expectations",
            "Outcome": "Meets expectations",
            "Deviates from the rule": "No",
            "Justification": "",
            "Ratings with a reason instead of evidence": "0",
            "Recent evidence (percent)": "",
            "Outcome moved (times)": "0",
        },
    ]
    assert rows[1]["Employee"].endswith(" Sven")


def test_a_review_without_an_outcome_is_not_exported(hr, pay, deviating):
    _manager, (review,) = managed(pay, "Sven", [MEETS])
    Review.objects.filter(pk=review.pk).update(band=None, computed_band=None)
    assert [row["Manager"] for row in csv_rows(hr.get(address(pay, "export_csv")))] == ["Lotte Manager"]


def test_the_workbook_holds_numbers_as_numbers_and_text_as_text(hr, pay, deviating):
    (row,) = xlsx_rows(hr.get(address(pay, "export_xlsx")))
    assert row["Weighted score"].value == 3.25 and row["Weighted score"].number_format == "0.00"
    assert row["Recent evidence (percent)"].value == 75 and row["Recent evidence (percent)"].number_format == "0.0"
    assert row["Ratings with a reason instead of evidence"].value == 1 and row["Outcome moved (times)"].value == 1
    assert row["Employee"].data_type == "s" and row["Deviates from the rule"].value == "Yes"
    assert row["Team"].value == "Noord" and row["Justification"].value == "Droeg de migratie alleen."


def test_file_names_say_calibration_and_the_cycle(hr, pay):
    pay.cycle.name = "Cyclus 2027 / Zuid"
    pay.cycle.save(update_fields=["name"])
    for name, extension in (("export_csv", "csv"), ("export_xlsx", "xlsx")):
        disposition = hr.get(address(pay, name))["Content-Disposition"]
        assert f'filename="calibration-cyclus-2027-zuid.{extension}"' in disposition


def test_an_empty_export_has_its_header_only(hr, pay):
    assert csv_rows(hr.get(address(pay, "export_csv"))) == []
    assert xlsx_rows(hr.get(address(pay, "export_xlsx"))) == []


def test_outcomes_and_states_are_in_the_readers_language(pay, deviating):
    dutch = client_for(pay.tenant.hr, language="nl")
    response = dutch.get(address(pay, "export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Medewerker", "Team", "Leidinggevende", "Stand"]
    assert rows[1][3] == "Gedeeld met de medewerker" and rows[1][7] == "Ja"
    assert rows[1][5:7] == [pay.bands[MEETS].name_nl, pay.bands[EXCEEDS].name_nl]


# --- formulae ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("formula", ["=SUM(A1)", "+31 6", "-1+1", "@cmd", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_escaped(formula):
    assert spreadsheet_text(formula) == "'" + formula
    assert spreadsheet_text("Eva =SUM(A1)") == "Eva =SUM(A1)"


def test_a_formula_in_a_name_team_or_justification_is_written_as_text(hr, pay, deviating):
    employee = deviating.employee
    employee.first_name, employee.last_name = '=HYPERLINK("http://x")', ""
    employee.save(update_fields=["first_name", "last_name"])
    employee.team.name = "@Noord"
    employee.team.save(update_fields=["name"])
    Review.objects.filter(pk=deviating.pk).update(justification="-1+1 en meer")
    (row,) = csv_rows(hr.get(address(pay, "export_csv")))
    assert (row["Employee"], row["Team"], row["Justification"]) == (
        '\'=HYPERLINK("http://x")',
        "'@Noord",
        "'-1+1 en meer",
    )
    # In the workbook the text stays as typed, stored as text (never a formula) and marked to stay text on editing.
    (cells,) = xlsx_rows(hr.get(address(pay, "export_xlsx")))
    assert cells["Employee"].value == '=HYPERLINK("http://x")' and cells["Justification"].value == "-1+1 en meer"
    assert all(
        cells[name].data_type == "s" and cells[name].quotePrefix for name in ("Employee", "Team", "Justification")
    )
    assert not cells["Manager"].quotePrefix


# --- queries -----------------------------------------------------------------------------------------------------


def build_reviews(pay):
    def build(numbers):
        numbers = list(numbers)
        for start in range(0, len(numbers), 10):
            _manager, reviews = managed(pay, f"M{numbers[start]:04d}", [number % 3 for number in range(10)])
            bulk_ratings(pay, reviews)

    return build


@pytest.mark.parametrize("name", FILES)
def test_the_export_makes_as_many_queries_for_200_reviews_as_for_20(hr, pay, name):
    response = assert_flat_queries(lambda: hr.get(address(pay, name)), build_reviews(pay), few=20, many=200)
    if name == "export_csv":
        assert len(csv_rows(response)) == 200
    else:
        assert len(xlsx_rows(response)) == 200
