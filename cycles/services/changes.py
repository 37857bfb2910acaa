"""The hook every calendar change calls so that the reminders follow it: a plan request in the change's transaction."""

from ..models import Conversation, Cycle, Moment, MomentChange
from ..plan_requests import plan_request_record


def changed(
    *,
    cycle: Cycle | None = None,
    conversation: Conversation | None = None,
    moment: Moment | None = None,
    notice: MomentChange | None = None,
    anchors: tuple[str, ...] = (),
) -> None:
    """Called inside the transaction of every change the reminders follow: a cycle activated, a conversation
    changed, a moment's window moved (``notice``: and the people concerned are to be told), or something only the
    rules of some ``anchors`` plan (an observation request: cycles.anchors) changed.

    Records a plan request in that same transaction, so a saved change is never left un-planned; after commit a
    Celery task plans it (in the request when there is no broker). A broker that is down is logged, never a 500:
    the next dispatcher tick plans it. Calling it twice plans twice, which is harmless.
    """
    if conversation is not None:
        cycle_id = conversation.moment.cycle_id
    elif moment is not None:
        cycle_id = moment.cycle_id
    else:
        cycle_id = cycle.pk
    plan_request_record(
        organization_id=(conversation or moment or cycle).organization_id,
        cycle_id=cycle_id,
        conversation_id=conversation.pk if conversation else None,
        moment_id=moment.pk if moment else None,
        notice_id=notice.pk if notice else None,
        anchors=anchors,
    )
