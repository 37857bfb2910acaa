"""Importing a salary table: reading the file (pay.scale_import) and the page's upload, preview and apply.

The clock stands at 4 January 2027 (the ``january_2027`` fixture): the table from 1 January 2027 is in force.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.audit_models import AuditEntry
from pay.forms_scales import ImportConfirmForm
from pay.models import SalaryScale, SalaryTable, ScaleStep
from pay.scale_import import MAX_BYTES, FileScale, ScaleFileError, read_scale_file
from tests.factories import PlacementFactory, SalaryTableFactory, scale_with_steps
from tests.kit import (
    assert_flat_queries,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    shown_messages,
    url,
)

JAN_2027, JAN_2028 = datetime.date(2027, 1, 1), datetime.date(2028, 1, 1)
DUTCH = (
    "schaal;trede;bedrag\nSchaal 8;0;3.250,50\nSchaal 8;1;3250,50\nSchaal 8;2;3.400\nSchaal 9;1;4000\nSchaal 9;2;4100\n"
)


def read(text: str):
    return read_scale_file(text.encode())


def scales_of(result):
    return {scale.name: (scale.first_step, [str(amount) for amount in scale.amounts]) for scale in result.scales}


def problems_of(result):
    return [(problem.line, problem.message) for problem in result.problems]


def workbook(rows, *, text_cells=()) -> bytes:
    """An .xlsx workbook of ``rows`` on its first sheet; ``text_cells`` ("C2", ...) are kept as text, never formulas."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for name in text_cells:
        sheet[name].data_type = "s"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


# --- reading a file ---------------------------------------------------------------------------------------------


@pytest.fixture
def _english(english):
    """The messages compared below are the English ones."""


pytestmark = pytest.mark.usefixtures("_english")


def test_a_dutch_file_reads_amounts_with_and_without_thousands_marks():
    result = read(DUTCH)
    assert result.layout == "long" and not result.problems
    assert scales_of(result) == {
        "Schaal 8": (0, ["3250.50", "3250.50", "3400.00"]),
        "Schaal 9": (1, ["4000.00", "4100.00"]),
    }


@pytest.mark.parametrize(
    "text",
    [
        'Scale,Step,Amount\nSchaal 8,0,"3,250.50"\nSchaal 8,1,3300.00\n',
        "SCALE\tSTEP\tMONTHLY AMOUNT\nSchaal 8\t0\t3,250.50\nSchaal 8\t1\t3300\n",
        "sep=;\nscale;step;amount;remark\nSchaal 8;0;3,250.50;first\nSchaal 8;1;3300;\n",
    ],
)
def test_an_english_file_reads_with_commas_tabs_or_a_named_separator(text):
    result = read(text)
    assert not result.problems
    assert scales_of(result) == {"Schaal 8": (0, ["3250.50", "3300.00"])}


@pytest.mark.parametrize(
    "text",
    [
        "Schaal;Trede 0;Trede 1;Trede 2\nSchaal 8;3.000,00;3.100,00;3.200,00\nSchaal 9;;4.000,00\n",
        "scale,0,1,2\nSchaal 8,3000,3100,3200\nSchaal 9,,4000,,\n",
    ],
)
def test_a_wide_file_has_a_row_per_scale_and_a_column_per_step(text):
    result = read(text)
    assert result.layout == "wide" and not result.problems
    assert scales_of(result) == {
        "Schaal 8": (0, ["3000.00", "3100.00", "3200.00"]),
        "Schaal 9": (1, ["4000.00"]),
    }


@pytest.mark.parametrize(("encoding", "prefix"), [("cp1252", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_excels_encodings_are_read(encoding, prefix):
    raw = prefix + "Schaal;Trede;Maandbedrag\nSchaal één;0;3.000,00\n".encode(encoding)
    assert scales_of(read_scale_file(raw)) == {"Schaal één": (0, ["3000.00"])}


def test_a_file_that_mixes_dutch_and_english_amounts_is_refused_naming_a_row_of_each():
    result = read("scale;step;amount\nSchaal 8;0;3.000,00\nSchaal 8;1;3100\nSchaal 8;2;3,200.50\n")
    assert problems_of(result) == [
        (
            None,
            "This file writes amounts in two ways: row 2 the Dutch way (3.000,00, with a decimal comma), row 4 the "
            "English way (3,200.50, with a decimal point). Use one way in the whole file.",
        )
    ]


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ("Schaal 8;1;3000\nSchaal 8;0;3100", (3, "Steps out of order: step 0 of Schaal 8 comes after step 1.")),
        ("Schaal 8;0;-3000", (2, "“-3000” is no amount: An amount cannot be negative.")),
        ("Schaal 8;0;3000\nSchaal 8;2;3100", (3, "Schaal 8 has no step 1: after step 0 comes step 2.")),
        ("Schaal 8;0;3000\nSchaal 8;0;3000", (3, "Step 0 of Schaal 8 appears twice (rows 2 and 3).")),
        ("Schaal 8;0;3000\nSchaal 8;1;2999", (3, "Step 1 of Schaal 8 (€2,999.00) pays less than step 0 (€3,000.00).")),
        (";0;3000", (2, "The scale has no name.")),
        ("Schaal 8;0;=B1*2", (2, "“=B1*2” is no amount: Enter an amount in euros, such as 3.250,50.")),
        ("Schaal 8;een;3000", (2, "“een” is no step number; use a whole number such as 0, 1 or 2.")),
        ("Schaal 8;;3000", (2, "The step number is empty.")),
        ("Schaal 8;2;3000", (2, "Schaal 8 starts at step 2; the first step is 0 or 1.")),
        ("Schaal 8;0;0", (2, "A step pays more than nothing: the amount cannot be 0.")),
        ("Schaal 8;0;", (2, "The amount is empty.")),
        ("Schaal 8;0;100.000.000,00", (2, "“100.000.000,00” is more than a monthly amount can be.")),
        ("Schaal 8;0;" + "9" * 30, (2, f"“{'9' * 30}” is more than a monthly amount can be.")),
        ("\n".join(f"Schaal 8;{step};{3000 + step}" for step in range(41)), (42, "Schaal 8 has more than 40 steps.")),
    ],
)
def test_each_wrong_row_is_named_with_its_number(rows, problem):
    result = read("schaal;trede;bedrag\n" + rows + "\n")
    assert problems_of(result) == [problem]
    assert not result.scales


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("scale;0;1;2\nSchaal 8;3000;;3200\n", (2, "Schaal 8 has no step 1: after step 0 comes step 2.")),
        ("scale;0;1\nSchaal 8;3000\nschaal 8;3000\n", (3, "schaal 8 appears twice (rows 2 and 3).")),
        ("scale;0;;\nSchaal 8;3000;;5\n", (2, "This row has a value in a column without a step number.")),
        ("scale;0;1\nSchaal 8;;\n", (2, "Schaal 8 has no amounts.")),
        ("scale;0;1\n;3000;3100\n", (2, "The scale has no name.")),
        ("scale;0;1\nSchaal 8;3100;3000\n", (2, "Step 1 of Schaal 8 (€3,000.00) pays less than step 0 (€3,100.00).")),
    ],
)
def test_each_wrong_row_of_a_wide_file_is_named_with_its_number(text, problem):
    assert problems_of(read(text)) == [problem]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "This file is empty."),
        (b"\n \n", "This file is empty."),
        (b"scale;step;amount\n", "This file has a first line but no scales under it."),
        (b"naam;salaris\nEva;3000\n", "The first line must name the columns: scale, step and amount"),
        (b"trede;bedrag\n0;3000\n", "The first line names a step and an amount column, but no scale"),
        (b"scale;step;step;amount\n", "The column step appears twice in the first line."),
        (b"scale;0;1;3\n", "The step numbers in the first line must follow each other from 0 or 1"),
        (b"scale;0;remark\n", "The column “remark” is not a step number."),
        (b"scale;;\n", "The first line names the scale column, but no step numbers beside it."),
        (("scale;" + ";".join(map(str, range(41))) + "\n").encode(), "This file has more than 40 steps."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV text file."),
        (b"PK\x03\x04 not really a workbook", "This is not a CSV text file. It looks like an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "This is an older Excel file (.xls)"),
        (b"x" * (MAX_BYTES + 1), "This file is larger than 1 MB"),
        (("scale;0\n" + "".join(f"S{n};1\n" for n in range(101))).encode(), "This file has more than 100 scales."),
        (("scale;step;amount\n" + "S;0;1\n" * 4001).encode(), "This file has more than 4000 rows"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_with_a_message(raw, message):
    with pytest.raises(ScaleFileError) as refused:
        read_scale_file(raw)
    assert refused.value.messages[0].startswith(message)


def test_a_workbook_takes_number_cells_as_they_are_and_reads_text_cells_like_csv():
    raw = workbook(
        [
            ["Schaal", "Trede", "Bedrag"],
            ["Schaal 8", 0, 3250.5],
            ["Schaal 8", 1, 3300],
            ["Schaal 8", 2.0, "3.400,00"],
            ["Schaal 9", 1, 4000.25],
        ]
    )
    result = read_scale_file(raw)
    assert not result.problems
    assert scales_of(result) == {
        "Schaal 8": (0, ["3250.50", "3300.00", "3400.00"]),
        "Schaal 9": (1, ["4000.25"]),
    }


def test_a_formula_in_a_workbook_is_never_evaluated():
    raw = workbook([["scale", "step", "amount"], ["Schaal 8", 0, "=1+2"], ["Schaal 8", 1, "=C2*2"]], text_cells=["C2"])
    # C2 is text that looks like a formula; C3 is a formula that Excel never calculated, so it has no value.
    assert problems_of(read_scale_file(raw)) == [
        (2, "“=1+2” is no amount: Enter an amount in euros, such as 3.250,50."),
        (3, "The amount is empty."),
    ]


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400) | st.text(alphabet=';,\t\n"=-.0123456789abtrede ', max_size=300).map(str.encode))
def test_no_file_makes_reading_fail_with_anything_but_a_message(raw):
    try:
        read_scale_file(raw)
    except ScaleFileError:
        pass


# --- the page ---------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clock(january_2027):
    """4 January 2027: the table from 1 January 2027 is in force."""


@pytest.fixture
def table(tenant_a):
    return SalaryTableFactory(organization=tenant_a.organization, applies_from=JAN_2027)


def upload(content, name="schalen.csv"):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())


def import_url(tenant):
    return url("pay:scale_import", tenant.organization)


def preview(hr, tenant, content, applies_from="2028-01-01", name="schalen.csv"):
    return hr.post(import_url(tenant), {"file": upload(content, name), "applies_from": applies_from})


def confirm(hr, tenant, content):
    return hr.post(import_url(tenant), {"confirm": "yes", "content": content}, follow=True)


def signed_content(response):
    form = response.context["confirm_form"]
    assert form is not None, f"the preview offers no confirmation: {response.context['problems']}"
    return form.initial["content"]


def steps_of(table, scale):
    found = ScaleStep.objects.filter(table=table, scale=scale)
    return [(step.number, str(step.monthly_amount)) for step in found]


def created_steps():
    content_type = ContentType.objects.get_for_model(ScaleStep)
    return AuditEntry.objects.filter(content_type=content_type, action=AuditEntry.Action.CREATE).count()


def test_the_upload_page_says_what_the_file_looks_like(hr, tenant_a):
    page = hr.get(import_url(tenant_a)).content.decode()
    assert "What the file looks like" in page
    assert "schaal;trede;bedrag" in page and "scale;0;1;2" in page


def test_the_preview_says_what_will_happen_and_saves_nothing(hr, tenant_a):
    with assert_nothing_changes():
        response = preview(hr, tenant_a, DUTCH)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Creates the salary table from 1 January 2028 with 2 scales and 5 steps." in page
    assert "€3,250.50" in page and 'name="content"' in page


def test_applying_the_file_makes_the_table_with_exactly_its_steps(hr, tenant_a, table):
    existing = scale_with_steps(table, "SCHAAL 8", ("1000.00",))
    before = created_steps()
    response = confirm(hr, tenant_a, signed_content(preview(hr, tenant_a, DUTCH)))
    new = SalaryTable.objects.get(organization=tenant_a.organization, applies_from=JAN_2028)
    schaal_9 = SalaryScale.objects.get(organization=tenant_a.organization, name="Schaal 9")
    assert steps_of(new, existing) == [(0, "3250.50"), (1, "3250.50"), (2, "3400.00")]
    assert steps_of(new, schaal_9) == [(1, "4000.00"), (2, "4100.00")]
    assert steps_of(table, existing) == [(0, "1000.00")]  # the table in force is not touched
    assert SalaryScale.objects.filter(organization=tenant_a.organization).count() == 2
    assert schaal_9.position > existing.position
    assert created_steps() == before + 5
    assert shown_messages(response) == [
        "The file has been imported into the salary table from 1 January 2028: 2 scales, 5 steps."
    ]


def test_importing_into_a_table_replaces_the_files_scales_and_keeps_the_others(hr, tenant_a, table):
    schaal_8 = scale_with_steps(table, "Schaal 8", ("3000.00", "3100.00", "3200.00", "3300.00"))
    other = scale_with_steps(table, "Schaal 12", ("5000.00",))
    response = preview(hr, tenant_a, DUTCH, applies_from="2027-01-01")
    page = response.content.decode()
    assert "Replaces the steps of 1 scale in the salary table from 1 January 2027." in page
    assert "Adds 1 scale to the salary table from 1 January 2027." in page
    assert "1 other scale stays as it is." in page
    confirm(hr, tenant_a, signed_content(response))
    assert steps_of(table, schaal_8) == [(0, "3250.50"), (1, "3250.50"), (2, "3400.00")]
    assert steps_of(table, other) == [(0, "5000.00")]
    with assert_nothing_changes():  # the same file again changes nothing
        confirm(hr, tenant_a, signed_content(preview(hr, tenant_a, DUTCH, applies_from="2027-01-01")))


def test_an_excel_workbook_goes_all_the_way_through(hr, tenant_a):
    raw = workbook([["Schaal", 0, 1, 2], ["Schaal 8", 3000, 3100.5, "3.200,00"], ["Schaal 9", None, 4000]])
    confirm(hr, tenant_a, signed_content(preview(hr, tenant_a, raw, name="schalen.xlsx")))
    new = SalaryTable.objects.get(organization=tenant_a.organization, applies_from=JAN_2028)
    schaal_8, schaal_9 = SalaryScale.objects.filter(organization=tenant_a.organization).order_by("name")
    assert steps_of(new, schaal_8) == [(0, "3000.00"), (1, "3100.50"), (2, "3200.00")]
    assert steps_of(new, schaal_9) == [(1, "4000.00")]


def tampered(content: str) -> str:
    position = len(content) // 2
    return content[:position] + ("A" if content[position] != "A" else "B") + content[position + 1 :]


def test_a_changed_signed_value_is_refused(hr, tenant_a):
    content = signed_content(preview(hr, tenant_a, DUTCH))
    for value in (tampered(content), "", "x" * 10):
        with assert_nothing_changes():
            response = confirm(hr, tenant_a, value)
        assert shown_messages(response) == [
            "This preview has expired or was changed after it was shown. Upload the file again."
        ]


def test_an_expired_or_another_organisations_signed_value_is_refused(hr, tenant_a, tenant_b, january_2027):
    theirs = ImportConfirmForm.for_file(
        organization_id=tenant_b.organization.pk,
        applies_from=JAN_2028,
        scales=[FileScale(name="Schaal 8", first_step=0, amounts=(Decimal("3000.00"),))],
    ).initial["content"]
    content = signed_content(preview(hr, tenant_a, DUTCH))
    january_2027.shift(datetime.timedelta(hours=2))
    for value in (content, theirs):
        with assert_nothing_changes():
            response = confirm(hr, tenant_a, value)
        assert "This preview has expired" in shown_messages(response)[0]


def test_a_file_that_cannot_be_used_gets_a_message_at_the_field(hr, tenant_a):
    with assert_nothing_changes():
        response = preview(hr, tenant_a, b"naam;salaris\nEva;3000\n")
    assert field_error(response, "file").startswith("The first line must name the columns")


def test_a_date_far_away_is_refused(hr, tenant_a):
    with assert_nothing_changes():
        response = preview(hr, tenant_a, DUTCH, applies_from="2040-01-01")
    assert field_error(response, "applies_from").startswith("Enter a date between")


def test_the_preview_lists_each_problem_with_its_row_and_offers_no_confirmation(hr, tenant_a):
    with assert_nothing_changes():
        response = preview(hr, tenant_a, "scale;step;amount\nSchaal 8;0;3000\nSchaal 8;2;3100\n;0;1\n")
    page = response.content.decode()
    assert response.context["confirm_form"] is None
    assert response.context["problems"] == [
        (3, "Schaal 8 has no step 1: after step 0 comes step 2."),
        (4, "The scale has no name."),
    ]
    assert "Nothing can be imported yet" in page and 'name="content"' not in page


def test_steps_people_stand_on_stay_in_the_table_in_force(hr, tenant_a, table):
    schaal_8 = scale_with_steps(table, "Schaal 8", ("3000.00", "3100.00", "3200.00", "3300.00"))
    PlacementFactory(employee=tenant_a.employee, scale=schaal_8, step=3)
    with assert_nothing_changes():
        response = preview(hr, tenant_a, DUTCH, applies_from="2027-01-01")
    assert response.context["problems"] == [
        (
            None,
            "1 person is placed on Schaal 8 at a step that would be removed (step 3) from a salary table that is "
            "or will be in force. Place them on another step first.",
        )
    ]


def test_a_person_placed_between_preview_and_apply_stops_the_apply(hr, tenant_a, table):
    schaal_8 = scale_with_steps(table, "Schaal 8", ("3000.00", "3100.00", "3200.00", "3300.00"))
    content = signed_content(preview(hr, tenant_a, DUTCH, applies_from="2027-01-01"))
    PlacementFactory(employee=tenant_a.employee, scale=schaal_8, step=3)
    with assert_nothing_changes():
        response = confirm(hr, tenant_a, content)
    assert "1 person is placed on Schaal 8" in shown_messages(response)[0]


def test_the_import_is_hrs(client, tenant_a, stranger):
    page = import_url(tenant_a)
    body = {"applies_from": "2028-01-01", "file": upload(DUTCH)}
    assert_other_organisation_gets_404(client, stranger, page)
    assert_other_organisation_gets_404(client, stranger, page, "post", body)
    assert_role_forbidden(client, tenant_a.manager, page)
    assert_role_forbidden(
        client, tenant_a.employee, page, "post", {"applies_from": "2028-01-01", "file": upload(DUTCH)}
    )


def test_the_preview_makes_as_many_queries_for_40_scales_as_for_2(hr, tenant_a, table):
    lines = []

    def build(numbers):
        for number in numbers:
            scale_with_steps(table, f"Schaal {number}", ("3000.00", "3100.00", "3200.00"))
            lines.extend(f"Schaal {number};{step};{3000 + 50 * step}" for step in range(4))

    def run():
        return preview(hr, tenant_a, "schaal;trede;bedrag\n" + "\n".join(lines) + "\n", applies_from="2027-01-01")

    response = assert_flat_queries(run, build)
    assert "Replaces the steps of 40 scales in the salary table from 1 January 2027." in response.content.decode()
