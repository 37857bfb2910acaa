"""Observation requests: asking a colleague, answering, declining, withdrawing.

A request belongs to the active cycle its person takes part in, whose reminder
rules send it to the colleague and remind them before it is due (reviews.reminders,
through cycles.anchors). Every change re-plans that cycle's reminders the way a
calendar change does: a plan request in the change's own transaction
(cycles.services.changed), planned after the commit by a worker, or by the next
dispatcher tick when the broker is away, so a save never fails on the broker.
State moves are conditional updates from OPEN (core.states.move_state): of an
answer and a withdrawal at the same moment only one wins, and the other is told so.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.states import move_state
from cycles import services as cycle_services
from cycles.models import ReminderAnchor
from expectations.models import Expectation
from expectations.selectors import applicable_expectations
from organizations import audit
from organizations.models import Employee

from .models import Observation, ObservationRequest, Source
from .selectors_requests import active_cycle_of, colleagues
from .services_observations import observation_record

OPEN = ObservationRequest.State.OPEN
# The reminder rules a request's changes concern (reviews.reminders plans them): re-planning these two is enough.
REQUEST_ANCHORS = (ReminderAnchor.REQUEST_MADE, ReminderAnchor.REQUEST_DUE)
MESSAGE_LIMIT = 1000


def no_active_cycle(person: Employee) -> str:
    return _("Requests for an observation need an active cycle, and %(name)s is in none.") % {"name": person.full_name}


def not_open() -> str:
    return _("This request is no longer open: it has been answered, declined or withdrawn.")


def _check(*, employee: Employee, colleague_id, expectation, due_on, message: str, cycle) -> dict:
    """The request's fields as they may be saved, or ValidationError naming each bad one."""
    errors = {}
    colleague = None
    if colleague_id is not None:
        colleague = colleagues(person=employee).filter(pk=colleague_id).first()
    if colleague is None:
        errors["colleague"] = _(
            "Choose a colleague from this organisation, other than the person the request is about."
        )
    applicable = expectation is not None and (
        expectation.organization_id == employee.organization_id
        and applicable_expectations(employee=employee).filter(pk=expectation.pk).exists()
    )
    if not applicable:
        errors["expectation"] = _("Choose one of the expectations that apply to this person.")
    today = timezone.localdate(timezone=employee.organization.zone)
    if due_on is None or not today <= due_on <= cycle.ends_on:
        errors["due_on"] = _("Choose a date from today to the end of the cycle (%(ends_on)s).") % {
            "ends_on": date_format(cycle.ends_on)
        }
    if len(message) > MESSAGE_LIMIT:
        errors["message"] = _("Keep this to %(limit)d characters at most (it has %(count)d).") % {
            "limit": MESSAGE_LIMIT,
            "count": len(message),
        }
    if errors:
        raise ValidationError(errors)
    return {"colleague": colleague, "expectation": expectation}


@transaction.atomic
def request_create(
    *,
    asked_by: Employee,
    employee: Employee,
    colleague_id: int | None,
    expectation: Expectation | None,
    due_on: datetime.date | None,
    message: str = "",
) -> ObservationRequest:
    """Ask a colleague of ``employee`` for an observation on one of their expectations, by ``due_on``.

    Protects: the person is in an active cycle (the request is that cycle's); the colleague is an open member of
    the same organisation and not the person; the expectation applies to the person, and the request pins its
    version in force; the due date lies between today and the cycle's end. Who may ask (HR, the person's manager,
    the person) is the view's rule (ASK_FOR_OBSERVATION). Running it twice makes two requests.
    """
    cycle = active_cycle_of(employee=employee)
    if cycle is None:
        raise ValidationError(no_active_cycle(employee))
    message = (message or "").strip()
    values = _check(
        employee=employee,
        colleague_id=colleague_id,
        expectation=expectation,
        due_on=due_on,
        message=message,
        cycle=cycle,
    )
    # The plan request first: it carries when the change was saved, and the request's own created_at (when the
    # "request made" reminder is due) must not lie before it, or the planner would count it as already past.
    cycle_services.changed(cycle=cycle, anchors=REQUEST_ANCHORS)
    request = ObservationRequest(
        organization_id=employee.organization_id,
        cycle=cycle,
        employee=employee,
        asked_by=asked_by,
        expectation_version_id=values["expectation"].current_version_id,
        message=message,
        due_on=due_on,
        created_at=timezone.now(),
        **values,
    )
    request.full_clean(exclude=["organization", "cycle", "employee", "asked_by", "expectation_version"])
    request.save()
    return request


def _close(request: ObservationRequest, to_state: str) -> None:
    """Move ``request`` from OPEN to ``to_state``, record it and re-plan its cycle; ValidationError if not open."""
    now = timezone.now()
    rows = ObservationRequest.objects.filter(organization_id=request.organization_id)
    if not move_state(rows, request.pk, OPEN, to_state, field="state", closed_at=now):
        raise ValidationError(not_open())
    audit.record_update(request, state=to_state, closed_at=now)
    request.state, request.closed_at = to_state, now
    cycle_services.changed(cycle=request.cycle, anchors=REQUEST_ANCHORS)  # its planned reminders are not wanted now


@transaction.atomic
def request_answer(*, request: ObservationRequest, colleague: Employee, **fields) -> Observation:
    """The colleague asked answers: an observation (source COLLEAGUE, its author named) about the request's person.

    ``fields`` are observed_on, situation, behaviour, effect and shows; the expectation is the request's. The
    observation is not held: the person and their manager see it at once. Refused, saving nothing, when the request
    is not open (answered, declined or withdrawn, also by someone at the same moment) or the answer is not valid.
    Running it twice: the second call is refused.
    """
    if colleague.pk != request.colleague_id:
        raise ValidationError(_("Only the colleague who was asked can answer this request."))
    _close(request, ObservationRequest.State.ANSWERED)
    return observation_record(
        author=colleague,
        employee=request.employee,
        source=Source.COLLEAGUE,
        request=request,
        expectation=request.expectation,
        **fields,
    )


@transaction.atomic
def request_decline(*, request: ObservationRequest, colleague: Employee) -> ObservationRequest:
    """The colleague asked declines (no reason asked: they may have seen nothing). Harmless twice: refused then."""
    if colleague.pk != request.colleague_id:
        raise ValidationError(_("Only the colleague who was asked can decline this request."))
    _close(request, ObservationRequest.State.DECLINED)
    return request


@transaction.atomic
def request_withdraw(*, request: ObservationRequest, actor: Employee) -> ObservationRequest:
    """Whoever asked (or HR: the view's rule) withdraws an open request; its reminders go. Refused twice."""
    _close(request, ObservationRequest.State.WITHDRAWN)
    return request
