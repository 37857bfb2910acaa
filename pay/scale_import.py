"""Reading an uploaded salary table (CSV or Excel) into scales with their steps, and checking it. No database.

Two layouts, told apart by the first line (case-insensitive, Dutch or English words):

- long: columns ``scale``/``schaal``, ``step``/``trede`` and ``amount``/``bedrag``/``maandbedrag``, one row per
  step; other columns are ignored;
- wide: the first column ``scale``/``schaal``, every other column a step number (``0``, ``1``… or ``trede 1``),
  one row per scale. A scale may leave its first columns empty (a scale from step 1 in a file from step 0)
  and its last ones (a shorter scale).

The file's bytes become numbered rows of cells in pay.scale_files (workbook or CSV, told apart by content).
A text cell that looks like a formula (``=A1*2``) is just text, so it is no amount.

Amounts in text are read by :func:`pay.amounts.parse_amount`; a file whose amounts show both the Dutch and the
English decimal mark is refused, naming a row of each, since "3.250" means something else in each.

What is wrong with the file as a whole (too large, unreadable, no usable first line) raises
:class:`ScaleFileError`; what is wrong with a row is a :class:`Problem` with its row number, so the preview shows
them all at once.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .amounts import amount_style, parse_amount
from .models import AMOUNT_DIGITS, SalaryScale
from .money import euro
from .scale_files import (  # noqa: F401 - MAX_BYTES: the upload form's limit, read here by callers
    MAX_BYTES,
    MAX_SCALES,
    MAX_STEPS,
    Cell,
    Record,
    ScaleFileError,
    cell_text,
    file_records,
)

MAX_MONTHLY = Decimal(10 ** (AMOUNT_DIGITS - 2)) - Decimal("0.01")  # what ScaleStep.monthly_amount holds
NAME_LENGTH = SalaryScale._meta.get_field("name").max_length

SCALE_WORDS = {"scale", "schaal", "salarisschaal", "salary scale"}
STEP_WORDS = {"step", "trede", "periodiek"}
AMOUNT_WORDS = {"amount", "bedrag", "maandbedrag", "monthly amount"}
STEP_HEADER = re.compile(r"(?:step|trede|periodiek)?\s*(\d{1,3})", re.IGNORECASE)


@dataclass(frozen=True)
class FileScale:
    """One scale of the file: its name, its first step (0 or 1) and the monthly amounts from there on."""

    name: str
    first_step: int
    amounts: tuple[Decimal, ...]
    line: int = 0

    @property
    def steps(self) -> list[tuple[int, Decimal]]:
        return [(self.first_step + index, amount) for index, amount in enumerate(self.amounts)]


@dataclass(frozen=True)
class Problem:
    line: int | None  # None: about the file as a whole
    message: str


@dataclass
class ScaleFile:
    layout: str  # "long" or "wide"
    scales: list[FileScale] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- reading the bytes ------------------------------------------------------------------------------------------


def read_scale_file(raw: bytes) -> ScaleFile:
    """The scales in an uploaded file and its row problems; ScaleFileError (nothing else) for an unusable file."""
    if len(raw) > MAX_BYTES:
        raise ScaleFileError(_("This file is larger than 1 MB; a salary table is much smaller."), code="too_large")
    records = file_records(raw)
    records = iter(records)
    header = next(records, None)
    if header is None:
        raise ScaleFileError(_("This file is empty."), code="empty")
    words = [cell_text(cell).lower() for cell in header[1]]
    if any(word in STEP_WORDS for word in words) and any(word in AMOUNT_WORDS for word in words):
        result = _read_long(words, records)
    elif words and words[0] in SCALE_WORDS and len(words) > 1:
        result = _read_wide(header, records)
    else:
        raise ScaleFileError(
            _(
                "The first line must name the columns: scale, step and amount (one row per step), or scale "
                "followed by the step numbers (one row per scale). The first line now holds: %(found)s."
            )
            % {"found": ", ".join(word[:40] for word in words[:8] if word) or "—"},
            code="missing_columns",
        )
    if not result.scales and not result.problems:
        raise ScaleFileError(_("This file has a first line but no scales under it."), code="no_rows")
    if len(result.scales) > MAX_SCALES:
        raise ScaleFileError(
            _("This file has more than %(limit)d scales.") % {"limit": MAX_SCALES}, code="too_many_scales"
        )
    return result


# --- reading the rows -------------------------------------------------------------------------------------------


class _Reader:
    """What both layouts share: reading amounts (noting each style's first row) and checking a scale's steps."""

    def __init__(self, layout: str):
        self.file = ScaleFile(layout=layout)
        self.styles: dict[str, tuple[int, str]] = {}

    def problem(self, line: int | None, message: str) -> None:
        self.file.problems.append(Problem(line, message))

    def amount(self, line: int, cell: Cell) -> Decimal | None:
        """The amount in ``cell``, or None after noting the problem."""
        text = cell_text(cell)
        if not text:
            self.problem(line, _("The amount is empty."))
            return None
        try:
            value = parse_amount(cell) if isinstance(cell, Decimal) else parse_amount(text)
        except ValidationError as error:
            if error.code == "too_large":
                value = MAX_MONTHLY + 1
            else:
                self.problem(
                    line, _("“%(value)s” is no amount: %(reason)s") % {"value": text[:40], "reason": error.messages[0]}
                )
                return None
        if value > MAX_MONTHLY:
            self.problem(line, _("“%(value)s” is more than a monthly amount can be.") % {"value": text[:40]})
            return None
        if value == 0:
            self.problem(line, _("A step pays more than nothing: the amount cannot be 0."))
            return None
        style = None if isinstance(cell, Decimal) else amount_style(text)
        if style:
            self.styles.setdefault(style, (line, text))
        return value

    def name(self, line: int, cell: Cell) -> str | None:
        name = " ".join(cell_text(cell).split())
        if not name:
            self.problem(line, _("The scale has no name."))
            return None
        if len(name) > NAME_LENGTH:
            self.problem(line, _("A scale's name has at most %(limit)d characters.") % {"limit": NAME_LENGTH})
            return None
        return name

    def add(self, name: str, line: int, steps: list[tuple[int, int, Decimal]]) -> None:
        """Check one scale's ``(row, step, amount)`` in the file's order; keep it when all is well."""
        seen: dict[int, int] = {}
        problems = len(self.file.problems)
        previous = None
        for row, number, amount in steps:
            values = {"scale": name, "step": number, "row": row}
            if number in seen:
                values["first"] = seen[number]
                self.problem(row, _("Step %(step)d of %(scale)s appears twice (rows %(first)d and %(row)d).") % values)
            elif previous is None and number not in (0, 1):
                self.problem(row, _("%(scale)s starts at step %(step)d; the first step is 0 or 1.") % values)
            elif previous is not None and number < previous[0]:
                values["previous"] = previous[0]
                self.problem(
                    row,
                    _("Steps out of order: step %(step)d of %(scale)s comes after step %(previous)d.") % values,
                )
            elif previous is not None and number > previous[0] + 1:
                values.update(previous=previous[0], missing=previous[0] + 1)
                self.problem(
                    row,
                    _("%(scale)s has no step %(missing)d: after step %(previous)d comes step %(step)d.") % values,
                )
            elif previous is not None and amount < previous[1]:
                values.update(previous=previous[0], amount=euro(amount), below=euro(previous[1]))
                self.problem(
                    row,
                    _("Step %(step)d of %(scale)s (%(amount)s) pays less than step %(previous)d (%(below)s).") % values,
                )
            seen.setdefault(number, row)
            previous = (number, amount)
        if len(steps) > MAX_STEPS:
            values = {"scale": name, "limit": MAX_STEPS}
            self.problem(steps[MAX_STEPS][0], _("%(scale)s has more than %(limit)d steps.") % values)
        if len(self.file.problems) == problems and steps:
            amounts = tuple(amount for _row, _number, amount in steps)
            self.file.scales.append(FileScale(name=name, first_step=steps[0][1], amounts=amounts, line=steps[0][0]))

    def done(self) -> ScaleFile:
        if len(self.styles) > 1:
            (nl_line, nl), (en_line, en) = self.styles["nl"], self.styles["en"]
            self.problem(
                None,
                _(
                    "This file writes amounts in two ways: row %(nl_line)d the Dutch way (%(nl)s, with a decimal "
                    "comma), row %(en_line)d the English way (%(en)s, with a decimal point). Use one way in the "
                    "whole file."
                )
                % {"nl_line": nl_line, "nl": nl[:40], "en_line": en_line, "en": en[:40]},
            )
        self.file.problems.sort(key=lambda problem: problem.line or 0)
        return self.file


def _step_number(cell: Cell) -> int | None:
    if isinstance(cell, Decimal):
        return int(cell) if cell == cell.to_integral_value() and 0 <= cell < 1000 else None
    text = cell_text(cell)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None


def _read_long(words: list[str], records) -> ScaleFile:
    reader = _Reader("long")
    positions = {}
    for kind, known in (("scale", SCALE_WORDS), ("step", STEP_WORDS), ("amount", AMOUNT_WORDS)):
        found = [index for index, word in enumerate(words) if word in known]
        if len(found) > 1:
            raise ScaleFileError(
                _("The column %(column)s appears twice in the first line.") % {"column": words[found[1]]},
                code="duplicate_column",
            )
        if not found:
            raise ScaleFileError(
                _("The first line names a step and an amount column, but no scale (or schaal) column."),
                code="missing_columns",
            )
        positions[kind] = found[0]
    scales: dict[str, tuple[str, list]] = {}
    for line, cells in records:
        cell = {kind: cells[index] if index < len(cells) else "" for kind, index in positions.items()}
        name = reader.name(line, cell["scale"])
        number = _step_number(cell["step"])
        if number is None:
            step_text = cell_text(cell["step"])[:40]
            reader.problem(
                line,
                _("“%(value)s” is no step number; use a whole number such as 0, 1 or 2.") % {"value": step_text}
                if step_text
                else _("The step number is empty."),
            )
        amount = reader.amount(line, cell["amount"])
        if name is None or number is None or amount is None:
            continue
        scales.setdefault(name.casefold(), (name, []))[1].append((line, number, amount))
    for name, steps in scales.values():
        reader.add(name, steps[0][0], steps)
    return reader.done()


def _read_wide(header: Record, records) -> ScaleFile:
    reader = _Reader("wide")
    columns: list[tuple[int, int]] = []  # (cell index, step number)
    for index, cell in enumerate(header[1][1:], start=1):
        text = cell_text(cell)
        if not text:
            continue
        match = STEP_HEADER.fullmatch(text)
        if match is None:
            raise ScaleFileError(
                _(
                    "The column “%(column)s” is not a step number. With one row per scale, the first column "
                    "names the scale and every other column is a step number (0, 1, 2 …)."
                )
                % {"column": text[:40]},
                code="not_a_step",
            )
        columns.append((index, int(match[1])))
    numbers = [number for _index, number in columns]
    if not numbers:
        raise ScaleFileError(
            _("The first line names the scale column, but no step numbers beside it."), code="missing_columns"
        )
    if len(numbers) > MAX_STEPS:
        raise ScaleFileError(_("This file has more than %(limit)d steps.") % {"limit": MAX_STEPS}, code="too_wide")
    if numbers[0] not in (0, 1) or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        raise ScaleFileError(
            _("The step numbers in the first line must follow each other from 0 or 1 (0, 1, 2 …); now: %(found)s.")
            % {"found": ", ".join(map(str, numbers[:12]))},
            code="step_columns",
        )
    named = {index for index, _number in columns}
    seen: dict[str, int] = {}
    for line, cells in records:
        name = reader.name(line, cells[0] if cells else "")
        if any(cell_text(cell) for index, cell in enumerate(cells) if index and index not in named):
            reader.problem(line, _("This row has a value in a column without a step number."))
        filled = [(number, cells[index]) for index, number in columns if index < len(cells) and cell_text(cells[index])]
        if name is None:
            continue
        if name.casefold() in seen:
            reader.problem(
                line,
                _("%(scale)s appears twice (rows %(first)d and %(row)d).")
                % {"scale": name, "first": seen[name.casefold()], "row": line},
            )
            continue
        seen[name.casefold()] = line
        if not filled:
            reader.problem(line, _("%(scale)s has no amounts.") % {"scale": name})
            continue
        steps = []
        for number, cell in filled:
            amount = reader.amount(line, cell)
            if amount is not None:
                steps.append((line, number, amount))
        if len(steps) == len(filled):
            reader.add(name, line, steps)
    return reader.done()
