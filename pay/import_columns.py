"""The people import's scale and step columns: placing many people at once from HR's spreadsheet.

organizations never imports pay; it offers a registry of extra columns (organizations.importing.extra), which
:func:`register` fills from pay's hooks. The rule is the placements page's (services_placements): a scale of the
organisation (by name, any case) and a step it has in the salary table in force today; both or neither per row.
An empty pair leaves a person's placement as it is; a filled one creates their placement or moves it to that
scale and step (a salary outside the scales gives way, the date of the yearly step stays).

The check reads the scales, the table in force, its steps and the placements once per file (four queries), and
the apply writes in bulk (placements created and changed in batches, each in the audit trail, "through the people
import"), so a file of 10,000 people costs no query per row.
"""

import copy
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import audit
from organizations.importing import ColumnSet, ExtraColumn, RowCheck, register_columns

from .models import Placement, SalaryScale
from .money import euro
from .services_placements import NO_TABLE, step_problem
from .standing import scale_steps, table_in_force

SCALE, STEP = "scale", "step"
BATCH_SIZE = 500
SCALES_NAMED = 10  # a problem about an unknown scale names at most this many of the organisation's scales
_STEP = re.compile(r"[0-9]{1,5}")


def _key(name: str) -> str:
    """How a scale's name is compared: any case, spaces collapsed (" schaal  8" is "Schaal 8")."""
    return " ".join(name.split()).casefold()


def _step_number(text: str) -> int | None:
    return int(text) if _STEP.fullmatch(text) else None


def _described(scale_name: str, step: int | None, salary) -> str:
    if scale_name:
        return _("%(scale)s, step %(step)d") % {"scale": scale_name, "step": step}
    if salary is not None:
        return _("%(amount)s a month outside the scales") % {"amount": euro(salary)}
    return ""


def check(*, organization, people):
    """The check of each row's scale and step (organizations.importing.extra), after four queries for the file."""
    table = table_in_force(organization_id=organization.pk, on=timezone.localdate())
    steps = scale_steps(table=table)
    scales = list(SalaryScale.objects.filter(organization=organization).order_by("position", "name"))
    by_name = {_key(scale.name): scale for scale in scales}
    placements = {
        placement.employee_id: placement
        for placement in Placement.objects.filter(organization=organization).select_related("scale")
    }
    named = ", ".join(scale.name for scale in scales[:SCALES_NAMED]) + (", …" if len(scales) > SCALES_NAMED else "")

    def check_row(values: dict[str, str], employee) -> RowCheck:
        scale_text, step_text = values.get(SCALE, ""), values.get(STEP, "")
        if not scale_text and not step_text:
            return RowCheck()
        if not scale_text or not step_text:
            return RowCheck(problems=[_("Give both the scale and the step, or leave both empty.")])
        problems = []
        scale = by_name.get(_key(scale_text))
        if scale is None:
            if scales:
                problems.append(
                    _("“%(value)s” is not a salary scale of this organisation; the scales are: %(scales)s.")
                    % {"value": scale_text, "scales": named}
                )
            else:
                problems.append(
                    _("“%(value)s” is not a salary scale of this organisation; there are no scales yet.")
                    % {"value": scale_text}
                )
        step = _step_number(step_text)
        if step is None:
            problems.append(_("The step “%(value)s” is not a whole number, such as 3.") % {"value": step_text})
        if problems:
            return RowCheck(problems=problems)
        if table is None:
            return RowCheck(problems=[str(NO_TABLE)])
        problem = step_problem(scale_name=scale.name, step=step, steps=steps.get(scale.pk, {}))
        if problem:
            return RowCheck(problems=[problem])
        current = placements.get(employee.pk) if employee is not None else None
        if current is not None and (current.scale_id, current.step) == (scale.pk, step):
            return RowCheck()
        old = _described(current.scale.name, current.step, None) if current and current.on_scale else ""
        if current is not None and not current.on_scale:
            old = _described("", None, current.monthly_salary)
        return RowCheck(changes=[(_("Salary scale and step"), old, _described(scale.name, step, None))])

    return check_row


def apply(*, organization, rows: dict) -> None:
    """Place each row's person on its scale and step (rows already checked, in the import's transaction)."""
    wanted = {employee: values for employee, values in rows.items() if values.get(SCALE) and values.get(STEP)}
    if not wanted:
        return
    by_name = {_key(scale.name): scale for scale in SalaryScale.objects.filter(organization=organization)}
    existing = {placement.employee_id: placement for placement in Placement.objects.filter(organization=organization)}
    now = timezone.now()
    new, changed, audited = [], [], []
    for employee, values in wanted.items():
        scale, step = by_name[_key(values[SCALE])], int(values[STEP])
        current = existing.get(employee.pk)
        if current is None:
            new.append(Placement(organization=organization, employee=employee, scale=scale, step=step, updated_at=now))
        elif (current.scale_id, current.step, current.monthly_salary) != (scale.pk, step, None):
            before = copy.copy(current)
            current.scale_id, current.step, current.monthly_salary, current.updated_at = scale.pk, step, None, now
            changed.append(current)
            audited.append((before, {"scale_id": scale.pk, "step": step, "monthly_salary": None}))
    created = Placement.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if created and created[0].pk is None:  # a database that cannot return new keys (SQLite < 3.35)
        ids = [placement.employee_id for placement in created]
        created = list(Placement.objects.filter(organization=organization, employee_id__in=ids))
    audit.record_creates(created, via="people_import")
    Placement.objects.bulk_update(changed, ["scale", "step", "monthly_salary", "updated_at"], batch_size=BATCH_SIZE)
    audit.record_updates(audited, via="people_import")


COLUMN_SET = ColumnSet(
    name="pay",
    columns=(
        ExtraColumn(
            name=SCALE,
            headers=("schaal", "salarisschaal", "salary_scale"),
            label=gettext_lazy("Salary scale"),
            help=gettext_lazy(
                "Salary scale, by its name (schaal and salarisschaal work too), together with the step. Both "
                "empty keeps the person's placement as it is."
            ),
        ),
        ExtraColumn(
            name=STEP,
            headers=("trede",),
            label=gettext_lazy("Step"),
            help=gettext_lazy(
                "Step on that scale (trede works too): a step the scale has in the salary table in force today."
            ),
        ),
    ),
    check=check,
    apply=apply,
)


def register() -> None:
    """Add the scale and step columns to the people import (pay.hooks.register calls it; harmless twice)."""
    register_columns(COLUMN_SET)
