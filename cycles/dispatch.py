"""Sending due reminders: one tick of the dispatcher, across organisations.

Delivery guarantee: a reminder is sent at most once, and every due reminder
is either sent or visibly accounted for (failed with a reason, missed,
skipped). A tick

1. claims a batch of due PLANNED rows: ``select_for_update(skip_locked=True)``
   picks them on PostgreSQL without waiting for another dispatcher, and a
   conditional update (``status=PLANNED`` → ``SENDING`` with this tick's
   token) claims each row, so on SQLite, where the lock does nothing, two
   dispatchers still cannot both claim one. Rows more than two days late (a
   stalled worker) are marked MISSED instead: a reminder about last week's
   window helps nobody. The claim commits before anything is sent;
2. sends each claimed row and marks it SENT right after, in its own
   statement. A failure on one row (an invalid address, a refused SMTP
   recipient, a rendering error) records the error and an attempt count on
   that row and goes on with the next; the row is tried again later and stays
   FAILED after ``MAX_ATTEMPTS``;
3. if the tick itself dies halfway (the database goes away), the rows it
   claimed but did not attempt go back to PLANNED for the next tick.

The failure it accepts: a worker killed (or a tick that dies) between handing
a message to the mail server and marking the row sent leaves the row SENDING. After
``STALE_CLAIM`` such rows are marked FAILED ("may have gone out"), not sent
again; HR sees them and may resend. So nobody gets a reminder twice.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_scopes import scopes_disabled

from . import mail
from .models import ConversationState, CycleStatus, Reminder, ReminderAnchor, ReminderStatus

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 3
RETRY_AFTER = datetime.timedelta(minutes=10)  # times the attempts so far
MISSED_AFTER = datetime.timedelta(days=2)
STALE_CLAIM = datetime.timedelta(minutes=15)

# Reasons shown to HR; stored untranslated and translated when shown.
DEACTIVATED = gettext_noop("The person has been deactivated.")
CONVERSATION_CLOSED = gettext_noop("The conversation has been held or cancelled.")
ALREADY_SCHEDULED = gettext_noop("The conversation has been scheduled in the meantime.")
RULE_OFF = gettext_noop("The reminder rule has been switched off.")
CYCLE_INACTIVE = gettext_noop("The cycle is no longer active.")
NOTHING_TO_SAY = gettext_noop("Nothing left to remind of.")
INVALID_ADDRESS = gettext_noop("The email address is not valid.")
TOO_LATE = gettext_noop("More than two days late: the dispatcher was not running.")
INTERRUPTED = gettext_noop("The dispatcher stopped while sending; it may have gone out. Resend if it did not.")


@dataclass
class Tick:
    """What one dispatch tick did."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0
    missed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.retrying + self.missed + self.skipped


def reminders_dispatch(*, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE, limit=None) -> Tick:
    """Send every due reminder (up to ``limit``), batch by batch. Safe to run in several processes at once."""
    tick = Tick()
    token = secrets.token_hex(8)
    with scopes_disabled():
        _interrupted(now or timezone.now())
        while limit is None or tick.handled < limit:
            at = now or timezone.now()
            size = batch_size if limit is None else min(batch_size, limit - tick.handled)
            claimed = _claim(at, size, token, tick)
            if not claimed:
                break
            _send_all(claimed, token, tick, at)
    return tick


def _interrupted(now: datetime.datetime) -> None:
    """Rows a dead dispatcher left SENDING: we cannot know whether they went out, so they fail for HR to judge."""
    Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=ReminderStatus.FAILED, last_error=INTERRUPTED, claim="", attempts=F("attempts") + 1
    )


def _claim(now: datetime.datetime, size: int, token: str, tick: Tick) -> list[Reminder]:
    fresh = []
    # A loop, not recursion: after a long outage whole batches are missed in a row, thousands of them.
    while not fresh:
        with transaction.atomic():
            due = (
                Reminder.objects.filter(status=ReminderStatus.PLANNED, next_try_at__lte=now)
                .order_by("next_try_at")
                .select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
                .values_list("pk", "next_try_at")[:size]
            )
            due = list(due)
            if not due:
                return []
            late = [pk for pk, try_at in due if try_at < now - MISSED_AFTER]
            if late:
                tick.missed += Reminder.objects.filter(pk__in=late, status=ReminderStatus.PLANNED).update(
                    status=ReminderStatus.MISSED, last_error=TOO_LATE
                )
            fresh = [pk for pk, try_at in due if try_at >= now - MISSED_AFTER]
            Reminder.objects.filter(pk__in=fresh, status=ReminderStatus.PLANNED).update(
                status=ReminderStatus.SENDING, claim=token, claimed_at=now
            )
    # By primary key as well: SQLite's planner would otherwise reach the claimed rows from the joined tables,
    # through every reminder of each recipient, and the load would grow with the planned queue.
    return list(
        Reminder.objects.filter(pk__in=fresh, claim=token, status=ReminderStatus.SENDING)
        .select_related(
            "organization",
            "cycle",
            "rule",
            "recipient__user",
            "moment",
            "conversation__moment",
            "conversation__organization",
            "conversation__employee__user",
            "conversation__employee__manager",
        )
        .order_by("next_try_at", "pk")
    )


def _why_not(reminder: Reminder) -> str | None:
    """A reason this reminder should no longer go out, checked at the last moment; None when it should."""
    conversation = reminder.conversation
    if not reminder.recipient.is_active or not reminder.recipient.user.is_active:
        return DEACTIVATED
    if reminder.cycle.status != CycleStatus.ACTIVE:
        return CYCLE_INACTIVE
    if not reminder.rule.enabled:
        return RULE_OFF
    if conversation is not None:
        if conversation.state in (ConversationState.HELD, ConversationState.CANCELLED):
            return CONVERSATION_CLOSED
        if reminder.rule.anchor == ReminderAnchor.WINDOW_CLOSES and conversation.state == ConversationState.SCHEDULED:
            return ALREADY_SCHEDULED
    return None


def _finish(reminder: Reminder, token: str, status: str, **fields) -> None:
    Reminder.objects.filter(pk=reminder.pk, claim=token, status=ReminderStatus.SENDING).update(
        status=status, claim="", **fields
    )


def _send_all(claimed: list[Reminder], token: str, tick: Tick, at: datetime.datetime) -> None:
    handed_over: list[int] = []  # rows whose message went to the mail server
    try:
        for reminder in claimed:
            _send_one(reminder, token, tick, handed_over, at)
    finally:
        # Whatever this tick claimed and did not get to goes back for the next one. A row whose message
        # may already be with the mail server (the tick died before marking it) stays SENDING, for
        # _interrupted to fail later: sending it again could deliver it twice.
        Reminder.objects.filter(claim=token, status=ReminderStatus.SENDING).exclude(pk__in=handed_over).update(
            status=ReminderStatus.PLANNED, claim="", claimed_at=None
        )


def _send_one(reminder: Reminder, token: str, tick: Tick, handed_over: list[int], at: datetime.datetime) -> None:
    reason = _why_not(reminder)
    if reason is None:
        try:
            validate_email(reminder.recipient.user.email)
        except ValidationError:
            _finish(reminder, token, ReminderStatus.FAILED, attempts=F("attempts") + 1, last_error=INVALID_ADDRESS)
            tick.failed += 1
            return
    try:
        message = mail.reminder_message(reminder) if reason is None else None
        if message is None:
            _finish(reminder, token, ReminderStatus.SKIPPED, last_error=reason or NOTHING_TO_SAY)
            tick.skipped += 1
            return
        handed_over.append(reminder.pk)
        message.send()
    except Exception as error:  # one bad reminder never stops the others
        logger.warning("Reminder %s could not be sent", reminder.pk, exc_info=True)
        attempts = reminder.attempts + 1
        detail = f"{type(error).__name__}: {error}"[:1000]
        tick.errors.append(detail)
        if attempts >= MAX_ATTEMPTS:
            _finish(reminder, token, ReminderStatus.FAILED, attempts=attempts, last_error=detail)
            tick.failed += 1
        else:
            retry_at = max(timezone.now(), at) + RETRY_AFTER * attempts  # after this tick's clock, also in tests
            _finish(reminder, token, ReminderStatus.PLANNED, attempts=attempts, last_error=detail, next_try_at=retry_at)
            tick.retrying += 1
        return
    _finish(reminder, token, ReminderStatus.SENT, attempts=reminder.attempts + 1, sent_at=timezone.now())
    tick.sent += 1


@transaction.atomic
def reminder_resend(*, reminder: Reminder) -> bool:
    """Put a failed or missed reminder back in the queue to go out at the next tick. Returns whether it was."""
    return (
        Reminder.objects.filter(pk=reminder.pk, status__in=(ReminderStatus.FAILED, ReminderStatus.MISSED)).update(
            status=ReminderStatus.PLANNED, attempts=0, next_try_at=timezone.now(), last_error="", claim=""
        )
        == 1
    )
