"""Text for spreadsheets that no spreadsheet program runs as a formula (CSV injection), in CSV and in workbooks.

A cell whose text starts with "=", "+", "-" or "@" (or a tab or carriage return before one) is read as a formula
by Excel and LibreOffice. In a CSV the only defence is a leading apostrophe (:func:`spreadsheet_text`). In a
workbook the cell is stored as a string and marked with quotePrefix (:func:`text_cell`): the value stays exactly as
typed, without an apostrophe in it, and editing the cell does not turn it into a formula either.
"""

# A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value) -> str:
    """``value`` as a CSV text cell that no spreadsheet program runs: a leading apostrophe before a formula's start."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def text_cell(sheet, value, font=None):
    """A write-only workbook cell of ``sheet`` holding ``value`` as text, never as a formula; None when empty."""
    from openpyxl.cell import WriteOnlyCell  # here: only the exports need openpyxl

    if value in (None, ""):
        return None
    text = str(value)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = text.startswith(FORMULA_START)
    if font is not None:
        cell.font = font
    return cell


# --- the files ---------------------------------------------------------------------------------------------------

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(header, rows) -> bytes:
    """A CSV file for spreadsheets and payroll software: UTF-8 with a byte order mark (so Excel reads accents),
    ";" between columns, CRLF line ends. ``header`` is escaped here; ``rows`` are lists of ready cell texts."""
    import csv
    import io

    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_text(text) for text in header])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def number_cell(sheet, value, number_format=None):
    """A write-only workbook cell holding a number or a date, in ``number_format``; None when empty."""
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    return cell


def workbook_bytes(title: str, header, rows) -> bytes:
    """An Excel workbook of one sheet (write-only, so 10,000 rows stay quick): ``header`` in bold text cells, then
    ``rows`` — each a function of the sheet returning its cells (text_cell, number_cell or plain values)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, text, font=bold) for text in header])
    for row in rows:
        sheet.append(row(sheet))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, content_type: str, name: str):
    """``content`` as a file download named ``name``."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": content_disposition_header(True, name)}
    )
