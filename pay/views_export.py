"""The payroll export of a cycle: a page saying what it holds, and the file as CSV or as an Excel workbook.

The files are for payroll software, so they are written the same way whatever the reader's language, except the
headers and the outcome's name: amounts as plain numbers with a dot before the cents ("3250.50" in the CSV, numbers
with two decimals in the workbook), dates as dates (ISO, 2028-01-01, in the CSV). The CSV is UTF-8 with a byte order
mark (so Excel reads the accents) and ";" between columns. Every text cell that a spreadsheet would run as a formula
gets a leading apostrophe (core.spreadsheet.spreadsheet_text).

Both files are built in memory, within the request: the organisation's scope, its time zone and the reader's
language hold while the rows are read (a streamed body would run after the door has closed the scope). 10,000 rows
are about 1.5 MB.
"""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.spreadsheet import FORMULA_START, spreadsheet_text
from core.urls import get_or_404
from cycles.models import Cycle
from organizations.tenancy import org_view

from .money import cents
from .rules import MANAGE_PAY
from .selectors_export import ExportRow, export_rows, export_summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"


def _cycle(request, cycle_id) -> Cycle:
    return get_or_404(Cycle.objects.filter(organization=request.organization), cycle_id)


def headers() -> list[str]:
    """The column headers in the reader's language, in the order of ExportRow."""
    return [
        _("Email"),
        _("Employee number"),
        _("Name"),
        _("Outcome"),
        pgettext("payroll export column", "Old scale"),
        _("Old step"),
        pgettext("payroll export column", "New scale"),
        _("New step"),
        _("Old monthly salary"),
        _("New monthly salary"),
        _("One-off payment"),
        _("Effective date"),
    ]


def _texts(row: ExportRow) -> list[str]:
    return [spreadsheet_text(value) for value in (row.email, row.employee_number, row.name, row.outcome, row.old_scale)]


def file_name(cycle: Cycle, extension: str) -> str:
    return f"{slugify(cycle.name) or f'cycle-{cycle.pk}'}.{extension}"


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": content_disposition_header(True, name)}
    )


@org_view(MANAGE_PAY)
@require_GET
def export(request, cycle_id):
    """What the export of the cycle holds and leaves out, how the files write numbers and dates, and the links."""
    cycle = _cycle(request, cycle_id)
    return render(request, "pay/export_page.html", {"cycle": cycle, "summary": export_summary(cycle=cycle)})


def _plain(amount) -> str:
    return "" if amount is None else str(cents(amount))


def _number(value) -> str:
    return "" if value is None else str(value)


@org_view(MANAGE_PAY)
@require_GET
def export_csv(request, cycle_id):
    """The export as CSV: UTF-8 with a byte order mark, ";" between columns, 3250.50 and 2028-01-01."""
    cycle = _cycle(request, cycle_id)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_text(header) for header in headers()])
    for row in export_rows(cycle=cycle):
        email, number, name, outcome, old_scale = _texts(row)
        writer.writerow(
            [
                email,
                number,
                name,
                outcome,
                old_scale,
                _number(row.old_step),
                spreadsheet_text(row.new_scale),
                _number(row.new_step),
                _plain(row.old_monthly),
                _plain(row.new_monthly),
                _plain(row.one_off),
                row.effective_on.isoformat(),
            ]
        )
    return _download(buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8", file_name(cycle, "csv"))


@org_view(MANAGE_PAY)
@require_GET
def export_xlsx(request, cycle_id):
    """The export as an Excel workbook (write-only, so 10,000 rows stay quick): numbers as numbers, dates as dates."""
    cycle = _cycle(request, cycle_id)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(slugify(cycle.name) or "export")[:31])
    bold = Font(bold=True)

    def cell(value, number_format=None, font=None):
        made = WriteOnlyCell(sheet, value=value)
        if number_format and value is not None:
            made.number_format = number_format
        if font is not None:
            made.font = font
        return made

    def text(value, font=None):
        """A text cell kept as text: stored as a string (never a formula) and marked so Excel does not re-read it
        as one when someone edits it; the value itself stays as typed, without an apostrophe in it."""
        if value in (None, ""):
            return None
        made = WriteOnlyCell(sheet, value=str(value))
        made.data_type = "s"
        made.quotePrefix = str(value).startswith(FORMULA_START)
        if font is not None:
            made.font = font
        return made

    sheet.append([text(header, font=bold) for header in headers()])
    for row in export_rows(cycle=cycle):
        sheet.append(
            [
                text(row.email),
                text(row.employee_number),
                text(row.name),
                text(row.outcome),
                text(row.old_scale),
                row.old_step,
                text(row.new_scale),
                row.new_step,
                cell(row.old_monthly, AMOUNT_FORMAT),
                cell(row.new_monthly, AMOUNT_FORMAT),
                cell(row.one_off, AMOUNT_FORMAT),
                cell(row.effective_on, DATE_FORMAT),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _download(buffer.getvalue(), XLSX, file_name(cycle, "xlsx"))
