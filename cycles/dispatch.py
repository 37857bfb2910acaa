"""Sending due reminders: one tick of the dispatcher, across organisations.

Delivery guarantee: a reminder is sent at most once, and every due reminder
is either sent or visibly accounted for (failed with a reason, missed,
skipped). A tick goes through the due PLANNED rows batch by batch, oldest
first, and for each row

1. claims it right before its own send, by a conditional update
   (``status=PLANNED`` → ``SENDING`` with this tick's token, only while it is
   still due and untried since it was read). Only one dispatcher's update can
   match, so two dispatchers never send one row, also on SQLite, which has no
   ``skip_locked``: correctness rests on the conditional update alone. The
   batch is read without a lock; a dispatcher that loses a row to another
   simply goes on with the next. Rows more than two days late (a stalled
   worker) are marked MISSED instead: a reminder about last week's window
   helps nobody;
2. sends it (over the batch's one connection to the mail server,
   ``mail.Outbox``) and marks it SENT right after, in the UPDATE statement
   that claims the next row (or on its own after the last): one statement
   and one commit per reminder, which bounds the rate (docs/benchmarks.md).
   A failure on one row (an invalid address, a refused SMTP recipient, a
   rendering error) records the error and an attempt count on that row and
   goes on with the next; the row is tried again later and stays FAILED after
   ``MAX_ATTEMPTS``;
3. if the tick dies after claiming a row but before handing its message to
   the mail server, that row goes back to PLANNED.

So a row is SENDING only while its own message is on its way. The failure it
accepts: a worker killed (``kill -9``, a lost machine) between claiming a row
and marking it sent leaves that one row SENDING, whether or not its message
left; so after a crash at most one row per dispatcher is uncertain, and every
other due row is still PLANNED and goes out with the next tick. After ``STALE_CLAIM`` an
uncertain row is marked FAILED ("may have gone out"), not sent again; HR sees
it and may resend. So nobody gets a reminder twice, and nothing is lost
without HR seeing it.
"""

import contextlib
import datetime
import logging
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_scopes import scopes_disabled

from . import mail
from .models import Reminder, ReminderStatus
from .rules import RESENDABLE
from .wanted import why_not_wanted

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 3
RETRY_AFTER = datetime.timedelta(minutes=10)  # times the attempts so far
MISSED_AFTER = datetime.timedelta(days=2)
STALE_CLAIM = datetime.timedelta(minutes=15)

# Reasons shown to HR; stored untranslated and translated when shown. Those of a reminder no longer wanted are
# cycles.wanted's.
NOTHING_TO_SAY = gettext_noop("Nothing left to remind of.")
INVALID_ADDRESS = gettext_noop("The email address is not valid.")
TOO_LATE = gettext_noop("More than two days late: Helder's sending had stopped.")
INTERRUPTED = gettext_noop("Helder's sending stopped while this one went out; it may have arrived. Resend it if not.")
# Rows stored with these two reasons' earlier wording were rewritten by migration cycles 0011.


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
            batch = _due(at, size, tick)
            if not batch:
                break
            _send_batch(batch, token, tick, at, now, limit)
    return tick


def _send_batch(batch, token: str, tick: Tick, at: datetime.datetime, now, limit) -> None:
    """Claim and send the rows one by one. A row's SENT mark is committed with the claim of the next row (one
    UPDATE of both rows, which the database applies whole or not at all), or on its own after the last: one
    commit per reminder instead of two, and still only that one row in doubt if the process dies in between."""
    sent = None  # the last row that went out, not yet marked
    outbox = mail.Outbox()  # one connection to the mail server for the whole batch
    try:
        try:
            for reminder in batch:
                if limit is not None and tick.handled >= limit:
                    break
                mark, sent = sent, None  # a failed commit is not retried: the row stays in doubt
                # Another dispatcher may have taken the row since it was read: then it is theirs.
                if mark is None:
                    claimed = _claim(reminder, token, now)
                else:
                    claimed = _mark_sent(*mark, token, then_claim=(reminder, now))
                if claimed:
                    sent = _attempt(reminder, token, tick, at, outbox)
        except BaseException:
            if sent is not None:
                with contextlib.suppress(DatabaseError):  # the error already on its way says more
                    _mark_sent(*sent, token)
            raise
        if sent is not None:
            _mark_sent(*sent, token)
    finally:
        outbox.close()  # after the last mark: the goodbye to the mail server can take a while


def _interrupted(now: datetime.datetime) -> None:
    """Rows a dead dispatcher left SENDING: we cannot know whether they went out, so they fail for HR to judge."""
    Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=ReminderStatus.FAILED, last_error=INTERRUPTED, claim="", attempts=F("attempts") + 1
    )


def _due(now: datetime.datetime, size: int, tick: Tick) -> list[Reminder]:
    """The next due PLANNED rows, loaded for sending but not claimed; rows too late to help are marked MISSED."""
    fresh = []
    # A loop, not recursion: after a long outage whole batches are missed in a row, thousands of them.
    while not fresh:
        due = list(
            Reminder.objects.filter(status=ReminderStatus.PLANNED, next_try_at__lte=now)
            .order_by("next_try_at")
            .values_list("pk", "next_try_at")[:size]
        )
        if not due:
            return []
        late = [pk for pk, try_at in due if try_at < now - MISSED_AFTER]
        if late:
            tick.missed += Reminder.objects.filter(pk__in=late, status=ReminderStatus.PLANNED).update(
                status=ReminderStatus.MISSED, last_error=TOO_LATE
            )
        fresh = [pk for pk, try_at in due if try_at >= now - MISSED_AFTER]
    # By primary key alone: SQLite's planner would otherwise reach the rows from the joined tables, through
    # every reminder of each recipient, and the load would grow with the planned queue.
    return list(
        Reminder.objects.filter(pk__in=fresh, status=ReminderStatus.PLANNED)
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


def _claim(reminder: Reminder, token: str, now: datetime.datetime | None) -> bool:
    """Mark one row in flight, right before its send. Whoever's update matches owns it; the others get 0 rows."""
    return _update_rows([_claiming(reminder, token, now)]) == 1


def _claiming(reminder: Reminder, token: str, now: datetime.datetime | None) -> tuple:
    """The change that claims ``reminder`` for this tick. The row must still be PLANNED, due, and have the attempt
    count it was read with: a row another dispatcher tried meanwhile (a retry pushed out, a resend reset) is left
    for a later batch, read afresh."""
    at = now or timezone.now()
    return (
        reminder.pk,
        {"status": ReminderStatus.SENDING, "claim": token, "claimed_at": at},
        {"status": ReminderStatus.PLANNED, "attempts": reminder.attempts},
        at,
    )


def _finish(reminder: Reminder, token: str, status: str, *, then_claim: tuple | None = None, **fields) -> bool | None:
    """Settle a row this tick claimed, only while it is still SENDING under this tick's token.

    With ``then_claim`` (the next reminder, and the tick's clock), the same statement claims that one too, and
    the answer is whether the claim matched: one round trip and one commit for the two, all or nothing.
    """
    settle = (
        reminder.pk,
        {"status": status, "claim": "", **fields},
        {"claim": token, "status": ReminderStatus.SENDING},
        None,
    )
    if then_claim is None:
        _update_rows([settle])
        return None
    following, now = then_claim
    matched = _update_rows([settle, _claiming(following, token, now)])
    if matched != 1:
        return matched == 2
    # One of the two matched: ours to settle, unless it was taken for stale meanwhile. Ask which, rarely.
    return Reminder.objects.filter(pk=following.pk, status=ReminderStatus.SENDING, claim=token).exists()


def _update_rows(changes: list[tuple]) -> int:
    """Apply each change ``(pk, values, where, due_by)`` to its reminder while that row still holds ``where`` (and
    is due by ``due_by``, unless None), in one UPDATE statement: the rows change together or not at all, without
    a transaction of their own. Answers how many rows matched.

    Plain SQL: a tick runs one or two of these per reminder, and building each through the ORM took twice as
    long as running it (0.5 of 0.76 ms, measured on a busy machine), besides BEGIN and COMMIT round trips.
    """
    connection = connections[router.db_for_write(Reminder)]
    quote, meta = connection.ops.quote_name, Reminder._meta

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    def value(name: str, raw):
        return meta.get_field(name).get_db_prep_save(raw, connection)

    sets, set_params, conditions, condition_params = [], [], [], []
    for name in dict.fromkeys(name for _pk, values, _where, _due in changes for name in values):
        whens = [(pk, values[name]) for pk, values, _where, _due in changes if name in values]
        sets.append(f"{column(name)} = CASE {column('id')} {'WHEN %s THEN %s ' * len(whens)}ELSE {column(name)} END")
        set_params += [item for pk, new in whens for item in (pk, value(name, new))]
    for pk, _values, where, due_by in changes:
        terms = [f"{column('id')} = %s", *(f"{column(name)} = %s" for name in where)]
        condition_params += [pk, *(value(name, old) for name, old in where.items())]
        if due_by is not None:
            terms.append(f"{column('next_try_at')} <= %s")
            condition_params.append(value("next_try_at", due_by))
        conditions.append("(" + " AND ".join(terms) + ")")
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} WHERE {' OR '.join(conditions)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*set_params, *condition_params])
        return cursor.rowcount


def _mark_sent(reminder: Reminder, sent_at: datetime.datetime, token: str, *, then_claim=None) -> bool | None:
    return _finish(
        reminder, token, ReminderStatus.SENT, attempts=reminder.attempts + 1, sent_at=sent_at, then_claim=then_claim
    )


def _attempt(reminder: Reminder, token: str, tick: Tick, at: datetime.datetime, outbox: mail.Outbox):
    """Send one claimed row and record how it went, except a success: then it returns (reminder, when), for the
    caller to mark SENT. Leaves the row SENDING only if the tick dies after handing it to the mail server."""
    handed_over = False
    try:
        reason = why_not_wanted(reminder)  # checked at the last moment: the planning may be minutes old
        if reason is None:
            try:
                validate_email(reminder.recipient.user.email)
            except ValidationError:
                _finish(
                    reminder, token, ReminderStatus.FAILED, attempts=reminder.attempts + 1, last_error=INVALID_ADDRESS
                )
                tick.failed += 1
                return None
        try:
            message = mail.reminder_message(reminder) if reason is None else None
            if message is None:
                _finish(reminder, token, ReminderStatus.SKIPPED, last_error=reason or NOTHING_TO_SAY)
                tick.skipped += 1
                return None
            handed_over = True
            outbox.send(message)
        except Exception as error:  # one bad reminder never stops the others
            _failed(reminder, token, tick, at, error)
            return None
        tick.sent += 1
        return reminder, timezone.now()
    except BaseException:
        if not handed_over:
            # The tick is dying (a shutdown, the database gone) before this message reached the mail server:
            # the row goes back for the next tick. After the hand-over it stays SENDING, for _interrupted to
            # fail later: sending it again could deliver it twice.
            with contextlib.suppress(DatabaseError):
                Reminder.objects.filter(pk=reminder.pk, claim=token, status=ReminderStatus.SENDING).update(
                    status=ReminderStatus.PLANNED, claim="", claimed_at=None
                )
        raise


def _failed(reminder: Reminder, token: str, tick: Tick, at: datetime.datetime, error: Exception) -> None:
    """Record a failed attempt: tried again later, or FAILED for good after MAX_ATTEMPTS."""
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


@transaction.atomic
def reminder_resend(*, reminder: Reminder) -> bool:
    """Put a failed or missed reminder back in the queue to go out at the next tick. Returns whether it was.

    A conditional update from cycles.rules.RESENDABLE (the states the Resend button shows for): of two clicks
    only the first puts it back, so running it twice sends it once; the second answers False.
    """
    return (
        Reminder.objects.filter(pk=reminder.pk, status__in=RESENDABLE).update(
            status=ReminderStatus.PLANNED, attempts=0, next_try_at=timezone.now(), last_error="", claim=""
        )
        == 1
    )
