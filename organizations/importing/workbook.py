"""Reading the first sheet of an Excel workbook (.xlsx) as records: a row number and its cells as text.

openpyxl reads the sheet as a stream (read-only mode), so a long sheet is
never held whole, and the caller stops reading at its row limit. Two guards
come first: the archive's unpacked size is capped (a 2 MB upload can hold
gigabytes of XML), and the sheet's own claim about its size (its
"dimension") is ignored, because a wrong claim would silently cut off
columns; every row is read as far as it has cells. Workbook XML is parsed by
the standard library's expat, which refuses entity expansion attacks.

Cells come back as the text Excel shows for them, near enough: a whole
number without ".0", a date as 2027-03-01; formulas give their last
calculated value, never the formula.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

ZIP_SIGNATURE = b"PK\x03\x04"  # an .xlsx workbook is a ZIP archive
# The OLE compound file that holds an older .xls workbook, and also any workbook protected with a password.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# How many unpacked bytes a workbook may hold per byte of the upload limit. A sheet of 5,000 people in 7
# columns unpacks to about 2.4 MB; a wide export from an HR system, with dozens of columns, to ten times that.
UNPACKED_PER_BYTE = 16
# Characters that cannot be stored (NUL in PostgreSQL) or shown; Excel can hold them in a cell as _x0007_.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Unreadable(Exception):
    """The bytes are no workbook that can be read: damaged, another kind of ZIP, an old .xls, or encrypted."""

    def __init__(self, *, old_format: bool = False):
        super().__init__()
        self.old_format = old_format


class TooLarge(Exception):
    """The workbook unpacks to more than the cap."""


@dataclass
class Sheet:
    name: str
    count: int  # how many sheets the workbook has; only the first is read
    records: "Iterator[tuple[int, list[str]]] | list[tuple[int, list[str]]]"


def is_workbook(raw: bytes) -> bool:
    """Whether ``raw`` is meant as a workbook: a ZIP archive or an OLE file. Neither can be CSV text."""
    return raw.startswith(ZIP_SIGNATURE) or raw.startswith(OLE_SIGNATURE)


def read_sheet(raw: bytes, *, max_unpacked: int) -> Sheet:
    """Open the workbook in ``raw`` and return its first sheet, whose records are read as they are consumed.

    Raises Unreadable or TooLarge here, and Unreadable while the records are
    read (a sheet can be damaged halfway).
    """
    if raw.startswith(OLE_SIGNATURE):
        raise Unreadable(old_format=True)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            # zipfile stops each member at its declared size, so the declared sizes bound what unpacking yields.
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise Unreadable from None
    if unpacked > max_unpacked:
        raise TooLarge
    # Imported here: openpyxl takes about 0.4 s to import, which every process that loads the URLs (each web
    # worker, each test run, each management command) would otherwise pay for an upload it may never see.
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises whatever its ZIP, XML and style readers hit (KeyError for a missing part, ValueError,
        # TypeError, ParseError, InvalidFileException, ...): for HR they all mean this workbook cannot be read.
        raise Unreadable from None
    if not book.worksheets:  # a workbook of chart sheets only
        book.close()
        return Sheet(name="", count=0, records=[])
    sheet = book.worksheets[0]
    return Sheet(name=sheet.title, count=len(book.worksheets), records=_records(book, sheet))


def _records(book, sheet) -> Iterator[tuple[int, list[str]]]:
    try:
        sheet.reset_dimensions()  # read every row as far as it has cells, whatever the sheet claims
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in row]
    except Exception:
        raise Unreadable from None  # as in read_sheet: damaged XML further down the sheet
    finally:
        book.close()


def cell_text(value) -> str:
    """A cell's value as text, as Excel would show it in a plain cell."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: True is an int too
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))  # Excel stores every number as a float: 2027, not 2027.0
        return format(value, ".15g")  # Excel's precision: 0.3, not 0.30000000000000004
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    return CONTROL_CHARACTERS.sub("", str(value))
