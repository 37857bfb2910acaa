"""The reminders of the cycle calendar: the rules HR sets per cycle, the reminders planned from them, the requests
to plan them (cycles.plan_requests) and HR's one-click reminders to a manager about an overdue conversation.

Kept apart from cycles.models (which re-exports them) only for size; they refer to the calendar's models by name.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from organizations.models import Employee, Organization


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
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="reminder_rules")
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
    MISSED = "missed", _("Missed")
    SKIPPED = "skipped", _("Not needed")


class Reminder(models.Model):
    """One planned email: a rule, a recipient and a target (a conversation, a moment or a week of the cycle).

    ``key`` is unique per (rule, recipient, target), so planning twice creates
    nothing new. Re-planning touches only PLANNED rows; a SENT row is never
    sent again. ``next_try_at`` is ``due_at`` until a failed attempt pushes it out.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="reminders")
    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="reminders")
    moment = models.ForeignKey(
        "cycles.Moment", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    conversation = models.ForeignKey(
        "cycles.Conversation", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
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
            # selectors_reminders.reminder_overview: a cycle's planned reminders per rule, due time and week, counted
            # from this index alone, already in group order (1.3 ms instead of 4.5 ms for 14,000 planned rows).
            models.Index(
                fields=["organization", "cycle", "rule", "due_at", "occasion"],
                condition=Q(status="planned"),
                name="reminder_planned_sends_idx",
            ),
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
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        "cycles.Conversation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    moment = models.ForeignKey("cycles.Moment", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    notice = models.ForeignKey("cycles.MomentChange", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
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
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    # No index of its own: nudge_one_per_conversation_and_day starts with it.
    conversation = models.ForeignKey(
        "cycles.Conversation", on_delete=models.CASCADE, related_name="nudges", db_index=False
    )
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
