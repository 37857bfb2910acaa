"""Celery tasks of the cycle calendar. Thin: they take ids, reload, and call a service."""

from celery import shared_task
from django_scopes import scopes_disabled

from .dispatch import reminders_dispatch
from .models import Conversation, Cycle, Moment
from .planning import reminders_plan


@shared_task(name="cycles.dispatch_reminders", ignore_result=True)
def dispatch_reminders() -> dict:
    """Beat runs this every minute: send what is due (see cycles.dispatch for the guarantee)."""
    tick = reminders_dispatch()
    return {"sent": tick.sent, "failed": tick.failed, "retrying": tick.retrying, "missed": tick.missed}


@shared_task(name="cycles.plan_reminders", ignore_result=True)
def plan_reminders(*, cycle_ids=(), conversation_ids=(), moment_ids=()) -> None:
    """Re-plan the unsent reminders of what changed: whole cycles, some conversations or some moments."""
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
    """Email the people a moved window concerns (see cycles.notices)."""
    from .models import MomentChange
    from .notices import window_moved_tell

    with scopes_disabled():
        change = MomentChange.objects.select_related("moment__cycle__organization").filter(pk=change_id).first()
        if change is not None:
            window_moved_tell(change=change)
