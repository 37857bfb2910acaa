"""HR's changes to the salary tables: a new table (empty or a copy), one scale's steps, an imported file.

Every service validates everything before it writes and runs in one transaction, so a refusal leaves nothing
half-saved, and raises ValidationError (a dict when the refusal is about fields). The invariants they protect:

- one table per date, within five years of today (cycles.bounds);
- a scale's name is the organisation's, shared by every table, unique whatever its case;
- in each table a scale's steps run from 0 or 1 without a gap, at most MAX_STEPS of them, each a positive
  monthly amount that pays no less than the step below;
- no step is taken out of a table that is or will be in force while a placed person stands on it (Placement.scale
  and step), and a new such table from an import holds every step people stand on.

Steps are changed by difference (pay.selectors_scales sees the same rows): a step whose amount changes is
updated, a step no longer there deleted, a new one created, so the audit trail shows what changed, not a
table deleted and made anew. auditlog sees the deletes; the bulk updates and creates are recorded here.
Saving the same content twice changes nothing the second time.
"""

from collections.abc import Sequence
from contextlib import nullcontext
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cycles import bounds
from organizations import audit

from . import selectors_scales as selectors
from .models import SalaryScale, SalaryTable, ScaleStep
from .scale_import import MAX_MONTHLY, MAX_SCALES, MAX_STEPS, NAME_LENGTH, FileScale


def _concurrent() -> ValidationError:
    return ValidationError(_("Someone changed the salary scales at the same time. Look at them again and retry."))


def _reach_errors(applies_from) -> dict[str, str]:
    earliest, latest = bounds.reach()
    if applies_from is None or not earliest <= applies_from <= latest:
        return {"applies_from": bounds.reach_message(earliest, latest)}
    return {}


def date_errors(*, organization, applies_from) -> dict[str, str]:
    """A new table's date is within reach (five years either side of today) and has no table yet."""
    errors = _reach_errors(applies_from)
    if not errors and selectors.tables(organization=organization).filter(applies_from=applies_from).exists():
        errors["applies_from"] = _("There are already salary scales from this date.")
    return errors


def step_errors(*, first_step: int, amounts: Sequence[Decimal]) -> list[str]:
    """What is wrong with a scale's steps (the forms show each at its row; this is the services' own check)."""
    if first_step not in (0, 1):
        return [_("The first step is 0 or 1.")]
    if not amounts:
        return [_("A scale has at least one step.")]
    if len(amounts) > MAX_STEPS:
        return [_("A scale has at most %(limit)d steps.") % {"limit": MAX_STEPS}]
    for index, amount in enumerate(amounts):
        if not _is_monthly_amount(amount):
            return [_("Step %(step)d needs a monthly amount above zero.") % {"step": first_step + index}]
        if index and amount < amounts[index - 1]:
            return [
                _("Step %(step)d pays less than step %(below)d.")
                % {"step": first_step + index, "below": first_step + index - 1}
            ]
    return []


def _is_monthly_amount(amount) -> bool:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return False
    return 0 < amount <= MAX_MONTHLY and amount == round(amount, 2)


def clean_name(name: str) -> str:
    return " ".join(str(name or "").split())


def _name_errors(name: str) -> list[str]:
    if not name:
        return [_("Give the scale a name.")]
    if len(name) > NAME_LENGTH:
        return [_("A scale's name has at most %(limit)d characters.") % {"limit": NAME_LENGTH}]
    return []


@transaction.atomic
def table_create(*, organization, applies_from, copy_from: SalaryTable | None = None) -> SalaryTable:
    """A new salary table from ``applies_from``; with ``copy_from``, every scale's steps of that table copied.

    How HR makes next year's table: earlier tables are kept, so a figure can always be traced to its amounts.
    Refused for a date that has a table already, so running it twice makes one table.
    """
    errors = date_errors(organization=organization, applies_from=applies_from)
    if copy_from is not None and copy_from.organization_id != organization.pk:
        errors["copy_from"] = _("Choose one of the salary tables in the list.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            table = SalaryTable.objects.create(organization=organization, applies_from=applies_from)
    except IntegrityError:  # a second request made it between the check and here
        raise ValidationError({"applies_from": _("There are already salary scales from this date.")}) from None
    if copy_from is not None:
        copies = [
            ScaleStep(
                organization=organization,
                table=table,
                scale_id=step.scale_id,
                number=step.number,
                monthly_amount=step.monthly_amount,
            )
            for step in ScaleStep.objects.filter(organization=organization, table=copy_from)
        ]
        audit.record_creates(ScaleStep.objects.bulk_create(copies))
    return table


def _next_position(organization) -> int:
    highest = selectors.scales(organization=organization).aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _replace_steps(table: SalaryTable, wanted: dict[int, tuple[int, Sequence[Decimal]]]) -> None:
    """Make each scale's steps in ``table`` those of ``wanted`` (``{scale_id: (first_step, amounts)}``).

    A fixed number of queries for any number of scales, plus auditlog's entry per deleted step.
    """
    existing = {
        (step.scale_id, step.number): step
        for step in ScaleStep.objects.filter(organization_id=table.organization_id, table=table, scale_id__in=wanted)
    }
    keep, updates, creates = set(), [], []
    for scale_id, (first_step, amounts) in wanted.items():
        for index, amount in enumerate(amounts):
            key = (scale_id, first_step + index)
            keep.add(key)
            step = existing.get(key)
            if step is None:
                creates.append(
                    ScaleStep(
                        organization_id=table.organization_id,
                        table=table,
                        scale_id=scale_id,
                        number=key[1],
                        monthly_amount=amount,
                    )
                )
            elif step.monthly_amount != amount:
                updates.append((step, amount))
    gone = [step.pk for key, step in existing.items() if key not in keep]
    if gone:
        ScaleStep.objects.filter(pk__in=gone).delete()  # one by one for auditlog, in one DELETE
    if updates:
        audit.record_updates([(step, {"monthly_amount": amount}) for step, amount in updates])
        for step, amount in updates:
            step.monthly_amount = amount
        ScaleStep.objects.bulk_update([step for step, _amount in updates], ["monthly_amount"])
    if creates:
        audit.record_creates(ScaleStep.objects.bulk_create(creates))


@transaction.atomic
def scale_save(
    *, table: SalaryTable, scale: SalaryScale | None, name: str, first_step: int, amounts: Sequence[Decimal]
) -> SalaryScale:
    """Name ``scale`` (None: a new scale in ``table``) and make its steps in ``table`` ``amounts`` from ``first_step``.

    A new scale with the name of one the organisation has already (in another table) is that scale, added to
    this table. Steps that people placed on the scale stand on are not taken out of the table in force.
    """
    organization = table.organization
    name = clean_name(name)
    errors: dict[str, list[str]] = {}
    if name_errors := _name_errors(name):
        errors["name"] = name_errors
    else:
        same_name = selectors.scales(organization=organization).filter(name__iexact=name)
        if scale is not None:
            if same_name.exclude(pk=scale.pk).exists():
                errors["name"] = [_("There is already a scale with this name.")]
        else:
            scale = same_name.first()
            if (
                scale is not None
                and ScaleStep.objects.filter(organization=organization, table=table, scale=scale).exists()
            ):
                errors["name"] = [_("This salary table has a scale with this name already; change its steps there.")]
    if steps := step_errors(first_step=first_step, amounts=amounts):
        errors["steps"] = steps
    if errors:
        raise ValidationError(errors)
    if scale is not None and scale.pk is not None:
        kept = {first_step + index for index in range(len(amounts))}
        now = {step.number for step in selectors.scale_steps_in(table=table, scale=scale)}
        placed = selectors.people_on_steps(table=table, removed={scale.pk: now - kept})
        if placed:
            raise ValidationError({"steps": [selectors.placed_on_removed_message(scale.name, placed[scale.pk])]})
    try:
        with transaction.atomic():
            if scale is None:
                scale = SalaryScale.objects.create(
                    organization=organization, name=name, position=_next_position(organization)
                )
            elif scale.name != name:
                scale.name = name
                scale.save(update_fields=["name"])
            _replace_steps(table, {scale.pk: (first_step, list(amounts))})
    except IntegrityError:
        raise _concurrent() from None
    return scale


@transaction.atomic
def import_apply(*, organization, applies_from, scales: Sequence[FileScale], actor=None) -> selectors.ImportPlan:
    """Apply a checked file: the table from ``applies_from`` (made when there is none) gets each scale's steps.

    Scales of the table that the file leaves out stay as they are; a scale new to the organisation is made,
    after the others in their order. Everything the preview checked is checked again here, at apply time (the
    file arrives signed, but the tables may have changed since): all of it is applied, or nothing. Applying the
    same file twice changes nothing the second time. Returns the plan that was carried out, with its table.
    """
    errors = _reach_errors(applies_from)
    problems = []
    if not scales or len(scales) > MAX_SCALES:
        problems.append(_("A file has 1 to %(limit)d scales.") % {"limit": MAX_SCALES})
    names = set()
    for file in scales:
        name = clean_name(file.name)
        for message in _name_errors(name) + step_errors(first_step=file.first_step, amounts=file.amounts):
            problems.append(f"{name}: {message}" if name else message)
        if name.casefold() in names:
            problems.append(_("%(scale)s appears twice.") % {"scale": name})
        names.add(name.casefold())
    if errors or problems:
        raise ValidationError({**errors, **({"file": problems} if problems else {})})
    scales = [
        FileScale(name=clean_name(file.name), first_step=file.first_step, amounts=file.amounts) for file in scales
    ]
    plan = selectors.import_plan(organization=organization, applies_from=applies_from, scales=scales)
    if plan.problems:
        raise ValidationError({"file": plan.problems})
    try:
        with transaction.atomic(), audit.acting_as(actor) if actor is not None else nullcontext():
            if plan.table is None:
                plan.table = SalaryTable.objects.create(organization=organization, applies_from=applies_from)
            new = [file for file, scale, _action in plan.scales if scale is None]
            if new:
                position = _next_position(organization)
                made = SalaryScale.objects.bulk_create(
                    SalaryScale(organization=organization, name=file.name, position=position + index)
                    for index, file in enumerate(new)
                )
                audit.record_creates(made)
                by_name = {scale.name: scale for scale in made}
                plan.scales = [(file, scale or by_name[file.name], action) for file, scale, action in plan.scales]
            _replace_steps(
                plan.table, {scale.pk: (file.first_step, file.amounts) for file, scale, _action in plan.scales}
            )
    except IntegrityError:
        raise _concurrent() from None
    return plan
