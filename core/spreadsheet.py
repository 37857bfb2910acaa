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
