"""Calibration: the same rules for everyone, whoever their manager is.

- ``Calibration``: per cycle, HR's thresholds for the flags on the calibration page, and the optional calibration
  window. While the window is open, reviews cannot be shared (reviews.guards asks calibration.hooks) and HR may
  move a proposed outcome, with a written reason; closing it lets managers share again.
- ``OutcomeMove``: one outcome HR moved: which review, from which band to which, why, who and when. The review's
  band changes with it (its own audit entry says so); the move keeps the reason, and the manager reads it.

What is flagged (calibration.flags) is computed from the reviews whenever it is read, in the database.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from cycles.models import Cycle
from organizations.models import Employee, Organization
from reviews.models import OutcomeBand, Review

RECENCY_WEEKS = 4  # "recent" evidence: observed in the last four weeks before the assessment conversation


class Window(models.TextChoices):
    NONE = "none", _("No calibration window")
    OPEN = "open", _("Open: reviews cannot be shared")
    CLOSED = "closed", _("Closed: reviews can be shared")


class Calibration(models.Model):
    """One cycle's calibration: the flags' thresholds and the window (made with the defaults on first change)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="calibration")
    window = models.CharField(_("calibration window"), max_length=8, choices=Window.choices, default=Window.NONE)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    share_points = models.PositiveSmallIntegerField(
        _("difference from the organisation (percentage points)"),
        default=15,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    min_reviews = models.PositiveSmallIntegerField(
        _("fewest reviews for a manager to be compared"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    recency_percent = models.PositiveSmallIntegerField(
        _("share of recent evidence (%)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("calibration")
        verbose_name_plural = _("calibrations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_points__lte=100, recency_percent__lte=100, min_reviews__gte=1),
                name="calibration_thresholds_in_range",
            ),
        ]

    def __str__(self):
        return str(self.cycle_id)

    @property
    def is_open(self) -> bool:
        return self.window == Window.OPEN


class OutcomeMove(models.Model):
    """An outcome HR moved during calibration, with the reason the manager reads."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    from_band = models.ForeignKey(OutcomeBand, on_delete=models.PROTECT, related_name="+")
    to_band = models.ForeignKey(OutcomeBand, verbose_name=_("new outcome"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000)
    moved_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, related_name="+")
    moved_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("outcome move")
        verbose_name_plural = _("outcome moves")
        ordering = ["-moved_at", "-pk"]
        indexes = [
            # The calibration page and the export: a cycle's moves.
            models.Index(fields=["organization", "cycle"], name="move_cycle_idx"),
            # The review page and the manager's list: one review's moves.
            models.Index(fields=["organization", "review"], name="move_review_idx"),
        ]

    def __str__(self):
        return f"{self.review_id}: {self.from_band_id} → {self.to_band_id}"
