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

from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from core.spreadsheet import CSV, XLSX, csv_bytes, download, number_cell, spreadsheet_text, text_cell, workbook_bytes
from core.urls import get_or_404
from cycles.models import Cycle
from organizations.tenancy import org_view

from .money import cents
from .rules import MANAGE_PAY
from .selectors_export import ExportRow, export_rows, export_summary

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
    rows = (
        [
            *_texts(row),
            _number(row.old_step),
            spreadsheet_text(row.new_scale),
            _number(row.new_step),
            _plain(row.old_monthly),
            _plain(row.new_monthly),
            _plain(row.one_off),
            row.effective_on.isoformat(),
        ]
        for row in export_rows(cycle=cycle)
    )
    return download(csv_bytes(headers(), rows), CSV, file_name(cycle, "csv"))


@org_view(MANAGE_PAY)
@require_GET
def export_xlsx(request, cycle_id):
    """The export as an Excel workbook: numbers as numbers, dates as dates, text as text (core.spreadsheet)."""
    cycle = _cycle(request, cycle_id)

    def cells(row):
        return lambda sheet: [
            text_cell(sheet, row.email),
            text_cell(sheet, row.employee_number),
            text_cell(sheet, row.name),
            text_cell(sheet, row.outcome),
            text_cell(sheet, row.old_scale),
            row.old_step,
            text_cell(sheet, row.new_scale),
            row.new_step,
            number_cell(sheet, row.old_monthly, AMOUNT_FORMAT),
            number_cell(sheet, row.new_monthly, AMOUNT_FORMAT),
            number_cell(sheet, row.one_off, AMOUNT_FORMAT),
            number_cell(sheet, row.effective_on, DATE_FORMAT),
        ]

    content = workbook_bytes(slugify(cycle.name) or "export", headers(), map(cells, export_rows(cycle=cycle)))
    return download(content, XLSX, file_name(cycle, "xlsx"))
