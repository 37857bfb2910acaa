"""Reading salary tables for HR's pages: every table and what it is today, one table as a grid, and what an
import would do to the organisation's tables.

Each function is a fixed number of queries, however many scales and steps there are: a grid is one query over
the table's steps (a hundred scales of forty steps at most), the list of tables one aggregated query (there is
one table a year, so it is never paged).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Placement, SalaryScale, SalaryTable, ScaleStep
from .scale_import import FileScale
from .standing import table_in_force

IN_FORCE, FUTURE, PAST = "in_force", "future", "past"


def tables(*, organization):
    """The organisation's salary tables: what views look a table id up in (another organisation's is a 404)."""
    return SalaryTable.objects.filter(organization=organization)


def scales(*, organization):
    """The organisation's scales, whichever tables they have steps in."""
    return SalaryScale.objects.filter(organization=organization)


@dataclass(frozen=True)
class TableRow:
    table: SalaryTable
    scale_count: int
    state: str  # IN_FORCE, FUTURE or PAST
    until: datetime.date | None = None  # the last day a past table applied


def salary_tables(*, organization, today: datetime.date | None = None) -> list[TableRow]:
    """Every table, newest first, with its number of scales and whether it is in force, to come or past: one query.

    The table in force is the latest one from ``today`` or earlier (pay.standing.table_in_force); an earlier one
    applied until the day before the next one's date.
    """
    today = today or timezone.localdate()
    found = (
        tables(organization=organization)
        .annotate(scale_count=Count("steps__scale", distinct=True))
        .order_by("-applies_from")
    )
    rows, next_from, in_force_seen = [], None, False
    for table in found:
        if table.applies_from > today:
            rows.append(TableRow(table, table.scale_count, FUTURE))
        elif not in_force_seen:
            rows.append(TableRow(table, table.scale_count, IN_FORCE))
            in_force_seen = True
        else:
            rows.append(TableRow(table, table.scale_count, PAST, until=next_from - datetime.timedelta(days=1)))
        next_from = table.applies_from
    return rows


@dataclass(frozen=True)
class GridRow:
    name: str
    cells: list[Decimal | None]  # one per number of Grid.numbers; None where the scale has no such step
    scale: SalaryScale | None = None
    step_count: int = 0
    action: str = ""  # in an import's preview: what happens to the scale


@dataclass(frozen=True)
class Grid:
    numbers: list[int]
    rows: list[GridRow]

    @property
    def step_count(self) -> int:
        return sum(row.step_count for row in self.rows)


def grid_of(entries: list[tuple[str, dict[int, Decimal], SalaryScale | None, str]]) -> Grid:
    """A grid of ``(name, {step: amount}, scale, action)`` entries: the step numbers any of them has, low to high."""
    numbers = sorted({number for _name, steps, _scale, _action in entries for number in steps})
    if numbers:
        numbers = list(range(numbers[0], numbers[-1] + 1))
    rows = [
        GridRow(
            name=name,
            cells=[steps.get(number) for number in numbers],
            scale=scale,
            step_count=len(steps),
            action=action,
        )
        for name, steps, scale, action in entries
    ]
    return Grid(numbers=numbers, rows=rows)


def table_grid(*, table: SalaryTable | None) -> Grid:
    """``table``'s scales in their order, each with its steps' monthly amounts: one query."""
    if table is None:
        return Grid(numbers=[], rows=[])
    found = (
        ScaleStep.objects.filter(organization_id=table.organization_id, table=table)
        .select_related("scale")
        .order_by("scale__position", "scale__name", "scale_id", "number")
    )
    by_scale: dict[int, tuple[SalaryScale, dict]] = {}
    for step in found:
        by_scale.setdefault(step.scale_id, (step.scale, {}))[1][step.number] = step.monthly_amount
    return grid_of([(scale.name, steps, scale, "") for scale, steps in by_scale.values()])


def scale_steps_in(*, table: SalaryTable, scale: SalaryScale) -> list[ScaleStep]:
    """``scale``'s steps in ``table``, from the first."""
    return list(
        ScaleStep.objects.filter(organization_id=table.organization_id, table=table, scale=scale).order_by("number")
    )


# --- people placed on steps that would go -------------------------------------------------------------------------


def people_on_steps(*, table: SalaryTable, removed: dict[int, set[int]]) -> dict[int, dict[int, int]]:
    """How many placed people stand on each of the ``removed`` steps, per scale: ``{scale_id: {step: count}}``.

    Only for a table that is or will be in force (today's, or one from a later date): the figures read
    placements against those (pay.standing); a step taken out of an earlier table moves nobody off their step.
    Two queries at most, however many scales.
    """
    removed = {scale_id: numbers for scale_id, numbers in removed.items() if numbers}
    if not removed or not in_force_or_later(organization_id=table.organization_id, applies_from=table.applies_from):
        return {}
    condition = Q()
    for scale_id, numbers in removed.items():
        condition |= Q(scale_id=scale_id, step__in=sorted(numbers))
    counts: dict[int, dict[int, int]] = {}
    found = (
        Placement.objects.filter(organization_id=table.organization_id)
        .filter(condition)
        .values_list("scale_id", "step")
        .annotate(count=Count("pk"))
        .order_by("scale_id", "step")
    )
    for scale_id, step, count in found:
        counts.setdefault(scale_id, {})[step] = count
    return counts


def in_force_or_later(*, organization_id: int, applies_from: datetime.date) -> bool:
    """A table from ``applies_from`` is in force today or will be: no table earlier than it is in force. One query."""
    in_force = table_in_force(organization_id=organization_id, on=timezone.localdate())
    return in_force is None or applies_from >= in_force.applies_from


def people_missing_from(*, organization, steps_by_scale: dict[int, set[int]]) -> dict[int, dict[int, int]]:
    """How many placed people stand on a scale and step a new table would lack: ``{scale_id: {step: count}}``.

    ``steps_by_scale`` is what the new table holds (scale id → step numbers). One query.
    """
    missing: dict[int, dict[int, int]] = {}
    found = (
        Placement.objects.filter(organization_id=organization.pk, scale__isnull=False)
        .values_list("scale_id", "step")
        .annotate(count=Count("pk"))
        .order_by("scale_id", "step")
    )
    for scale_id, step, count in found:
        if step not in steps_by_scale.get(scale_id, set()):
            missing.setdefault(scale_id, {})[step] = count
    return missing


def placed_on_missing_message(scale_name: str, steps: dict[int, int]) -> str:
    """The refusal of a new table without the steps people stand on, naming how many people and which steps."""
    count = sum(steps.values())
    numbers = ", ".join(str(step) for step in sorted(steps))
    which = ngettext("step %(numbers)s", "steps %(numbers)s", len(steps)) % {"numbers": numbers}
    return ngettext(
        "%(count)d person is placed on %(scale)s at a step this table would lack (%(steps)s). A table that is "
        "or will be in force holds every step people stand on: add it to the file.",
        "%(count)d people are placed on %(scale)s at steps this table would lack (%(steps)s). A table that is "
        "or will be in force holds every step people stand on: add them to the file.",
        count,
    ) % {"count": count, "scale": scale_name, "steps": which}


def placed_on_removed_message(scale_name: str, steps: dict[int, int]) -> str:
    """The refusal to take out steps people stand on, naming how many people and which steps."""
    count = sum(steps.values())
    numbers = ", ".join(str(step) for step in sorted(steps))
    which = ngettext("step %(numbers)s", "steps %(numbers)s", len(steps)) % {"numbers": numbers}
    values = {"count": count, "scale": scale_name, "steps": which}
    return (
        ngettext(
            "%(count)d person is placed on %(scale)s at a step that would be removed (%(steps)s) from a "
            "salary table that is or will be in force. Place them on another step first.",
            "%(count)d people are placed on %(scale)s at steps that would be removed (%(steps)s) from a "
            "salary table that is or will be in force. Place them on other steps first.",
            count,
        )
        % values
    )


# --- what an import would do ----------------------------------------------------------------------------------

NEW_SCALE, ADDED, REPLACED, UNCHANGED = "new", "added", "replaced", "unchanged"


@dataclass
class ImportPlan:
    """What applying a file's scales to the table from ``applies_from`` does, and what stands in its way."""

    applies_from: datetime.date
    table: SalaryTable | None  # None: the import creates it
    scales: list[tuple[FileScale, SalaryScale | None, str]]  # the file's scale, the scale of that name, the action
    others: int = 0  # scales of the table the file leaves as they are
    problems: list[str] = field(default_factory=list)

    def count(self, *actions) -> int:
        return sum(1 for _file, _scale, action in self.scales if action in actions)

    @property
    def step_count(self) -> int:
        return sum(len(file.amounts) for file, _scale, _action in self.scales)

    @property
    def grid(self) -> Grid:
        return grid_of([(file.name, dict(file.steps), scale, action) for file, scale, action in self.scales])

    @property
    def points(self) -> list[str]:
        """What will happen, in sentences with counts."""
        day = date_format(self.applies_from, "DATE_FORMAT")
        if self.table is None:
            return [
                _("Creates the salary table from %(date)s with %(scales)s and %(steps)s.")
                % {
                    "date": day,
                    "scales": ngettext("%(count)d scale", "%(count)d scales", len(self.scales))
                    % {"count": len(self.scales)},
                    "steps": ngettext("%(count)d step", "%(count)d steps", self.step_count)
                    % {"count": self.step_count},
                }
            ]
        points = []
        replaced, added = self.count(REPLACED, UNCHANGED), self.count(NEW_SCALE, ADDED)
        if replaced:
            points.append(
                ngettext(
                    "Replaces the steps of %(count)d scale in the salary table from %(date)s.",
                    "Replaces the steps of %(count)d scales in the salary table from %(date)s.",
                    replaced,
                )
                % {"count": replaced, "date": day}
            )
        if added:
            points.append(
                ngettext(
                    "Adds %(count)d scale to the salary table from %(date)s.",
                    "Adds %(count)d scales to the salary table from %(date)s.",
                    added,
                )
                % {"count": added, "date": day}
            )
        if self.others:
            points.append(
                ngettext(
                    "%(count)d other scale stays as it is.", "%(count)d other scales stay as they are.", self.others
                )
                % {"count": self.others}
            )
        return points


def import_plan(*, organization, applies_from: datetime.date, scales: list[FileScale]) -> ImportPlan:
    """What importing ``scales`` into the table from ``applies_from`` does: at most five queries.

    A scale is matched to the organisation's scale of the same name (case-insensitive); a file's scale replaces
    all of that scale's steps in the table. Steps that placed people stand on may not go from a table that is or
    will be in force, and a new such table holds every step people stand on.
    """
    table = tables(organization=organization).filter(applies_from=applies_from).first()
    known = {scale.name.casefold(): scale for scale in SalaryScale.objects.filter(organization=organization)}
    current: dict[int, dict[int, Decimal]] = {}
    if table is not None:
        found = ScaleStep.objects.filter(organization=organization, table=table).values_list(
            "scale_id", "number", "monthly_amount"
        )
        for scale_id, number, amount in found:
            current.setdefault(scale_id, {})[number] = amount
    planned = []
    for file in scales:
        scale = known.get(file.name.casefold())
        if scale is None:
            action = NEW_SCALE
        elif scale.pk not in current:
            action = ADDED
        else:
            action = UNCHANGED if current[scale.pk] == dict(file.steps) else REPLACED
        planned.append((file, scale, action))
    in_file = {scale.pk for _file, scale, _action in planned if scale is not None}
    plan = ImportPlan(applies_from=applies_from, table=table, scales=planned, others=len(current.keys() - in_file))
    if table is not None:
        removed = {
            scale.pk: set(current[scale.pk]) - {number for number, _amount in file.steps}
            for file, scale, action in planned
            if action == REPLACED
        }
        placed = people_on_steps(table=table, removed=removed)
        plan.problems = [
            placed_on_removed_message(scale.name, placed[scale.pk])
            for _file, scale, _action in planned
            if scale is not None and scale.pk in placed
        ]
    elif in_force_or_later(organization_id=organization.pk, applies_from=applies_from):
        # A new table that is or will be in force: everyone placed must find their step in it.
        holds = {scale.pk: {number for number, _amount in file.steps} for file, scale, _action in planned if scale}
        missing = people_missing_from(organization=organization, steps_by_scale=holds)
        names = {scale.pk: scale.name for scale in known.values()}
        plan.problems = [placed_on_missing_message(names[scale_id], steps) for scale_id, steps in missing.items()]
    return plan
