"""The audit trail's table: django-auditlog's log entry, carrying the organisation it belongs to.

django-auditlog lets a project swap in its own entry model (``AUDITLOG_LOGENTRY_MODEL``,
built on ``AbstractLogEntry``), so the organisation is a real column of the entry
itself, not a side table or a key inside ``additional_data``: the entry is a tenant
row like every other, with a ``ScopedManager`` that raises when a query forgets the
scope, and the organisation first in its index.

Every entry is written through the manager's ``log_create`` (auditlog's signal
receivers, and organizations.audit for what auditlog cannot see), which fills in:

- ``organization`` from the logged instance itself (``instance.organization_id``;
  for an Organization, its own id). Never from the request or a thread-local: a
  change is filed under the organisation that owns the changed row, whoever makes
  it. A model without an organisation cannot be logged (ValueError), so
  registering one by mistake fails at its first save, not silently.
- the actor, from organizations.audit's acting context: ``actor`` is the login
  (auditlog's column), ``actor_employee`` the acting membership. Helder acts as
  Employees and shows their name in this organisation, so the membership is
  stored when it is at hand for free: the door's ``request.employee`` (or
  ``audit.acting_as`` in a task), when it belongs to the entry's organisation.
  Otherwise only the login is stored, and selectors.history shows the name that
  login has in this organisation (one query for a whole page).
"""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from .models import Employee, Organization


def organization_id_of(instance) -> int:
    """The organisation that owns ``instance``: its own ``organization``, or itself for an Organization."""
    if isinstance(instance, Organization):
        return instance.pk
    organization_id = getattr(instance, "organization_id", None)
    if organization_id is None:
        raise ValueError(f"{type(instance).__name__} has no organisation; only tenant rows go into the audit trail.")
    return organization_id


class AuditEntryManager(LogEntryManager):
    """auditlog's manager, with the organisation and the acting person filled in on every entry it writes."""

    def log_create(self, instance, force_log: bool = False, **kwargs):
        from .audit import acting

        organization_id = organization_id_of(instance)
        kwargs.setdefault("organization_id", organization_id)
        user_id, employee = acting(organization_id)
        kwargs.setdefault("actor_id", user_id)
        kwargs.setdefault("actor_employee", employee)
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AbstractLogEntry):
    """One change of one tenant row: what changed (``changes``), when, by whom, in which organisation."""

    organization = models.ForeignKey(
        # No index of its own: the composite index below starts with it.
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    actor_employee = models.ForeignKey(
        # Its index serves the SET NULL when a membership is deleted (with its organisation).
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # auditlog's columns again, without the single-column indexes it gives them: every entry would write five
    # indexes that no tenant's read uses. Every read goes through auditentry_object_idx.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    object_pk = models.CharField(max_length=255)
    object_id = models.BigIntegerField(blank=True, null=True)
    action = models.PositiveSmallIntegerField(choices=AbstractLogEntry.Action.choices)
    cid = models.CharField(max_length=255, blank=True, null=True)
    timestamp = models.DateTimeField(default=timezone.now)
    # ``actor`` (the login) keeps auditlog's index: it serves the SET NULL when a login is deleted.

    objects = ScopedManager(_manager_class=AuditEntryManager, organization="organization")

    class Meta(AbstractLogEntry.Meta):
        indexes = [
            # selectors.history: the entries of one object, or of a set of them, newest first.
            models.Index(
                fields=["organization", "content_type", "object_id", "-timestamp"], name="auditentry_object_idx"
            ),
        ]
