"""The calibration export of a cycle, as CSV or as an Excel workbook: one row per counted review.

Per person their latest review with a proposed outcome (calibration.distribution.reviews_in), by name: who, their
team and manager, the review's state and score, the outcome the rule gives and the outcome, whether they differ and
the manager's justification, the ratings with a reason instead of evidence, the share of recent evidence and how
often HR moved the outcome (calibration.selectors_calibration.export_rows, two queries whatever the number of rows).

Written like pay's payroll export (pay.views_export): headers, states, outcomes and yes/no in the reader's
language; numbers with a dot (3.25 in the CSV, numbers in the workbook). The CSV is UTF-8 with a byte order mark
and ";" between columns, every text cell a spreadsheet would run as a formula gets a leading apostrophe
(core.spreadsheet.spreadsheet_text); in the workbook such text is stored as text instead (core.spreadsheet
.text_cell). Both are built in memory within the request, so the organisation's scope, time zone and the reader's
language hold while the rows are read.
"""

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.spreadsheet import CSV, XLSX, csv_bytes, download, number_cell, spreadsheet_text, text_cell, workbook_bytes
from organizations.tenancy import org_view

from .rules import CALIBRATE
from .selectors_calibration import export_rows
from .views_calibration import cycle_of

SCORE_FORMAT = "0.00"
SHARE_FORMAT = "0.0"


def headers() -> list[str]:
    """The column headers in the reader's language, in the order of ExportRow."""
    return [
        _("Employee"),
        _("Team"),
        _("Manager"),
        _("State"),
        _("Weighted score"),
        _("The rule gives"),
        _("Outcome"),
        _("Deviates from the rule"),
        _("Justification"),
        _("Ratings with a reason instead of evidence"),
        _("Recent evidence (percent)"),
        _("Outcome moved (times)"),
    ]


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def file_name(cycle, extension: str) -> str:
    """ "calibration-<the cycle's name>" ("kalibratie-…" in Dutch), slugified."""
    prefix = _("calibration")
    return f"{slugify(prefix)}-{slugify(cycle.name) or cycle.pk}.{extension}"


def _plain(value) -> str:
    return "" if value is None else str(value)


@org_view(CALIBRATE)
@require_GET
def export_csv(request, cycle_id):
    """The export as CSV: UTF-8 with a byte order mark, ";" between columns, 3.25 and 75.0."""
    cycle = cycle_of(request, cycle_id)
    rows = (
        [
            spreadsheet_text(row.employee),
            spreadsheet_text(row.team),
            spreadsheet_text(row.manager),
            spreadsheet_text(row.state),
            _plain(row.score),
            spreadsheet_text(row.rule_band),
            spreadsheet_text(row.outcome),
            _yes_no(row.deviates),
            spreadsheet_text(row.justification),
            str(row.unevidenced),
            _plain(row.recent_share),
            str(row.moves),
        ]
        for row in export_rows(cycle=cycle)
    )
    return download(csv_bytes(headers(), rows), CSV, file_name(cycle, "csv"))


@org_view(CALIBRATE)
@require_GET
def export_xlsx(request, cycle_id):
    """The export as an Excel workbook: numbers as numbers, text as text (core.spreadsheet)."""
    cycle = cycle_of(request, cycle_id)

    def cells(row):
        return lambda sheet: [
            text_cell(sheet, row.employee),
            text_cell(sheet, row.team),
            text_cell(sheet, row.manager),
            text_cell(sheet, row.state),
            number_cell(sheet, row.score, SCORE_FORMAT),
            text_cell(sheet, row.rule_band),
            text_cell(sheet, row.outcome),
            text_cell(sheet, _yes_no(row.deviates)),
            text_cell(sheet, row.justification),
            row.unevidenced,
            number_cell(sheet, row.recent_share, SHARE_FORMAT),
            row.moves,
        ]

    content = workbook_bytes(slugify(cycle.name) or "calibration", headers(), map(cells, export_rows(cycle=cycle)))
    return download(content, XLSX, file_name(cycle, "xlsx"))
