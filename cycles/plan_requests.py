"""Re-planning reminders after a change, through an outbox that outlives a lost broker and a killed worker.

A change the reminders follow (an activation, a conversation scheduled,
cancelled or held, a moved window) records a ``PlanRequest`` in its own
transaction (``plan_request_record``, called by ``services.changed``), so a
saved change always leaves one. After the commit the web process asks Celery to
plan it at once (``plan_requests_kick``); without a broker (``make run``) that
happens in the request itself. If the broker is down the error is logged and
swallowed: the change is saved and nobody sees a 500. Whatever became of that
task, the dispatcher tick (the beat task ``cycles.dispatch_reminders`` and
``manage.py send_due_reminders``) processes waiting requests before it sends,
so a lost task costs at most one tick.

Guarantee: every saved change is planned at least once; planning is a
reconciliation, so once more is harmless. Two workers never plan one request
at once: a request is claimed with a conditional update (unclaimed, or claimed
longer than ``CLAIM_TIMEOUT`` ago) and deleted in the transaction that plans
it. A worker killed while planning rolls that transaction back and leaves the
claim, which the next tick takes over after ``CLAIM_TIMEOUT`` instead of
waiting for Redis to hand the task out again (an hour, with ``acks_late`` and
the default visibility timeout). A request whose planning raises keeps its
claim and error and is tried again after ``CLAIM_TIMEOUT``. The planner is told
when the change was saved (``since``), so a reminder that fell due while the
planning waited is still planned and sent, up to the dispatcher's two days.

While a request waits, the cycle page says that the reminders are being
planned (``planning_waits``): with a broker an activation of 10,000 people
answers at once and its 32,000 reminders follow a few seconds later.

A moved window also tells the people it concerns (``notice``). That email goes
out after the planning commits and only from the worker that deleted the
request, so at most once, like reminders: a worker killed while sending leaves
the rest of that notice untold (logged) rather than telling anyone twice.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django_scopes import scopes_disabled

from core.background import publish

from .models import Cycle, MomentChange, PlanRequest, ReminderRule
from .planning import reminders_plan

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = datetime.timedelta(minutes=5)
TICK_LIMIT = 200  # requests one tick plans before it dispatches; the rest wait for the next tick


def plan_request_record(
    *,
    organization_id: int,
    cycle_id: int,
    conversation_id: int | None = None,
    moment_id: int | None = None,
    notice_id: int | None = None,
    anchors: tuple[str, ...] = (),
) -> PlanRequest:
    """Record, inside the caller's transaction, that a cycle (or one conversation or moment of it) needs re-planning.

    After the commit a worker is asked to plan it now; when that fails, the next dispatcher tick does.
    Recording twice plans twice, which is harmless.
    """
    request = PlanRequest.objects.create(
        organization_id=organization_id,
        cycle_id=cycle_id,
        conversation_id=conversation_id,
        moment_id=moment_id,
        notice_id=notice_id,
        anchors=",".join(anchors),
    )
    transaction.on_commit(lambda: plan_requests_kick(request_ids=[request.pk]))
    return request


def plan_requests_kick(*, request_ids: list[int]) -> None:
    """After commit: plan these requests in a worker now (in this process when there is no broker).

    Never raises. A broker that cannot be reached, or a planner error in the eager case, is logged: the change
    is saved, and the waiting request is planned by the next dispatcher tick.
    """
    from .tasks import plan_reminders

    try:
        # The request row is saved already; the tick is the retry.
        publish(plan_reminders, request_ids=list(request_ids))
    except Exception:
        logger.warning(
            "Could not hand plan requests %s to a worker; the next tick plans them", request_ids, exc_info=True
        )


def plan_requests_process(*, request_ids=None, limit: int = TICK_LIMIT) -> int:
    """Plan waiting requests, oldest first (only ``request_ids`` when given). Returns how many were planned.

    Safe to run in several processes at once: each request is claimed before it is planned. One request whose
    planning fails never stops the others.
    """
    token = secrets.token_hex(8)
    planned = 0
    with scopes_disabled():
        for request in _claim(request_ids, limit, token):
            planned += _process(request, token)
    return planned


@dataclass(frozen=True)
class Waiting:
    """A cycle's changes whose reminders are not planned yet, as its page tells HR."""

    failed: bool  # a planning of one of them failed; it is tried again after CLAIM_TIMEOUT


def planning_waits(*, cycle: Cycle) -> Waiting | None:
    """Whether reminders of ``cycle`` still wait for their planning (queued, or being planned now), or None.

    One aggregate query (through the index of the cycle foreign key), whatever the number of people.
    """
    attempts = PlanRequest.objects.filter(organization_id=cycle.organization_id, cycle_id=cycle.pk).aggregate(
        most=Max("attempts")
    )["most"]
    return None if attempts is None else Waiting(failed=attempts > 0)


def _waiting(now: datetime.datetime) -> Q:
    return Q(claim="") | Q(claimed_at__lt=now - CLAIM_TIMEOUT)


def _claim(request_ids, limit: int, token: str) -> list[PlanRequest]:
    now = timezone.now()
    waiting = PlanRequest.objects.filter(_waiting(now))
    if request_ids is not None:
        waiting = waiting.filter(pk__in=list(request_ids))
    pks = list(waiting.order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    if not pks:
        return []
    # The condition is evaluated again row by row as the update runs: of two workers, one gets each request.
    PlanRequest.objects.filter(_waiting(now), pk__in=pks).update(claim=token, claimed_at=now)
    return list(
        PlanRequest.objects.filter(pk__in=pks, claim=token).select_related("cycle").order_by("created_at", "pk")
    )


def _process(request: PlanRequest, token: str) -> int:
    """Plan one claimed request and delete it in one transaction, then send its notice. Returns 1 if planned."""
    try:
        with transaction.atomic():
            if request.conversation_id:
                reminders_plan(
                    cycle=request.cycle, conversation_ids=[request.conversation_id], since=request.created_at
                )
            elif request.moment_id:
                reminders_plan(cycle=request.cycle, moment_ids=[request.moment_id], since=request.created_at)
            elif request.anchors:
                rules = ReminderRule.objects.filter(cycle=request.cycle, anchor__in=request.anchors.split(","))
                reminders_plan(cycle=request.cycle, rules=rules, since=request.created_at)
            else:
                reminders_plan(cycle=request.cycle, since=request.created_at)
            # Zero when another worker took the request over meanwhile: it plans (and tells) again, harmlessly.
            ours = PlanRequest.objects.filter(pk=request.pk, claim=token).delete()[0] > 0
    except Exception as error:
        logger.exception("Plan request %s failed; it is tried again after %s", request.pk, CLAIM_TIMEOUT)
        try:
            PlanRequest.objects.filter(pk=request.pk, claim=token).update(
                attempts=request.attempts + 1, last_error=f"{type(error).__name__}: {error}"[:1000]
            )
        except DatabaseError:
            logger.warning("Could not record the failure of plan request %s", request.pk, exc_info=True)
        return 0
    if ours and request.notice_id:
        _tell(request.notice_id)
    return 1


def _tell(change_id: int) -> None:
    from .notices import window_moved_tell

    change = MomentChange.objects.select_related("moment__cycle__organization").filter(pk=change_id).first()
    if change is None:
        return
    try:
        window_moved_tell(change=change)
    except Exception:  # the mail server is away: the planning stands, the notice is lost (at most once)
        logger.exception("Could not tell the people concerned that the window of moment %s moved", change.moment_id)
