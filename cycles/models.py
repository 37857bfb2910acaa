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

# The reminder models live in their own module (for size only; they refer to the models here by name); every
# import keeps going through cycles.models.
from .models_reminders import (  # noqa: F401
    Nudge,
    PlanRequest,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
    ReminderStatus,
)


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
