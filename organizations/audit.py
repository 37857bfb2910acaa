"""The audit trail: which changes are recorded, by whom, and how to record what django-auditlog cannot see.

What is recorded. Each app registers its models in its ``AppConfig.ready`` with
:func:`register`, naming the fields to log (a whitelist, so that a column added
later, a token say, stays out of the trail until someone chooses to log it):
people (Employee: name, job title, role, team, manager, active, joined), expectations
and their versions (with the teams of their audience), cycles (with their teams),
moments, conversations and reminder rules. Secrets are in none of these models
(invitation token hashes, calendar feed tokens, passwords, uploaded files live in
models that are not registered) and timestamps that merely repeat the entry's own
time are left out. Entries are ``AuditEntry`` rows (organizations.audit_models):
scoped, filed under the changed row's organisation.

Who did it. :class:`AuditMiddleware` makes the request the acting context, so an
entry written while the door (organizations.tenancy) has set ``request.employee``
names that membership, at no cost; a task or command that acts for someone wraps
its work in :func:`acting_as`. Changes with no one behind them (a task of Helder's
own) have no actor and read as Helder's.

What auditlog cannot see. auditlog listens to ``save()``, ``delete()`` and
many-to-many signals; a conditional ``.update()`` (the state moves of core.states),
``bulk_create`` and ``bulk_update`` pass it by. Services record those themselves,
in their own transaction:

- a conditional update of one row that succeeded: :func:`record_update` with the
  instance as it was loaded and the values written (one entry, one INSERT);
- bulk changes that each person's history must show (the people import, members
  of a deleted team losing it): :func:`record_creates` / :func:`record_updates`,
  one entry per row, inserted in batches (one INSERT per 500 rows), with ``via``
  saying what caused them;
- bulk work derived from one decision (a cycle's activation creating a
  conversation per person per moment): one entry on the deciding row, with the
  count (``record_update(cycle, status=..., via="cycle_activation", count=n)``),
  not one per created row. Activating 10,000 people thus costs one INSERT more,
  and a conversation's history starts at its first change.

Reminders (rows the planner materialises and the dispatcher sends) keep their own
status and are not in the trail.
"""

import copy
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from auditlog.diff import model_instance_diff
from auditlog.receivers import log_delete
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete
from django.utils.encoding import smart_str
from django.utils.translation import gettext_lazy as _

from .audit_models import AuditEntry, organization_id_of
from .models import Employee, Organization

BATCH = 500

# --- who acts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acting:
    """Who is acting outside a request: a login and, when known, their membership."""

    user_id: int | None
    employee: Employee | None = None


# The request being served (whose ``employee`` the door sets later), or an Acting; None outside both.
_acting = ContextVar("helder_audit_acting", default=None)


def acting(organization_id: int) -> tuple[int | None, Employee | None]:
    """The acting login's id and the acting membership in ``organization_id`` (None when not at hand)."""
    source = _acting.get()
    if source is None:
        return None, None
    if isinstance(source, Acting):
        user_id, employee = source.user_id, source.employee
    else:
        user = getattr(source, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        employee = getattr(source, "employee", None)
    if employee is not None and employee.organization_id != organization_id:
        employee = None
    return user_id, employee


@contextmanager
def acting_as(employee: Employee | None):
    """Record the changes made inside the block as ``employee``'s (a task or command acting for someone)."""
    token = _acting.set(Acting(user_id=employee.user_id, employee=employee) if employee else Acting(user_id=None))
    try:
        yield
    finally:
        _acting.reset(token)


class AuditMiddleware:
    """Make the request the acting context of the changes it makes.

    Used instead of auditlog's AuditlogMiddleware, which stores only the login (through a signal receiver it
    connects and disconnects on every request) and the client's address and port, which Helder does not keep.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _acting.set(request)
        try:
            return self.get_response(request)
        finally:
            _acting.reset(token)


# --- what is recorded --------------------------------------------------------------------------------


def register(model: type[Model], *, fields: Iterable[str], m2m: Iterable[str] = (), deletes: bool = True) -> None:
    """Log changes of ``fields`` (and of the many-to-many ``m2m``) of ``model``, a tenant model.

    ``deletes=False`` for rows that are never deleted on their own (a person is deactivated, a conversation
    cancelled) but only with their cycle or organisation: no entry per row then, and Django keeps deleting
    them in bulk instead of one by one.
    """
    names = {field.name for field in model._meta.get_fields()}
    unknown = (set(fields) | set(m2m)) - names
    if "organization" not in names or unknown:
        raise ImproperlyConfigured(f"audit.register({model.__name__}): no organisation, or unknown fields {unknown}")
    auditlog.register(model, include_fields=list(fields))
    # auditlog's delete receiver is swapped for _log_delete (auditlog 3.4 names its receivers by this uid).
    post_delete.disconnect(sender=model, dispatch_uid=auditlog._dispatch_uid(post_delete, log_delete))
    if deletes:
        post_delete.connect(_log_delete, sender=model, dispatch_uid=f"audit-delete:{model._meta}")
    for name in m2m:
        field = model._meta.get_field(name)
        m2m_changed.connect(
            _m2m_receiver(model, field),
            sender=field.remote_field.through,
            weak=False,  # the receiver is made here; nothing else holds on to it
            dispatch_uid=f"audit:{model._meta}.{name}",
        )


def _log_delete(sender, instance, origin=None, **kwargs):
    """auditlog's delete entry, except in the cascade of deleting an organisation.

    The organisation's trail is deleted with it; an entry written during that cascade would point at the
    organisation being removed and fail the transaction at commit.
    """
    if isinstance(origin, Organization) or (isinstance(origin, QuerySet) and origin.model is Organization):
        return
    log_delete(sender, instance=instance, origin=origin, **kwargs)


def _m2m_receiver(model: type[Model], field) -> Callable:
    """Log additions to and removals from ``model.<field>`` on the ``model`` side, from either side of the relation.

    Not auditlog's m2m logging: on ``clear()`` it lists every row of the related table as removed, read through a
    manager that (unscoped) would name other organisations' teams in this organisation's trail.
    """
    through = field.remote_field.through
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()

    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        column, related = (other, own) if reverse else (own, other)
        if action == "pre_clear":
            rows = through._base_manager.filter(**{column: instance.pk}).values_list(f"{related}_id", flat=True)
            instance._audit_cleared = set(rows)
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        pks = instance.__dict__.pop("_audit_cleared", set()) if action == "post_clear" else set(pk_set or ())
        if not pks:
            return
        operation = "add" if action == "post_add" else "delete"
        organization_id = organization_id_of(instance)
        if reverse:  # team.cycles.add(cycle): the change belongs in each cycle's history
            owners = model._base_manager.filter(organization_id=organization_id, pk__in=pks)
            for owner in owners:
                _log_m2m(owner, field.name, operation, [(smart_str(instance), instance.pk)])
        else:
            rows = field.related_model._base_manager.filter(organization_id=organization_id, pk__in=pks)
            _log_m2m(instance, field.name, operation, sorted((smart_str(row), row.pk) for row in rows))

    return receiver


def _log_m2m(owner, name, operation, named):
    """``named``: (name, pk) of each related row. The pks let the history name them again in the reader's language
    (audit_display, for models with ``history_names``); the names are what it shows otherwise."""
    changes = {
        name: {
            "type": "m2m",
            "operation": operation,
            "objects": [label for label, _pk in named],
            "pks": [pk for _label, pk in named],
        }
    }
    AuditEntry.objects.log_create(owner, action=AuditEntry.Action.UPDATE, changes=changes)


# --- what services record themselves -----------------------------------------------------------------

# Why an entry was written, when not by a change made on its own page: code -> a text, or a function of the
# entry's additional data that returns one. Apps above organizations add theirs in their AppConfig.ready.
REASONS: dict[str, Callable[[dict], str] | str] = {
    "people_import": _("through the people import"),
    "team_deleted": _("the team was deleted"),
}


def describe_reason(code: str, text: Callable[[dict], str] | str) -> None:
    """Say how entries recorded with ``via=code`` explain themselves in the history."""
    REASONS[code] = text


def _data(via: str, extra: dict) -> dict | None:
    if via and via not in REASONS:
        raise ValueError(f"unknown audit reason {via!r}; add it with audit.describe_reason")
    data = {"via": via, **extra} if via else dict(extra)
    return data or None


def _changes(before: Model, values: dict) -> dict | None:
    after = copy.copy(before)
    for name, value in values.items():
        setattr(after, name, value)
    changes = model_instance_diff(before, after, use_json_for_changes=True)
    # Lists, as the entry reads them back from its JSON column.
    return {name: list(values) for name, values in changes.items()} if changes else None


def record_update(instance: Model, *, via: str = "", count: int | None = None, **values) -> AuditEntry | None:
    """Record a conditional ``.update()`` of ``instance`` that succeeded, which auditlog does not see.

    ``instance`` holds the values as they were loaded (before the update), ``values`` what the update wrote
    (values, not expressions); only the registered fields that differ are recorded. ``via`` (a code of
    REASONS) and ``count`` explain a change that stands for a bulk operation. Returns the entry, or None when
    nothing registered changed. Call it inside the service's transaction: a rolled-back change leaves no entry.
    """
    changes = _changes(instance, values)
    extra = {} if count is None else {"count": count}
    if changes is None and not extra:
        return None
    return AuditEntry.objects.log_create(
        instance, action=AuditEntry.Action.UPDATE, changes=changes or {}, additional_data=_data(via, extra)
    )


def _build(instance: Model, action: int, changes: dict, data: dict | None) -> AuditEntry:
    organization_id = organization_id_of(instance)
    user_id, employee = acting(organization_id)
    return AuditEntry(
        organization_id=organization_id,
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=smart_str(instance.pk),
        object_id=instance.pk,
        object_repr=smart_str(instance),
        action=action,
        changes=changes,
        additional_data=data,
        actor_id=user_id,
        actor_employee=employee,
    )


def record_creates(instances: Iterable[Model], *, via: str = "") -> int:
    """Record rows that ``bulk_create`` added (with their primary keys set), one entry each; returns how many."""
    data = _data(via, {})
    entries = [
        _build(instance, AuditEntry.Action.CREATE, model_instance_diff(None, instance, use_json_for_changes=True), data)
        for instance in instances
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def record_updates(rows: Iterable[tuple[Model, dict]], *, via: str = "") -> int:
    """Record a ``bulk_update`` (or a bulk ``.update()``): ``(instance as loaded, values written)`` per row.

    One entry per row that changed a registered field; returns how many were written.
    """
    data = _data(via, {})
    entries = []
    for instance, values in rows:
        changes = _changes(instance, values)
        if changes:
            entries.append(_build(instance, AuditEntry.Action.UPDATE, changes, data))
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)
