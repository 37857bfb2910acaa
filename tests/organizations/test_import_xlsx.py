"""Importing people from an Excel workbook (.xlsx): read as Excel shows it, with its row numbers, or refused clearly."""

import io
import re
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font

from organizations.importing import (
    PeopleFileError,
    parse_people_file,
    people_import_apply,
    people_import_create,
    people_import_preview,
)
from organizations.models import Employee, PeopleImport
from tests.kit import PEOPLE_HEADER, assert_nothing_changes, field_error, url

pytestmark = pytest.mark.usefixtures("english")

HEADER = PEOPLE_HEADER.split(";")  # the same columns as a CSV file, one cell each
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*rows, more_sheets=(), build=None) -> bytes:
    """An .xlsx file whose first sheet holds ``rows`` from row 1 on (an empty tuple leaves a row empty)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Medewerkers"
    for row in rows:
        sheet.append(list(row))
    for name in more_sheets:
        book.create_sheet(name)
    if build:
        build(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewritten(raw: bytes, member: str, change) -> bytes:
    """``raw`` with the ZIP member ``member`` replaced by ``change(its text)``, as another program might write it."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                data = change(data.decode()).encode()
            target.writestr(info.filename, data)
    return buffer.getvalue()


def refusal(raw: bytes) -> PeopleFileError:
    with pytest.raises(PeopleFileError) as error:
        parse_people_file(raw)
    return error.value


# --- reading --------------------------------------------------------------------------------------------------------


def test_a_workbook_is_read_with_the_row_numbers_excel_shows():
    parsed = parse_people_file(
        workbook(
            HEADER,
            ["jan@example.org", "Jan", "Jansen", "Adviseur\nbuitendienst", "Sales", None, "medewerker"],
            (),  # an empty row in the middle
            ["  piet@example.org ", "Piet"],
        )
    )
    assert parsed.format == "xlsx"
    assert parsed.columns == tuple(HEADER)
    assert [row.line for row in parsed.rows] == [2, 4]  # the line break inside a cell shifts nothing
    assert parsed.rows[0].values == {
        "email": "jan@example.org",
        "first_name": "Jan",
        "last_name": "Jansen",
        "job_title": "Adviseur\nbuitendienst",
        "team": "Sales",
        "manager_email": "",
        "role": "medewerker",
    }
    assert parsed.rows[1].values["email"] == "piet@example.org"
    assert parsed.rows[1].values["team"] == ""


def test_header_names_ignore_case_and_spaces_as_in_a_csv_file():
    parsed = parse_people_file(workbook([" Email ", "First Name", "Job-Title"], ["jan@example.org", "Jan", "X"]))
    assert parsed.columns == ("email", "first_name", "job_title")


def test_numbers_and_dates_read_as_excel_shows_them_not_as_python_floats():
    parsed = parse_people_file(
        workbook(
            ["email", "first_name", "last_name", "job_title", "team"],
            ["jan@example.org", "Jan", date(2027, 3, 1), 2027.0, 42],
            ["piet@example.org", "Piet", datetime(2027, 3, 1, 9, 30), 0.1 + 0.2, True],
        )
    )
    jan, piet = (row.values for row in parsed.rows)
    assert (jan["last_name"], jan["job_title"], jan["team"]) == ("2027-03-01", "2027", "42")
    assert (piet["last_name"], piet["job_title"], piet["team"]) == ("2027-03-01 09:30", "0.3", "TRUE")


def test_a_whole_number_stored_with_a_decimal_point_reads_without_it():
    # Excel writes 2027 as "2027"; other programs write "2027.0" or "2.027E3", which read back as floats.
    raw = rewritten(
        workbook(["email", "first_name", "job_title", "team"], ["jan@example.org", "Jan", 2027, 42]),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<v>2027</v>", "<v>2027.0</v>").replace("<v>42</v>", "<v>4.2E1</v>"),
    )
    values = parse_people_file(raw).rows[0].values
    assert (values["job_title"], values["team"]) == ("2027", "42")


def test_an_empty_trailing_row_and_formatted_empty_cells_are_not_people():
    def format_far_below(sheet):
        sheet["A40"].font = Font(bold=True)  # Excel keeps a cell someone formatted, even empty
        sheet["K2"].font = Font(italic=True)

    raw = workbook(HEADER, ["jan@example.org", "Jan"], ["piet@example.org", "Piet"], (), build=format_far_below)
    parsed = parse_people_file(raw)
    assert [row.values["email"] for row in parsed.rows] == ["jan@example.org", "piet@example.org"]
    assert all(row.problems == () for row in parsed.rows)
    assert parsed.notices == []


def test_a_sheet_that_claims_a_smaller_size_than_it_has_is_read_whole():
    # Some programs write a wrong <dimension>; trusting it would silently drop every column after A.
    raw = rewritten(
        workbook(HEADER, ["jan@example.org", "Jan", "Jansen"]),
        "xl/worksheets/sheet1.xml",
        # openpyxl writes '<dimension ref="A1:G2" />', or without the space when lxml is installed.
        lambda xml: re.sub(r'<dimension ref="A1:G2"\s*/>', '<dimension ref="A1:A1" />', xml),
    )
    assert '<dimension ref="A1:A1" />' in zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml").decode()
    parsed = parse_people_file(raw)
    assert parsed.rows[0].values["first_name"] == "Jan"
    assert parsed.rows[0].values["last_name"] == "Jansen"


def test_only_the_first_sheet_is_read_and_the_preview_says_so():
    parsed = parse_people_file(workbook(HEADER, ["jan@example.org", "Jan"], more_sheets=["Vertrokken"]))
    assert len(parsed.rows) == 1
    assert parsed.notices == ["This workbook has 2 sheets; only the first, “Medewerkers”, was read."]


def test_values_in_columns_without_a_name_are_ignored_with_a_notice():
    parsed = parse_people_file(workbook(["email", "first_name"], ["jan@example.org", "Jan", "notitie"]))
    assert parsed.rows[0].values == {"email": "jan@example.org", "first_name": "Jan"}
    assert parsed.rows[0].problems == ()
    assert parsed.notices == ["Some rows have values in columns without a name in the first row; they were ignored."]


def test_a_workbook_with_too_many_people_is_refused(settings):
    settings.PEOPLE_IMPORT_MAX_ROWS = 3
    rows = [[f"p{n}@example.org", "P"] for n in range(4)]
    assert refusal(workbook(["email", "first_name"], *rows)).code == "too_many_rows"
    assert len(parse_people_file(workbook(["email", "first_name"], *rows[:3], ())).rows) == 3


@pytest.mark.parametrize(
    ("rows", "code", "message"),
    [
        ((), "empty", "This file is empty."),
        (((), ()), "empty", "This file is empty."),
        ((HEADER,), "no_rows", "This file has a header line but no people under it."),
        ((["naam", "functie"], ["Jan", "x"]), "missing_columns", "the column email, first_name is missing"),
    ],
)
def test_a_workbook_without_people_gets_the_same_messages_as_a_csv_file(rows, code, message):
    error = refusal(workbook(*rows))
    assert error.code == code
    assert message in error.messages[0]


def test_a_damaged_workbook_is_refused_with_a_message_that_says_so():
    raw = workbook(HEADER, ["jan@example.org", "Jan"])
    for damaged in (raw[: len(raw) // 2], raw[:30], b"PK\x03\x04" + bytes(200)):
        error = refusal(damaged)
        assert error.code == "not_text"
        assert "It looks like an Excel workbook, but it could not be opened" in error.messages[0]


def test_a_zip_archive_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("people.csv", "email,first_name\njan@example.org,Jan\n")
    assert "could not be opened" in refusal(buffer.getvalue()).messages[0]


def test_an_old_xls_or_password_protected_workbook_is_refused_with_what_to_do():
    error = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert error.code == "not_text"
    assert error.messages[0].startswith("This is an older Excel file (.xls) or a workbook protected with a password")


def test_a_workbook_that_unpacks_to_far_more_than_the_upload_limit_is_refused_unread(settings):
    settings.PEOPLE_IMPORT_MAX_BYTES = 64 * 1024  # so at most 1 MB unpacked
    raw = workbook(HEADER, ["jan@example.org", "Jan"])
    buffer = io.BytesIO(raw)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(2 * 1024 * 1024))  # 2 MB of zeros pack into 2 KB
    assert len(buffer.getvalue()) < settings.PEOPLE_IMPORT_MAX_BYTES
    error = refusal(buffer.getvalue())
    assert error.code == "too_large"
    assert "holds more than can be read at once" in error.messages[0]


@hypothesis_settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_workbook_damaged_anywhere_raises_nothing_but_a_file_error(data):
    raw = bytearray(SAMPLE)
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(4, len(raw)))
    try:
        parsed = parse_people_file(bytes(raw[:cut]))
    except PeopleFileError as error:
        assert error.messages
    else:
        assert parsed.rows


SAMPLE = workbook(HEADER, ["jan@example.org", "Jan", "Jansen", 2027, date(2027, 3, 1)], ["piet@example.org", "Piet"])


# --- from upload to people ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_preview_of_a_stored_workbook_names_excels_rows(tenant_a):
    raw = workbook(HEADER, ["jan@example.org", "Jan"], (), (), ["kapot", "Kapot"], ["piet@example.org", "Piet"])
    people_import = people_import_create(
        organization=tenant_a.organization, uploaded_by=tenant_a.hr, file_name="mensen.xlsx", raw=raw
    )
    preview = people_import_preview(organization=tenant_a.organization, content=people_import.content)
    assert [(row.line, row.problems) for row in preview.rows] == [
        (2, []),
        (5, ["“kapot” is not a valid email address."]),
        (6, []),
    ]


@pytest.mark.django_db
def test_applying_a_workbook_creates_the_people_in_it(tenant_a):
    raw = workbook(
        HEADER,
        ["piet@example.org", "Piet", "Pieters", "Adviseur", "Verkoop", "baas@example.org", None],
        ["BAAS@example.org", "Bea", "Baas", "Teamleider", "Verkoop", None, "leidinggevende"],
        more_sheets=["Notities"],
    )
    people_import = people_import_create(
        organization=tenant_a.organization, uploaded_by=tenant_a.hr, file_name="mensen.xlsx", raw=raw
    )
    summary = people_import_apply(people_import=people_import, actor=tenant_a.hr)
    assert (summary["new"], summary["new_teams"]) == (2, 1)
    piet = Employee.objects.select_related("team", "manager__user").get(user__email="piet@example.org")
    assert (piet.last_name, piet.job_title, piet.team.name) == ("Pieters", "Adviseur", "Verkoop")
    assert piet.manager.user.email == "baas@example.org"
    assert piet.manager.role == "manager"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("people.xlsx", workbook(HEADER, ["piet@example.org", "Piet"])),
        ("people.csv", workbook(HEADER, ["piet@example.org", "Piet"])),  # a workbook with the wrong name
        ("people.xlsx", b"email;first_name\npiet@example.org;Piet\n"),  # a CSV file with the wrong name
    ],
)
def test_the_upload_page_reads_a_file_by_its_content_not_its_name(tenant_a, hr, name, raw):
    response = hr.post(
        url("organizations:import_upload", tenant_a.organization), {"file": SimpleUploadedFile(name, raw)}
    )
    people_import = PeopleImport.objects.get()
    assert response["Location"] == url(
        "organizations:import_preview", tenant_a.organization, import_id=people_import.pk
    )
    page = hr.get(response["Location"]).content.decode()
    assert "piet@example.org" in page and "Confirm the import" in page


@pytest.mark.django_db
def test_the_upload_form_offers_csv_and_excel_files(tenant_a, hr):
    html = hr.get(url("organizations:import_upload", tenant_a.organization)).content.decode()
    assert 'accept=".csv,.xlsx,' in html
    assert "People file (CSV or Excel)" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("people.xlsx", SAMPLE[:400], content_type=XLSX),
            "it could not be opened; it may be damaged",
        ),
        (SimpleUploadedFile("people.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00IHDR"), "This is not a CSV text file."),
        (SimpleUploadedFile("people.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), "older Excel file (.xls)"),
    ],
)
def test_a_damaged_or_unknown_file_gets_a_field_error_and_saves_nothing(tenant_a, hr, upload, message):
    with assert_nothing_changes():
        response = hr.post(url("organizations:import_upload", tenant_a.organization), {"file": upload})
    assert response.status_code == 200
    assert message in field_error(response, "file")


def test_a_value_right_of_a_formatted_but_empty_header_cell_is_noticed():
    def format_header_row(sheet):
        sheet["E1"].font = Font(bold=True)  # the header row formatted further than its names go

    parsed = parse_people_file(
        workbook(["email", "first_name"], ["jan@example.org", "Jan", None, "notitie"], build=format_header_row)
    )
    assert parsed.rows[0].values == {"email": "jan@example.org", "first_name": "Jan"}
    assert parsed.notices == ["Some rows have values in columns without a name in the first row; they were ignored."]
