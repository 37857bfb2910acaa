"""Reading the bytes of an uploaded salary table into numbered rows of cells (pay.scale_import reads the rows).

The format follows the content, never the file's name: an Excel workbook is a ZIP archive (its first sheet is
read through openpyxl's streaming reader, a number cell taken as the number it is, a formula as the value Excel
last showed: Helder never evaluates one); anything else is CSV text, UTF-8 (with or without BOM) or else
Windows-1252, its separator the one of ``;``, ``,`` and tab the first line uses most (or a ``sep=`` line).
What is wrong with the file as a whole raises :class:`ScaleFileError`, with a translated message.
"""

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organizations.importing import workbook

MAX_BYTES = 1024 * 1024
MAX_SCALES = 100
MAX_STEPS = 40
MAX_ROWS = MAX_SCALES * MAX_STEPS  # a long file lists every step on a row of its own
MAX_CELLS = 200  # cells read per row: beyond any layout's use, and a row of 16,384 empty cells costs nothing
SEP_LINE = re.compile(r"sep=([;,\t])", re.IGNORECASE)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Cell = str | Decimal  # text as typed, or the number of a workbook's number cell
Record = tuple[int, list[Cell]]  # a row number and its cells


class ScaleFileError(ValidationError):
    """The file as a whole cannot be used; nothing of it is shown."""


def file_records(raw: bytes) -> list[Record]:
    """The non-empty rows of a workbook's first sheet or of a CSV file, each with its row number."""
    return _workbook_records(raw) if workbook.is_workbook(raw) else _csv_records(raw)


def _csv_records(raw: bytes) -> list[Record]:
    if b"\x00" in raw:
        raise _not_text()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise _not_text() from None
    text = text.removeprefix("\ufeff").removesuffix("\x1a")
    if CONTROL_CHARACTERS.search(text):
        raise _not_text()
    lines = text.splitlines(keepends=True)
    start, delimiter = 0, None
    while start < len(lines) and (not lines[start].strip() or SEP_LINE.fullmatch(lines[start].strip())):
        declared = SEP_LINE.fullmatch(lines[start].strip())
        delimiter = declared[1] if declared else delimiter
        start += 1
    if start == len(lines):
        return []
    if delimiter is None:
        # The first line names the columns and holds no amounts, so its separators are the file's.
        delimiter = max(";,\t", key=lines[start].count)
    reader = csv.reader(io.StringIO("".join(lines[start:]), newline=""), delimiter=delimiter)
    records = []
    line = start + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error:
            raise ScaleFileError(
                _("Line %(line)d could not be read; check its quotation marks.") % {"line": line}, code="unreadable"
            ) from None
        if any(cell.strip() for cell in cells):
            _count(records)
            records.append((line, cells[:MAX_CELLS]))
        line = start + reader.line_num + 1


def _workbook_records(raw: bytes) -> list[Record]:
    if raw.startswith(workbook.OLE_SIGNATURE):
        raise ScaleFileError(
            _(
                "This is an older Excel file (.xls) or a workbook protected with a password, which cannot be "
                "read. In Excel, remove the password if it has one, and save it as “Excel Workbook (.xlsx)”."
            ),
            code="not_text",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _damaged() from None
    if unpacked > MAX_BYTES * workbook.UNPACKED_PER_BYTE:  # a small upload can unpack to gigabytes of XML
        raise ScaleFileError(_("This workbook holds more than can be read at once."), code="too_large")
    import openpyxl  # here: it takes a while to import, and only an upload needs it

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises whatever its ZIP and XML readers hit; all mean "cannot be read"
        raise _damaged() from None
    records = []
    try:
        if not book.worksheets:
            return []
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # every row as far as it has cells, whatever the sheet claims
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(value) for value in row[:MAX_CELLS]]
            if any(cell_text(cell) for cell in cells):
                _count(records)
                records.append((number, cells))
    except ScaleFileError:
        raise
    except Exception:
        raise _damaged() from None
    finally:
        book.close()
    return records


def _count(records: list) -> None:
    if len(records) > MAX_ROWS:  # the first line plus MAX_ROWS rows under it
        raise ScaleFileError(
            _(
                "This file has more than %(limit)d rows; a salary table has at most %(scales)d scales "
                "of %(steps)d steps."
            )
            % {"limit": MAX_ROWS, "scales": MAX_SCALES, "steps": MAX_STEPS},
            code="too_many_rows",
        )


def _cell(value) -> Cell:
    """A workbook cell: a number as a Decimal (as Excel shows it, 15 digits), anything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(format(value, ".15g"))
        return number if number.is_finite() else str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return CONTROL_CHARACTERS.sub("", str(value))


def cell_text(cell: Cell) -> str:
    """A cell as text: a whole number without decimals, anything else as read, stripped."""
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f") if cell == cell.to_integral_value() else str(cell)
    return str(cell).strip()


def _not_text() -> ScaleFileError:
    return ScaleFileError(
        _(
            "This is not a CSV text file. Upload the Excel workbook (.xlsx) itself, or in your spreadsheet "
            "choose Save as, then “CSV UTF-8 (comma delimited)” or “CSV (semicolon delimited)”, and upload that file."
        ),
        code="not_text",
    )


def _damaged() -> ScaleFileError:
    return ScaleFileError(
        _(
            "This is not a CSV text file. It looks like an Excel workbook, but it could not be opened; it "
            "may be damaged. Open it in Excel and save it again as “Excel Workbook (.xlsx)”, or save it as CSV."
        ),
        code="not_text",
    )
