"""Audit entries as people read them: field labels, old and new values, names instead of ids, in their language.

``readable`` turns one page of AuditEntry rows into HistoryEntry objects for
templates/_history.html. It runs a fixed number of queries whatever the number of
entries: one per kind of related row the page mentions (the managers and teams of
a person's history: two), plus one for actors known only by their login. Labels
and values are translated when the page renders (the active language), not when
the change was written; only ``object_repr`` and the names in a many-to-many
change are kept as they read then, unless the model names its rows itself: a model
with a classmethod ``history_names(pks) -> {pk: name}`` is named again in the
reader's language, one query per such model on the page (reviews' ratings and
observations, whose names are an expectation's title and a date).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .audit import REASONS
from .audit_models import AuditEntry
from .models import Employee, Organization

LONGEST_VALUE = 300  # characters of a text value shown; the rest is cut with "…"
EMPTY = "—"

ACTIONS = {
    AuditEntry.Action.CREATE: ("created", _("Added")),
    AuditEntry.Action.UPDATE: ("changed", _("Changed")),
    AuditEntry.Action.DELETE: ("deleted", _("Removed")),
}


@dataclass
class Change:
    """One field of one entry: its label and either the old and new value or, for a set, what joined and left."""

    label: str
    old: str = EMPTY
    new: str = EMPTY
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class HistoryEntry:
    when: datetime.datetime
    action: str  # "created", "changed" or "deleted": what the template shows for the changes
    action_label: str
    actor: str
    kind: str  # what sort of thing changed ("Employee"), for lists that mix several
    subject: str  # which one, as it was called then
    reason: str
    changes: list[Change]


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_reference(model_field) -> bool:
    return model_field is not None and (model_field.many_to_one or model_field.one_to_one)


def _names(entries, organization: Organization) -> dict:
    """{(related model, pk): its name now} for every reference the entries hold, one query per related model."""
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            model_field = _field(model, name)
            if _is_reference(model_field) and isinstance(values, list | tuple):
                wanted[model_field.related_model].update(value for value in values if value is not None)
    names = {}
    for related, pks in wanted.items():
        rows = related._default_manager.filter(pk__in=pks)
        if _field(related, "organization") is not None:
            rows = rows.filter(organization=organization)
        names.update(((related, row.pk), str(row)) for row in rows)
    return names


def _actors(entries, organization: Organization) -> dict:
    """{login id: name in this organisation} for entries that stored only the login."""
    logins = {entry.actor_id for entry in entries if entry.actor_employee_id is None and entry.actor_id is not None}
    if not logins:
        return {}
    people = Employee.objects.filter(organization=organization, user_id__in=logins).only(
        "user_id", "first_name", "last_name"
    )
    return {person.user_id: person.full_name for person in people}


def _parsed(model_field, value):
    """The stored text of a date, time or moment as the Python value (auditlog keeps moments as naive UTC)."""
    if isinstance(model_field, models.DateTimeField):
        moment = datetime.datetime.fromisoformat(value)
        return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
    if isinstance(model_field, models.DateField):
        return datetime.date.fromisoformat(value)
    return datetime.time.fromisoformat(value)


def _shown(model_field, value, names) -> str:
    if value is None or value == "":
        return EMPTY
    if model_field is None:
        return Truncator(str(value)).chars(LONGEST_VALUE)
    if _is_reference(model_field):
        return names.get((model_field.related_model, value), gettext("(deleted)"))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        yes, no, _maybe = gettext("yes,no,maybe").split(",")  # Django's own catalogue translates these
        return yes if value else no
    if isinstance(model_field, models.DateField | models.TimeField):
        try:
            parsed = _parsed(model_field, value)
        except (TypeError, ValueError):
            return str(value)
        if isinstance(model_field, models.DateTimeField):
            return formats.date_format(timezone.localtime(parsed), "DATETIME_FORMAT")  # in the organisation's zone
        if isinstance(model_field, models.DateField):
            return formats.date_format(parsed, "DATE_FORMAT")
        return formats.time_format(parsed, "TIME_FORMAT")
    return Truncator(str(value)).chars(LONGEST_VALUE)


def _own_names(entries) -> dict:
    """{(model, pk): name} for the rows of models that name themselves (``history_names``): subjects and m2m rows."""
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        if model is not None and hasattr(model, "history_names") and entry.object_id is not None:
            wanted[model].add(entry.object_id)
        for name, values in (entry.changes or {}).items():
            if isinstance(values, dict) and values.get("type") == "m2m" and values.get("pks"):
                related = getattr(_field(model, name), "related_model", None)
                if related is not None and hasattr(related, "history_names"):
                    wanted[related].update(values["pks"])
    return {(model, pk): name for model, pks in wanted.items() for pk, name in model.history_names(pks).items()}


def _changes(entry, model, action, names, own_names=None) -> list[Change]:
    if action == "deleted":
        return []
    changes = []
    position = (
        {model_field.name: number for number, model_field in enumerate(model._meta.get_fields())} if model else {}
    )
    for name, values in sorted((entry.changes or {}).items(), key=lambda item: position.get(item[0], len(position))):
        model_field = _field(model, name)
        label = capfirst(model_field.verbose_name) if model_field is not None else name
        if isinstance(values, dict) and values.get("type") == "m2m":
            objects = [str(value) for value in values.get("objects", [])]
            related = getattr(model_field, "related_model", None)
            if own_names and values.get("pks") and len(values["pks"]) == len(objects):
                objects = [
                    own_names.get((related, pk), shown) for pk, shown in zip(values["pks"], objects, strict=True)
                ]
            side = "added" if values.get("operation") == "add" else "removed"
            changes.append(Change(label=label, **{side: objects}))
            continue
        old, new = (list(values) + [None, None])[:2]
        if action == "created" and (new is None or new == ""):
            continue
        changes.append(Change(label=label, old=_shown(model_field, old, names), new=_shown(model_field, new, names)))
    return changes


def _reason(data) -> str:
    if not isinstance(data, dict) or data.get("via") not in REASONS:
        return ""
    text = REASONS[data["via"]]
    return text(data) if callable(text) else str(text)


def readable(entries, *, organization: Organization) -> list[HistoryEntry]:
    """``entries`` (AuditEntry rows with ``content_type`` and ``actor_employee`` fetched) as HistoryEntry objects."""
    entries = list(entries)
    names = _names(entries, organization)
    actors = _actors(entries, organization)
    own_names = _own_names(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        action, action_label = ACTIONS.get(entry.action, ("changed", _("Changed")))
        if entry.actor_employee is not None:
            actor = entry.actor_employee.full_name
        elif entry.actor_id is not None:
            actor = actors.get(entry.actor_id) or gettext("someone outside this organisation")
        else:
            actor = gettext("Helder (automatic)")
        rows.append(
            HistoryEntry(
                when=entry.timestamp,
                action=action,
                action_label=str(action_label),
                actor=actor,
                kind=capfirst(model._meta.verbose_name) if model is not None else "",
                subject=own_names.get((model, entry.object_id), entry.object_repr),
                reason=_reason(entry.additional_data),
                changes=_changes(entry, model, action, names, own_names),
            )
        )
    return rows
