"""Reading an uploaded people file into rows under its header. No database.

Two formats, told apart by their content, never by the file's name: an Excel
workbook (a ZIP archive; workbook.py reads its first sheet) and CSV text
(UTF-8 with or without BOM, else Windows-1252; commas or semicolons). Both
become the same records, a line number with its cells, and one routine finds
the columns and the rows in them, so both formats get the same checks, the
same limits and the same messages.

What is kept for the preview is text (PeopleImport.content): a CSV file's
decoded text, or a workbook's cells as JSON behind SHEET_MARKER, so that the
preview and the apply read exactly what the upload checked, and a workbook's
problems name the rows Excel shows.
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import workbook
from .columns import REQUIRED_COLUMNS, all_columns, column_name, known_column

# Excel writes "sep=;" as a first line when asked to; it names the separator.
SEP_LINE = re.compile(r"sep=([;,\t])", re.IGNORECASE)
# Control characters that never occur in a spreadsheet's text; tab, CR and LF do.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Starts the stored form of a workbook. A control character, so no CSV text can begin with it: parse_people_text
# refuses control characters, so an uploaded CSV is never mistaken for a stored workbook.
SHEET_MARKER = "\x01helder-sheet\n"

Record = tuple[int, list[str]]  # a line (a row number in a workbook) and its cells


class PeopleFileError(ValidationError):
    """The file as a whole cannot be used: too big, not text, no usable header. Nothing is stored."""


@dataclass(frozen=True)
class ParsedRow:
    line: int
    values: dict[str, str]
    problems: tuple[str, ...] = ()


@dataclass
class ParsedFile:
    text: str  # what PeopleImport.content keeps, read again by parse_stored
    encoding: str
    delimiter: str
    columns: tuple[str, ...]
    rows: list[ParsedRow]
    notices: list[str] = field(default_factory=list)
    format: str = "csv"


def parse_people_file(raw: bytes) -> ParsedFile:
    """Read an uploaded people file; raises PeopleFileError (and nothing else) for a file it cannot use.

    Protects the server from oversized and binary uploads: the byte limit is
    checked before anything is decoded or unpacked, and the row limit while
    reading.
    """
    limit = settings.PEOPLE_IMPORT_MAX_BYTES
    if len(raw) > limit:
        raise PeopleFileError(
            _("This file is larger than %(limit)s; split it into smaller files.") % {"limit": _megabytes(limit)},
            code="too_large",
        )
    if workbook.is_workbook(raw):
        return _parse_workbook(raw, max_unpacked=limit * workbook.UNPACKED_PER_BYTE)
    if b"\x00" in raw:
        raise not_text_error()
    text, encoding = _decode(raw)
    return parse_people_text(text, encoding=encoding)


def parse_stored(content: str) -> ParsedFile:
    """Read what people_import_create stored (ParsedFile.text) the way the upload read it."""
    if content.startswith(SHEET_MARKER):
        try:
            stored = json.loads(content.removeprefix(SHEET_MARKER))
            sheet = workbook.Sheet(
                name=str(stored["name"]),
                count=int(stored["count"]),
                records=[(int(line), [str(cell) for cell in cells]) for line, cells in stored["records"]],
            )
        except (ValueError, TypeError, KeyError):
            # Only people_import_create writes this, so it does not happen; if it did, a message beats a 500.
            raise PeopleFileError(
                _("This upload can no longer be read; upload the file again."), code="stored"
            ) from None
        return _parse_sheet(sheet)
    return parse_people_text(content)


def parse_people_text(text: str, *, encoding: str = "utf-8") -> ParsedFile:
    """Split decoded CSV text into rows under the header; raises PeopleFileError for a file-level problem."""
    text = text.removeprefix("\ufeff").removesuffix("\x1a")  # BOM; DOS end-of-file marker
    if CONTROL_CHARACTERS.search(text):
        raise not_text_error()
    stream = io.StringIO(text, newline="")
    header_line, header_line_number, delimiter = _header(stream)
    header = _cells(header_line, delimiter, header_line_number)
    extra = _(
        "This line has more values than the first line has columns; a value with a separator "
        "in it needs quotation marks."
    )
    columns, rows, notices = _table(header, _csv_records(stream, delimiter, header_line_number), extra_problem=extra)
    return ParsedFile(text=text, encoding=encoding, delimiter=delimiter, columns=columns, rows=rows, notices=notices)


def _parse_workbook(raw: bytes, *, max_unpacked: int) -> ParsedFile:
    try:
        return _parse_sheet(workbook.read_sheet(raw, max_unpacked=max_unpacked))
    except workbook.TooLarge:
        raise PeopleFileError(
            _(
                "This workbook holds more than can be read at once. Delete the sheets and columns that are "
                "not needed, or split it into smaller files."
            ),
            code="too_large",
        ) from None
    except workbook.Unreadable as error:
        if error.old_format:
            message = _(
                "This is an older Excel file (.xls) or a workbook protected with a password, which cannot be "
                "read. In Excel, remove the password if it has one, and save it as “Excel Workbook (.xlsx)”."
            )
        else:
            message = _(
                "This is not a CSV text file. It looks like an Excel workbook, but it could not be opened; it "
                "may be damaged. Open it in Excel and save it again as “Excel Workbook (.xlsx)”, or save it as CSV."
            )
        raise PeopleFileError(message, code="not_text") from None


def _parse_sheet(sheet: "workbook.Sheet") -> ParsedFile:
    """The people on a workbook's sheet; ParsedFile.text keeps the cells that were read, for parse_stored."""
    try:
        return _sheet_table(sheet)
    finally:
        if hasattr(sheet.records, "close"):
            sheet.records.close()  # a refused sheet stops here; closing the reader closes the workbook


def _sheet_table(sheet: "workbook.Sheet") -> ParsedFile:
    kept: list[Record] = []

    def non_blank(records: Iterable[Record]) -> Iterator[Record]:
        for line, cells in records:
            # Empty cells at the end of a row are formatting, not values (Excel keeps a formatted cell); without
            # them the header ends at its last name, and a value further right gets the notice of _table.
            while cells and not cells[-1].strip():
                cells.pop()
            if cells:
                kept.append((line, cells))  # blank rows change nothing, so the stored form leaves them out
                yield line, cells

    records = non_blank(sheet.records)
    header = next(records, None)
    if header is None:
        raise PeopleFileError(_("This file is empty."), code="empty")
    columns, rows, notices = _table(header[1], records, extra_problem=None)
    if sheet.count > 1:
        notices.insert(
            0,
            _("This workbook has %(count)d sheets; only the first, “%(name)s”, was read.")
            % {"count": sheet.count, "name": sheet.name},
        )
    stored = {"name": sheet.name, "count": sheet.count, "records": kept}
    return ParsedFile(
        text=SHEET_MARKER + json.dumps(stored, ensure_ascii=False, separators=(",", ":")),
        encoding="",
        delimiter="",
        columns=columns,
        rows=rows,
        notices=notices,
        format="xlsx",
    )


def _table(header: list[str], records: Iterable[Record], *, extra_problem: str | None):
    """The columns the header names, the rows under it (blank ones skipped), and the notices about both.

    A value beyond the header's last column is ``extra_problem`` on its row
    (in CSV it means a separator without quotation marks, so the row's other
    values may have shifted); without one (a workbook, where nothing shifts)
    it is ignored with a notice.
    """
    positions, unknown = _column_positions(header)
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        found = ", ".join(cell.strip()[:40] for cell in header[:8] if cell.strip())
        raise PeopleFileError(
            _(
                "The first line must name the columns; the column %(missing)s is missing. "
                "The first line now holds: %(found)s."
            )
            % {"missing": ", ".join(missing), "found": found or "—"},
            code="missing_columns",
        )
    notices = []
    if unknown:
        notices.append(_("These columns are not used and were ignored: %(columns)s.") % {"columns": ", ".join(unknown)})
    max_rows = settings.PEOPLE_IMPORT_MAX_ROWS
    width = len(header)
    rows = []
    unnamed = False
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= max_rows:
            raise PeopleFileError(
                _("This file has more than %(limit)s people; split it into smaller files.")
                % {"limit": grouped(max_rows)},
                code="too_many_rows",
            )
        # Stored as typed, also a cell starting with = + - @: Helder never evaluates it and templates
        # escape it; an export must neutralise such cells for spreadsheets (docs/security.md).
        values = {column: cells[index].strip() if index < len(cells) else "" for column, index in positions.items()}
        problems = ()
        if any(cell.strip() for cell in cells[width:]):
            if extra_problem:
                problems = (extra_problem,)
            else:
                unnamed = True
        rows.append(ParsedRow(line=line, values=values, problems=problems))
    if not rows:
        raise PeopleFileError(_("This file has a header line but no people under it."), code="no_rows")
    if unnamed:
        notices.append(_("Some rows have values in columns without a name in the first row; they were ignored."))
    return tuple(column for column in all_columns() if column in positions), rows, notices


def grouped(number: int) -> str:
    """10.000 in Dutch, 10,000 in English."""
    return number_format(number, force_grouping=True)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def file_limits() -> dict:
    """The largest file HR may upload, for the form's help text: {"size": "4 MB", "rows": "10.000"} (the number
    grouped as the page's language writes it)."""
    return {"size": _megabytes(settings.PEOPLE_IMPORT_MAX_BYTES), "rows": grouped(settings.PEOPLE_IMPORT_MAX_ROWS)}


def not_text_error() -> PeopleFileError:
    return PeopleFileError(
        _(
            "This is not a CSV text file. Upload the Excel workbook (.xlsx) itself, or in your spreadsheet "
            "choose Save as, then “CSV UTF-8 (comma delimited)” or “CSV (semicolon delimited)”, and upload that file."
        ),
        code="not_text",
    )


def _decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; otherwise Windows-1252, which Dutch Excel writes for plain CSV."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise not_text_error() from None


def _header(stream: io.StringIO) -> tuple[str, int, str]:
    """The first non-blank line, its line number, and the separator (from "sep=" or counted on it)."""
    delimiter = None
    line_number = 0
    for line in iter(stream.readline, ""):
        line_number += 1
        if not line.strip():
            continue
        declared = SEP_LINE.fullmatch(line.strip())
        if declared and delimiter is None:
            delimiter = declared[1]
            continue
        if delimiter is None:
            delimiter = ";" if line.count(";") > line.count(",") else ","
        return line, line_number, delimiter
    raise PeopleFileError(_("This file is empty."), code="empty")


def _cells(line: str, delimiter: str, line_number: int) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        raise _unreadable_line_error(line_number) from None


def _csv_records(stream: io.StringIO, delimiter: str, header_line_number: int) -> Iterator[Record]:
    """The records after the header, each with the line it starts on (a quoted value may span lines)."""
    reader = csv.reader(stream, delimiter=delimiter)
    lines_read = 0
    while True:
        line = header_line_number + lines_read + 1  # where the next record starts
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _unreadable_line_error(line) from None
        lines_read = reader.line_num
        yield line, cells


def _unreadable_line_error(line: int) -> PeopleFileError:
    return PeopleFileError(
        _("Line %(line)d could not be read; check its quotation marks.") % {"line": line}, code="unreadable"
    )


def _column_positions(header: list[str]) -> tuple[dict[str, int], list[str]]:
    positions = {}
    unknown = []
    for index, cell in enumerate(header):
        if not column_name(cell):
            continue  # Excel's trailing separators make nameless columns
        name = known_column(cell)  # also "personeelsnummer", and the columns apps above register (extra.py)
        if name is None:
            unknown.append(cell.strip()[:40])
        elif name in positions:
            raise PeopleFileError(
                _("The column %(column)s appears twice in the first line.") % {"column": name},
                code="duplicate_column",
            )
        else:
            positions[name] = index
    return positions, unknown
