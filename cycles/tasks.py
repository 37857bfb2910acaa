"""Celery tasks of the cycle calendar. Thin: they take ids, reload, and call a service.

They work across organisations (the dispatcher and the planner read rows of
every tenant by id), so they switch the scope off explicitly instead of
entering one organisation's scope; each row they touch carries its own
organisation, and the services they call never mix two.
"""

from celery import shared_task
from django_scopes import scopes_disabled

from .dispatch import reminders_dispatch
from .models import Conversation, Cycle, Moment
from .plan_requests import plan_requests_process
from .planning import reminders_plan


@shared_task(name="cycles.dispatch_reminders", ignore_result=True)
def dispatch_reminders() -> dict:
    """Beat runs this every minute: plan the changes still waiting (cycles.plan_requests), then send what is due
    (see cycles.dispatch for the guarantee)."""
    planned = plan_requests_process()
    tick = reminders_dispatch()
    return {
        "planned": planned,
        "sent": tick.sent,
        "failed": tick.failed,
        "retrying": tick.retrying,
        "missed": tick.missed,
    }


@shared_task(name="cycles.plan_reminders", ignore_result=True)
def plan_reminders(*, request_ids=(), cycle_ids=(), conversation_ids=(), moment_ids=()) -> None:
    """Plan the waiting requests ``request_ids`` that services.changed recorded (cycles.plan_requests).

    The other arguments are how tasks were queued before the outbox existed; such a task, still in Redis at the
    upgrade, re-plans whole cycles, some conversations or some moments as it did then.
    """
    if request_ids:
        plan_requests_process(request_ids=request_ids)
    with scopes_disabled():
        for cycle in Cycle.objects.filter(pk__in=list(cycle_ids)):
            reminders_plan(cycle=cycle)
        if conversation_ids:
            by_cycle: dict[int, list[int]] = {}
            for pk, cycle_id in Conversation.objects.filter(pk__in=list(conversation_ids)).values_list(
                "pk", "moment__cycle_id"
            ):
                by_cycle.setdefault(cycle_id, []).append(pk)
            for cycle in Cycle.objects.filter(pk__in=by_cycle):
                reminders_plan(cycle=cycle, conversation_ids=by_cycle[cycle.pk])
        if moment_ids:
            by_cycle = {}
            for pk, cycle_id in Moment.objects.filter(pk__in=list(moment_ids)).values_list("pk", "cycle_id"):
                by_cycle.setdefault(cycle_id, []).append(pk)
            for cycle in Cycle.objects.filter(pk__in=by_cycle):
                reminders_plan(cycle=cycle, moment_ids=by_cycle[cycle.pk])


@shared_task(name="cycles.tell_window_moved", ignore_result=True)
def tell_window_moved(*, change_id: int) -> None:
    """Email the people a moved window concerns (see cycles.notices). Only for tasks queued before the upgrade:
    the notice now travels with its plan request (cycles.plan_requests)."""
    from .models import MomentChange
    from .notices import window_moved_tell

    with scopes_disabled():
        change = MomentChange.objects.select_related("moment__cycle__organization").filter(pk=change_id).first()
        if change is not None:
            window_moved_tell(change=change)
