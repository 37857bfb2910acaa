"""What a reminder rule will send next, for HR's reminder pages: its first few sends, or why it sends nothing yet.

A send is the reminders of one rule that go out together: at one due time, about one thing (a moment's window,
the scheduled conversations of a day, a week of the digest, observation requests), to the rule's audience.

- An active cycle: read from its planned ``Reminder`` rows, what the dispatcher will really send, counted
  per send (selectors_reminders.reminder_overview: one query for every rule of the cycle together).
- A cycle being prepared plans nothing yet: the sends are worked out from the rule's anchor dates (the
  moments' windows) the way cycles.planning will plan them once the cycle is activated, and shown as "would
  send". A rule about scheduled conversations or observation requests has no date before those exist.
- Nothing to show: the reason, one of: the cycle is closed, the rule is switched off, all its dates have
  passed, or nobody in its audience needs it (every conversation it speaks to is scheduled, held or cancelled;
  no HR admin; no request waiting).

No query of its own: the cycle's moments come prefetched (selectors_reminders.reminder_cycles), the planned
sends from the overview. The date arithmetic is cycles.planning's (plan_dates), read here, never changed.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import Cycle, CycleStatus, ReminderAnchor, ReminderAudience, ReminderRule
from .plan_dates import due_utc, shift_days
from .planning import MAX_DIGEST_WEEKS
from .reminder_rules import REQUEST_ANCHORS
from .selectors_reminders import PREVIEW_SIZE, PlannedSend, ReminderOverview

WINDOW_ANCHORS = frozenset({ReminderAnchor.WINDOW_OPENS, ReminderAnchor.WINDOW_CLOSES})

# Why a rule shows no sends.
CYCLE_CLOSED = gettext_lazy("The cycle is closed: this rule sends nothing more.")
SWITCHED_OFF = gettext_lazy("This rule is switched off: it sends nothing.")
NO_MOMENTS = gettext_lazy("The cycle has no moments yet, so this rule has no dates.")
ALL_PAST = gettext_lazy("All its dates have passed: it sends nothing more in this cycle.")
NOBODY = {
    ReminderAnchor.WINDOW_OPENS: gettext_lazy("Nobody in its audience: no conversation of its windows is still open."),
    ReminderAnchor.WINDOW_CLOSES: gettext_lazy(
        "Nobody in its audience: every conversation of its windows has been scheduled, held or cancelled."
    ),
    ReminderAnchor.CONVERSATION: gettext_lazy(
        "Nothing planned: no scheduled conversation lies ahead. It is planned as conversations are scheduled."
    ),
    ReminderAnchor.OVERDUE_WEEKLY: gettext_lazy("Nobody in its audience: the organisation has no active HR admin."),
    ReminderAnchor.REQUEST_MADE: gettext_lazy(
        "Nothing waiting: it goes out the moment a colleague is asked for an observation."
    ),
    ReminderAnchor.REQUEST_DUE: gettext_lazy("Nothing planned: no observation request is waiting for an answer."),
}
NOT_YET = {
    ReminderAnchor.CONVERSATION: gettext_lazy(
        "No dates yet: once the cycle is active, it is planned for each conversation as it is scheduled."
    ),
    ReminderAnchor.REQUEST_MADE: gettext_lazy(
        "No dates yet: once the cycle is active, it goes out whenever a colleague is asked for an observation."
    ),
    ReminderAnchor.REQUEST_DUE: gettext_lazy(
        "No dates yet: once the cycle is active, it is planned for each observation request that waits for an answer."
    ),
}


def timing(rule: ReminderRule, *, within: bool = False) -> str:
    """The rule's offset in words: "2 days before", "On the day", or the digest's weekday.

    ``within``: as the second part of a description (``description``), starting in lower case ("on the day").
    Lower-case msgids of their own rather than .lower() on the translation, which would lower a weekday that keeps
    its capital in English ("every Friday").
    """
    if rule.anchor == ReminderAnchor.OVERDUE_WEEKLY:
        weekday = WEEKDAYS.get(rule.offset_days, rule.offset_days)
        return (_("every %(weekday)s") if within else _("Every %(weekday)s")) % {"weekday": weekday}
    if rule.anchor == ReminderAnchor.REQUEST_MADE:
        return _("as soon as it is made") if within else _("As soon as it is made")
    days = abs(rule.offset_days)
    if rule.offset_days < 0:
        return ngettext("%(count)d day before", "%(count)d days before", days) % {"count": days}
    if rule.offset_days > 0:
        return ngettext("%(count)d day after", "%(count)d days after", days) % {"count": days}
    return _("on the day") if within else _("On the day")


def description(rule: ReminderRule, anchor_label: str | None = None) -> str:
    """The rule in one phrase, in sentence case, as its preview heading and the remove page name it: "When the window
    opens, 2 days before", "Weekly, while conversations are overdue, every Monday". ``anchor_label``: the anchor's
    label when the caller has it (a page of rules works the labels out once)."""
    anchor = anchor_label if anchor_label is not None else rule.get_anchor_display()
    return _("%(anchor)s, %(timing)s") % {"anchor": anchor, "timing": timing(rule, within=True)}


@dataclass(frozen=True)
class Send:
    due_at: datetime.datetime  # aware (UTC); the page shows it in the organisation's zone
    about: str
    count: int | None = None  # planned reminders; None for a send worked out from the calendar (a draft cycle)

    @property
    def reminders(self) -> str:
        """How many reminders, in words ("10,304 reminders"); empty for a draft's send."""
        if self.count is None:
            return ""
        return ngettext("%(count)s reminder", "%(count)s reminders", self.count) % {
            "count": number_format(self.count, force_grouping=True)
        }


@dataclass
class RulePreview:
    rule: ReminderRule
    timing: str
    anchor_label: str  # the rule's choices in words, worked out once per page (get_FOO_display is slow per row)
    audience_label: str
    description: str  # the anchor and the timing in one phrase (``description``): the heading of its preview
    sends: list[Send] = field(default_factory=list)
    would: bool = False  # worked out from the calendar (the cycle is being prepared), not read from planned rows
    planned: int = 0  # planned reminders in all (an active cycle)
    why_none: str = ""  # when there are no sends

    @property
    def more(self) -> str:
        """The planned reminders beyond the sends shown, in words ("and 120 more planned"); empty when none."""
        more = self.planned - sum(send.count or 0 for send in self.sends)
        if more <= 0:
            return ""
        return ngettext(
            "And %(count)s more planned reminder after these.",
            "And %(count)s more planned reminders after these.",
            more,
        ) % {"count": number_format(more, force_grouping=True)}


def digest_about(day: datetime.date) -> str:
    """What a weekly digest is about: its week."""
    return _("Overdue conversations, week of %(day)s") % {"day": date_format(day, "DATE_FORMAT")}


def _calendar(cycle: Cycle, rule: ReminderRule, *, after=None, limit=None) -> list[Send]:
    """The sends of a window or digest rule by its anchor dates, as cycles.planning plans them, in time order:
    those due at ``after`` or later (all without it), at most ``limit`` of them.

    For a window: one per moment, on its opening or closing day moved by the offset. For the digest: every week
    on the rule's weekday, from the day after the first window closes until the cycle ends.
    """
    moments = list(cycle.moments.all())  # prefetched, in calendar order
    zone = cycle.organization.zone
    sends = []
    if rule.anchor in WINDOW_ANCHORS:
        for moment in moments:
            day = moment.opens_on if rule.anchor == ReminderAnchor.WINDOW_OPENS else moment.closes_on
            due = due_utc(shift_days(day, rule.offset_days), rule.time_of_day, zone)
            if due is not None and (after is None or due >= after):
                sends.append(Send(due_at=due, about=moment.local_name))
        sends.sort(key=lambda send: send.due_at)
    elif rule.anchor == ReminderAnchor.OVERDUE_WEEKLY and moments:
        day = shift_days(min(moment.closes_on for moment in moments), 1)
        day = shift_days(day, (rule.offset_days - day.weekday()) % 7) if day is not None else None
        for _week in range(MAX_DIGEST_WEEKS):
            if day is None or day > cycle.ends_on or (limit is not None and len(sends) >= limit):
                break
            due = due_utc(day, rule.time_of_day, zone)
            if due is not None and (after is None or due >= after):
                sends.append(Send(due_at=due, about=digest_about(day)))
            day = shift_days(day, 7)
    return sends[:limit] if limit is not None else sends


def _about(rule: ReminderRule, planned: PlannedSend, windows: dict, fallback: str) -> str:
    """What one planned send is about, from what the rule is anchored to: no query, no row of the send read."""
    if planned.occasion is not None:
        return digest_about(planned.occasion)
    if rule.anchor in WINDOW_ANCHORS:
        # A window's reminders are due on its day moved by the offset: the moment(s) whose day gives this time.
        names = windows.get(planned.due_at)
        if names:
            return ", ".join(names)
    if rule.anchor == ReminderAnchor.CONVERSATION:
        return _("Scheduled conversations")
    if rule.anchor in REQUEST_ANCHORS:
        return _("Observation requests")
    return fallback


def _planned(cycle: Cycle, rule: ReminderRule, overview: ReminderOverview, preview: RulePreview) -> RulePreview:
    preview.planned = overview.planned.get(rule.pk, 0)
    windows: dict[datetime.datetime, list[str]] = {}
    if rule.anchor in WINDOW_ANCHORS:
        for send in _calendar(cycle, rule):
            windows.setdefault(send.due_at, []).append(send.about)
    preview.sends = [
        Send(due_at=send.due_at, about=_about(rule, send, windows, preview.anchor_label), count=send.count)
        for send in overview.sends.get(rule.pk, [])
    ]
    if not preview.sends:
        preview.why_none = _why_none(cycle, rule)
    return preview


def _would(cycle: Cycle, rule: ReminderRule, now: datetime.datetime, preview: RulePreview) -> RulePreview:
    preview.would = True
    preview.sends = _calendar(cycle, rule, after=now, limit=PREVIEW_SIZE)
    if not preview.sends:
        preview.why_none = NOT_YET.get(rule.anchor) or _why_none(cycle, rule)
    return preview


def _why_none(cycle: Cycle, rule: ReminderRule) -> str:
    """Why an active (or draft) cycle's switched-on rule has nothing ahead: no moments, past dates, or nobody."""
    if rule.anchor in WINDOW_ANCHORS or rule.anchor == ReminderAnchor.OVERDUE_WEEKLY:
        if not cycle.moments.all():
            return NO_MOMENTS
        if not _calendar(cycle, rule, after=timezone.now(), limit=1):
            return ALL_PAST
    return NOBODY.get(rule.anchor, ALL_PAST)


def rule_previews(*, cycle: Cycle, rules, overview: ReminderOverview | None) -> list[RulePreview]:
    """For each rule (in the order given) its first PREVIEW_SIZE sends, or the reason it has none.

    ``overview`` is selectors_reminders.reminder_overview of ``cycle`` when it is active (None otherwise); the
    cycle's moments must be prefetched. No queries.
    """
    now = timezone.now()
    anchors = {anchor.value: str(anchor.label) for anchor in ReminderAnchor}
    audiences = {audience.value: str(audience.label) for audience in ReminderAudience}
    previews = []
    for rule in rules:
        anchor_label = anchors.get(rule.anchor, rule.anchor)
        preview = RulePreview(
            rule=rule,
            timing=timing(rule),
            anchor_label=anchor_label,
            audience_label=audiences.get(rule.audience, rule.audience),
            description=description(rule, anchor_label),
        )
        if cycle.status == CycleStatus.CLOSED:
            preview.why_none = CYCLE_CLOSED
        elif not rule.enabled:
            preview.why_none = SWITCHED_OFF
        elif cycle.status == CycleStatus.ACTIVE and overview is not None:
            _planned(cycle, rule, overview, preview)
        else:
            _would(cycle, rule, now, preview)
        previews.append(preview)
    return previews
