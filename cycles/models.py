"""The cycle calendar: a cycle's moments (each with a purpose and a window) and one conversation per person.

Moment texts employees read come in Dutch and English (``*_nl`` / ``*_en``),
with ``local_<field>`` picking the active language (see expectations.models).
Times are stored in UTC and entered and shown in the organisation's zone.
"""

import secrets

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.i18n import Localized, localized
from organizations.models import Employee, Organization, Team


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Cycle(models.Model):
    """One performance year (e.g. "2027") for the whole organisation or chosen teams."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(_("name"), max_length=80)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    for_everyone = models.BooleanField(_("for the whole organisation"), default=True)
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="cycles")
    status = models.CharField(_("status"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    activated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="cycle_starts_before_it_ends"),
        ]
        indexes = [
            # selectors.active_cycles: the organisation's active cycle(s).
            models.Index(fields=["organization", "status"], name="cycle_status_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cycles:cycle_detail", kwargs={"org_slug": self.organization.slug, "cycle_id": self.pk})


class MomentKind(models.TextChoices):
    PLANNING = "planning", _("Planning conversation")
    PROGRESS = "progress", _("Progress conversation")
    ASSESSMENT = "assessment", _("Assessment conversation")
    DEVELOPMENT = "development", _("Development conversation")
    CUSTOM = "custom", _("Other moment")


class Moment(Localized, models.Model):
    """A named step of the cycle: what it is for, when its window is open, and how to prepare."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="moments")
    kind = models.CharField(_("kind"), max_length=16, choices=MomentKind.choices, default=MomentKind.CUSTOM)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    purpose_nl = models.TextField(_("purpose (Dutch)"), max_length=1000, blank=True)
    purpose_en = models.TextField(_("purpose (English)"), max_length=1000, blank=True)
    opens_on = models.DateField(_("window opens on"))
    closes_on = models.DateField(_("window closes on"))
    preparation_employee_nl = models.TextField(_("how the employee prepares (Dutch)"), max_length=2000, blank=True)
    preparation_employee_en = models.TextField(_("how the employee prepares (English)"), max_length=2000, blank=True)
    preparation_manager_nl = models.TextField(_("how the manager prepares (Dutch)"), max_length=2000, blank=True)
    preparation_manager_en = models.TextField(_("how the manager prepares (English)"), max_length=2000, blank=True)
    produces_rating = models.BooleanField(_("produces a rating"), default=False)
    # The self-reflection the employee writes before the conversation: whether it is asked, and its questions
    # (one per line). reviews.SelfReflection keeps the questions as they were when someone answered.
    asks_reflection = models.BooleanField(_("asks the employee for a self-reflection"), default=False)
    reflection_questions_nl = models.TextField(_("self-reflection questions (Dutch)"), max_length=2000, blank=True)
    reflection_questions_en = models.TextField(_("self-reflection questions (English)"), max_length=2000, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("moment")
        verbose_name_plural = _("moments")
        ordering = ["opens_on", "closes_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_on__lte=F("closes_on")), name="moment_opens_before_it_closes"),
            models.CheckConstraint(
                condition=Q(produces_rating=False) | Q(kind="assessment"), name="moment_rating_only_assessment"
            ),
        ]

    def __str__(self):
        return localized(self, "name")


class MomentChange(models.Model):
    """A moved window of an active cycle: the record HR leaves when the fixed calendar changes."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="changes")
    old_opens_on = models.DateField()
    old_closes_on = models.DateField()
    new_opens_on = models.DateField()
    new_closes_on = models.DateField()
    reason = models.TextField(_("reason"), max_length=1000)
    changed_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.moment_id}: {self.old_opens_on}–{self.old_closes_on} → {self.new_opens_on}–{self.new_closes_on}"


class ConversationState(models.TextChoices):
    TO_SCHEDULE = "to_schedule", _("To be scheduled")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# Not held and not cancelled: the conversation still has to take place. The one definition: who may act on it
# (cycles.rules), who is reminded (cycles.wanted), who is told of a moved window, what counts as overdue.
OPEN_STATES = frozenset({ConversationState.TO_SCHEDULE, ConversationState.SCHEDULED})


class Conversation(models.Model):
    """One employee's conversation for one moment. "Overdue" is derived: the window closed and it was not held."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="conversations")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="conversations")
    state = models.CharField(
        _("state"), max_length=16, choices=ConversationState.choices, default=ConversationState.TO_SCHEDULE
    )
    scheduled_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    location = models.CharField(_("location or video link"), max_length=300, blank=True)
    agreements = models.TextField(_("agreements"), max_length=5000, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    # The iCalendar SEQUENCE: goes up whenever the date or time moves, so calendars update the event.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint("moment", "employee", name="conversation_one_per_moment_and_employee"),
        ]
        indexes = [
            # selectors.my_year and the calendar feed: one person's conversations.
            models.Index(fields=["organization", "employee"], name="conversation_employee_idx"),
            # selectors.cycle_progress: counts per moment and state.
            models.Index(fields=["organization", "moment", "state"], name="conversation_progress_idx"),
        ]

    def __str__(self):
        return f"{self.employee_id} / {self.moment_id}"

    @property
    def is_overdue(self):
        return self.state in OPEN_STATES and self.moment.closes_on < timezone.localdate()


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address. Regenerating replaces the token, so the old URL stops working."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    def __str__(self):
        return f"feed {self.employee_id}"


class ReminderAnchor(models.TextChoices):
    WINDOW_OPENS = "window_opens", _("When the window opens")
    WINDOW_CLOSES = "window_closes", _("When the window closes, if not yet scheduled")
    CONVERSATION = "conversation", _("The scheduled conversation")
    OVERDUE_WEEKLY = "overdue_weekly", _("Weekly, while conversations are overdue")
    # Observation requests (reviews.ObservationRequest): the request itself, and the reminder before it is due.
    REQUEST_MADE = "request_made", _("When a colleague is asked for an observation")
    REQUEST_DUE = "request_due", _("When an observation request is due, if not yet answered")
    # HR's "Remind <manager>" on the overdue list (cycles.nudges): one hidden rule per cycle, planned from Nudge rows.
    OVERDUE_NUDGE = "overdue_nudge", _("When HR reminds a manager of an overdue conversation")


class ReminderAudience(models.TextChoices):
    EMPLOYEE = "employee", _("The employee")
    MANAGER = "manager", _("The manager")
    BOTH = "both", _("The employee and the manager")
    HR = "hr", _("HR admins")
    COLLEAGUE = "colleague", _("The colleague asked")


class ReminderRule(models.Model):
    """When a reminder goes out for a cycle, relative to an anchor, at a local time of day, and to whom.

    The offset counts days from the anchor (negative: before it). For the
    weekly overdue digest the offset is the weekday instead (0 = Monday).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reminder_rules")
    anchor = models.CharField(_("sent relative to"), max_length=16, choices=ReminderAnchor.choices)
    offset_days = models.SmallIntegerField(_("days from it"), default=0)
    time_of_day = models.TimeField(_("at (local time)"))
    audience = models.CharField(_("to"), max_length=16, choices=ReminderAudience.choices)
    enabled = models.BooleanField(_("on"), default=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["cycle", "anchor", "offset_days", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offset_days__gte=-90, offset_days__lte=90), name="reminder_rule_offset_within_90_days"
            ),
            # cycles.nudges.nudge_rule: the one rule that sends HR's reminders from the overdue list.
            models.UniqueConstraint(
                "cycle", condition=Q(anchor="overdue_nudge"), name="reminder_rule_one_nudge_rule_per_cycle"
            ),
        ]

    def __str__(self):
        return f"{self.get_anchor_display()} {self.offset_days:+d}"


class ReminderStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    MISSED = "missed", _("Missed (too late)")
    SKIPPED = "skipped", _("Not needed")


class Reminder(models.Model):
    """One planned email: a rule, a recipient and a target (a conversation, a moment or a week of the cycle).

    ``key`` is unique per (rule, recipient, target), so planning twice creates
    nothing new. Re-planning touches only PLANNED rows; a SENT row is never
    sent again. ``next_try_at`` is ``due_at`` until a failed attempt pushes it out.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reminders")
    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="reminders")
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    occasion = models.DateField(null=True, blank=True)  # the week of a weekly digest
    # The row of a higher app a reminder is about, for the anchors those apps plan (cycles.anchors): the
    # observation request of REQUEST_MADE and REQUEST_DUE. An id, not a foreign key: cycles imports no higher app.
    subject_id = models.BigIntegerField(null=True, blank=True)
    key = models.CharField(max_length=80, unique=True)
    due_at = models.DateTimeField()
    next_try_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=ReminderStatus.choices, default=ReminderStatus.PLANNED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        indexes = [
            # dispatch.reminders_dispatch: due, unsent rows across organisations, without scanning the planned future
            # (a partial index holds only PLANNED rows, ordered by when they may next be tried).
            models.Index(fields=["next_try_at"], condition=Q(status="planned"), name="reminder_due_idx"),
            # dispatch._interrupted: the few rows a dead dispatcher left claimed.
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="reminder_sending_idx"),
            # planning.reminders_plan and the HR reminder page: one cycle's rows by status.
            models.Index(fields=["organization", "cycle", "status", "due_at"], name="reminder_cycle_idx"),
            # planning for one conversation's reminders.
            models.Index(fields=["conversation", "status"], name="reminder_conversation_idx"),
        ]

    def __str__(self):
        return self.key


class PlanRequest(models.Model):
    """A change whose reminders still need re-planning: the outbox between a saved change and the planner.

    Written in the transaction of the change itself (``services.changed``), so a
    saved change always leaves one, whatever the broker does; deleted in the
    transaction that re-plans it (``plan_requests.plan_request_process``). The
    target is a conversation, a moment (``notice``: tell the people concerned
    afterwards), the rules of some anchors (``anchors``) or, with none of these,
    the whole cycle. ``created_at`` is when the
    change was saved: reminders already due then are not planned, those that
    fell due while the planning waited are. ``claim``/``claimed_at`` mark the
    worker planning it; a claim older than ``plan_requests.CLAIM_TIMEOUT`` is
    taken over (the worker died).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    notice = models.ForeignKey(MomentChange, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # Only the rules of these anchors (comma-separated), for a change that concerns nothing else: an observation
    # request re-plans its two rules, not the 30,000 conversation reminders of a large cycle.
    anchors = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(conversation__isnull=True) | Q(moment__isnull=True),
                name="plan_request_one_target",
            ),
            models.CheckConstraint(
                condition=Q(notice__isnull=True) | Q(moment__isnull=False), name="plan_request_notice_has_moment"
            ),
        ]
        indexes = [
            # plan_requests.plan_requests_process: the oldest waiting requests, across organisations.
            models.Index(fields=["created_at"], name="plan_request_waiting_idx"),
        ]

    def __str__(self):
        target = f"c{self.conversation_id}" if self.conversation_id else f"m{self.moment_id}" if self.moment_id else ""
        return f"plan {self.cycle_id}{target}"


class Nudge(models.Model):
    """HR reminding a manager, by hand, of an overdue conversation: the record of who asked whom, and when.

    The overdue list shows it ("Reminded on … by …"). The email goes out through
    the reminder machinery: a ``Reminder`` of the cycle's OVERDUE_NUDGE rule,
    planned from these rows (cycles.nudge_mail) and sent by the dispatcher, one
    per ``batch`` and manager (a "remind all" click mails each manager once,
    listing their overdue reports). At most one per conversation and local day,
    so a second click on the same day saves nothing.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    # No index of its own: nudge_one_per_conversation_and_day starts with it.
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="nudges", db_index=False)
    manager = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    on = models.DateField()  # the organisation's local day
    batch = models.CharField(max_length=16)  # one click's rows: mailed together, one email per manager
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("reminder to the manager")
        verbose_name_plural = _("reminders to the manager")
        constraints = [
            # Also serves selectors_overdue.overdue (the latest one per conversation of a page).
            models.UniqueConstraint("conversation", "on", name="nudge_one_per_conversation_and_day"),
        ]
        indexes = [
            # nudge_mail.plan: a cycle's nudges of the last days.
            models.Index(fields=["organization", "cycle", "created_at"], name="nudge_recent_idx"),
            # nudge_mail.context, why_not and about: the rows of one click for one manager.
            models.Index(fields=["organization", "batch", "manager"], name="nudge_batch_idx"),
        ]

    def __str__(self):
        return f"{self.conversation_id} → {self.manager_id} ({self.on})"
