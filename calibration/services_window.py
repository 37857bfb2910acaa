"""HR's calibration window of a cycle, and the thresholds of the calibration flags.

The window is one row per cycle (calibration.models.Calibration), made the first time HR changes anything. Opening
and closing it are conditional updates on that row (core.states.move_state: ``UPDATE … WHERE window IN …``), so
of two HR admins acting at once exactly one wins and the other is told what happened; each is recorded in the
audit trail (organizations.audit.record_update), in the same transaction. The window can be opened again after it
closed: a second round. While it is open no review of the cycle is shared (calibration.guards.window_open) and
HR may move outcomes (calibration.services_moves).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.states import move_state
from cycles.models import Cycle, CycleStatus
from organizations import audit
from organizations.models import Employee

from .models import Calibration, Window

THRESHOLDS = ("share_points", "min_reviews", "recency_percent")


def calibration_of(*, cycle: Cycle) -> Calibration:
    """The cycle's calibration as it is, or the defaults (unsaved) while HR never changed it: one query, no write."""
    found = (
        Calibration.objects.filter(organization_id=cycle.organization_id, cycle=cycle)
        .select_related("opened_by", "closed_by")
        .first()
    )
    return found if found is not None else Calibration(organization_id=cycle.organization_id, cycle=cycle)


def calibration_row(*, cycle: Cycle) -> Calibration:
    """The cycle's calibration row, made with the defaults when missing, locked for the caller's transaction.

    Two requests making it at once: the second loses the one-to-one constraint inside its savepoint and reads the
    first's row. The lock makes two HR admins changing it take turns.
    """
    try:
        with transaction.atomic():
            Calibration.objects.get_or_create(organization_id=cycle.organization_id, cycle=cycle)
    except IntegrityError:  # a second request made it first
        pass
    return Calibration.objects.select_for_update().get(organization_id=cycle.organization_id, cycle=cycle)


@transaction.atomic
def thresholds_save(*, cycle: Cycle, share_points: int, min_reviews: int, recency_percent: int) -> Calibration:
    """Set the thresholds of the cycle's calibration flags; refused per field (nothing saved) outside their limits.

    Protects: points and percentages from 0 to 100, at least one review (the model's validators, checked again here
    for a caller that skips the form, and its check constraint). Allowed in any state of the cycle: the flags only
    read. Saving the same values twice changes nothing the second time (no audit entry either).
    """
    row = calibration_row(cycle=cycle)
    values = {"share_points": share_points, "min_reviews": min_reviews, "recency_percent": recency_percent}
    if all(getattr(row, name) == value for name, value in values.items()):
        return row
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean(exclude=["organization", "cycle", "opened_by", "closed_by"])
    row.updated_at = timezone.now()
    row.save()  # registered with the audit trail: the entry records the thresholds that changed
    return row


def _on(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else ""


def _already_open(row: Calibration) -> ValidationError:
    name = row.opened_by.full_name if row.opened_by else _("HR")
    return ValidationError(
        _("The calibration window is already open: %(name)s opened it on %(date)s.")
        % {"name": name, "date": _on(row.opened_at)}
    )


def not_openable(*, cycle: Cycle, calibration: Calibration) -> str:
    """Why the window cannot be opened now, or "" (the window page hides its button then)."""
    if cycle.status == CycleStatus.CLOSED:
        return _("This cycle is closed: its calibration window can no longer be opened.")
    if cycle.status != CycleStatus.ACTIVE:
        return _("This cycle is not active yet: open the calibration window once the cycle is active.")
    if calibration.window == Window.OPEN:
        return str(_already_open(calibration).messages[0])
    return ""


@transaction.atomic
def window_open(*, cycle: Cycle, actor: Employee) -> Calibration:
    """Open the cycle's calibration window: from then on its reviews are not shared and HR may move outcomes.

    Only in an active cycle; from no window or a closed one (a second round). Twice, or two HR admins at once: the
    second is refused, naming who opened it. The cycle's state is read again inside the transaction.
    """
    cycle = Cycle.objects.get(pk=cycle.pk, organization_id=cycle.organization_id)
    row = calibration_row(cycle=cycle)
    if why := not_openable(cycle=cycle, calibration=row):
        raise ValidationError(why)
    now = timezone.now()
    values = {"opened_at": now, "opened_by": actor, "closed_at": None, "closed_by": None}
    if not move_state(Calibration, row.pk, (Window.NONE, Window.CLOSED), Window.OPEN, field="window", **values):
        row.refresh_from_db()
        raise _already_open(row)
    audit.record_update(row, window=Window.OPEN, **values)
    row.refresh_from_db()
    return row


@transaction.atomic
def window_close(*, cycle: Cycle, actor: Employee) -> Calibration:
    """Close the cycle's calibration window: managers share their reviews again; HR no longer moves outcomes.

    Only an open window; in any state of the cycle, so a window left open when the cycle closed can still be
    closed. Twice, or two HR admins at once: the second is refused, naming who closed it.
    """
    row = calibration_row(cycle=cycle)
    now = timezone.now()
    values = {"closed_at": now, "closed_by": actor}
    if not move_state(Calibration, row.pk, (Window.OPEN,), Window.CLOSED, field="window", **values):
        row.refresh_from_db()
        raise ValidationError(not_closable(row))
    audit.record_update(row, window=Window.CLOSED, **values)
    row.refresh_from_db()
    return row


def not_closable(calibration: Calibration) -> str:
    """Why the window cannot be closed now, or "" when it is open."""
    if calibration.window == Window.OPEN:
        return ""
    if calibration.window == Window.CLOSED:
        name = calibration.closed_by.full_name if calibration.closed_by else _("HR")
        return _("The calibration window is not open: %(name)s closed it on %(date)s.") % {
            "name": name,
            "date": _on(calibration.closed_at),
        }
    return _("The calibration window of this cycle has not been opened, so there is nothing to close.")
