"""Core values, strategic goals, expectations (observable behaviour) and what does not count.

Texts that employees read come in Dutch and English (``*_nl`` / ``*_en``);
the organisation's own language is required, the other is optional and
falls back to it. ``obj.local_title`` (core.i18n.Localized) reads the active language.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

# The first migrations of expectations and cycles name expectations.models.Localized: it must stay importable here.
from core.i18n import Localized, localized
from organizations.models import Employee, Organization, Team


def example_lines(text: str) -> list[str]:
    """Examples are written one per line; blank lines and bullets are ignored."""
    return [line.strip().lstrip("-•*").strip() for line in (text or "").splitlines() if line.strip(" -•*")]


class CoreValue(Localized, models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="core_values")
    name_nl = models.CharField(_("name (Dutch)"), max_length=80, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    description_nl = models.TextField(_("short description (Dutch)"), max_length=500, blank=True)
    description_en = models.TextField(_("short description (English)"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("core value")
        verbose_name_plural = _("core values")
        ordering = ["order", "name_nl", "name_en"]
        indexes = [
            # selectors.core_values: the organisation's values in their order.
            models.Index(fields=["organization", "order"], name="corevalue_order_idx"),
        ]

    def __str__(self):
        return localized(self, "name")


class StrategicGoal(Localized, models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="strategic_goals")
    title_nl = models.CharField(_("title (Dutch)"), max_length=120, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    meaning_nl = models.TextField(_("what it means for the coming period (Dutch)"), max_length=1000, blank=True)
    meaning_en = models.TextField(_("what it means for the coming period (English)"), max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ["order", "title_nl", "title_en"]

    def __str__(self):
        return localized(self, "title")


class NotCounted(Localized, models.Model):
    """Something the organisation explicitly does not assess ("hours worked beyond your contract")."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="not_counted")
    text_nl = models.CharField(_("text (Dutch)"), max_length=200, blank=True)
    text_en = models.CharField(_("text (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("does not count")
        verbose_name_plural = _("does not count")
        ordering = ["order", "pk"]

    def __str__(self):
        return localized(self, "text")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARPENING = "sharpening", _("Sharpening")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Expectation(models.Model):
    """One expected behaviour: its identity, audience and status. The wording lives in versions.

    ``current_version`` is the version in force: while a draft is sharpened it
    is edited in place; editing a published expectation adds a new version and
    moves the pointer, so whatever cited the old version keeps reading it.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="expectations")
    core_value = models.ForeignKey(
        CoreValue, verbose_name=_("core value"), on_delete=models.PROTECT, related_name="expectations"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    for_everyone = models.BooleanField(_("for the whole organisation"), default=True)
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="expectations")
    proposed_by = models.ForeignKey(
        Employee, verbose_name=_("proposed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current_version = models.OneToOneField(
        "ExpectationVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sharpening_closes_on = models.DateField(_("suggestions close on"), null=True, blank=True)
    wording_revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        indexes = [
            # selectors.applicable_expectations and services.expectation_publish (cap check).
            models.Index(fields=["organization", "status"], name="expectation_status_idx"),
        ]

    def __str__(self):
        return str(self.current_version) if self.current_version_id else f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("expectations:detail", kwargs={"org_slug": self.organization.slug, "expectation_id": self.pk})

    @property
    def is_open_for_suggestions(self):
        return (
            self.status == Status.SHARPENING
            and self.sharpening_closes_on is not None
            and self.sharpening_closes_on >= timezone.localdate()
        )


class ExpectationVersion(Localized, models.Model):
    """The wording of an expectation at one point in time; published versions are never changed."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    expectation = models.ForeignKey(Expectation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(default=1)
    title_nl = models.CharField(_("short title (Dutch)"), max_length=120, blank=True)
    title_en = models.CharField(_("short title (English)"), max_length=120, blank=True)
    behaviour_nl = models.TextField(_("observable behaviour (Dutch)"), max_length=1000, blank=True)
    behaviour_en = models.TextField(_("observable behaviour (English)"), max_length=1000, blank=True)
    examples_yes_nl = models.TextField(_("“this is it” examples (Dutch)"), max_length=2000, blank=True)
    examples_yes_en = models.TextField(_("“this is it” examples (English)"), max_length=2000, blank=True)
    examples_not_yet_nl = models.TextField(_("“not yet” examples (Dutch)"), max_length=2000, blank=True)
    examples_not_yet_en = models.TextField(_("“not yet” examples (English)"), max_length=2000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), default=20, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    strategic_goal = models.ForeignKey(
        StrategicGoal,
        verbose_name=_("strategic goal it serves"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("expectation version")
        verbose_name_plural = _("expectation versions")
        ordering = ["expectation", "number"]
        constraints = [
            models.UniqueConstraint("expectation", "number", name="expectation_version_number_unique"),
            models.CheckConstraint(condition=Q(weight__lte=100), name="expectation_weight_at_most_100"),
        ]

    def __str__(self):
        return localized(self, "title")

    @property
    def local_examples_yes(self):
        return example_lines(localized(self, "examples_yes"))

    @property
    def local_examples_not_yet(self):
        return example_lines(localized(self, "examples_not_yet"))


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Suggestion(models.Model):
    """Better wording for the observable behaviour, proposed by someone in the audience."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    expectation = models.ForeignKey(Expectation, on_delete=models.CASCADE, related_name="suggestions")
    author = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="suggestions")
    language = models.CharField(max_length=8, default="nl")
    text = models.TextField(_("suggested wording"), max_length=1000)
    why = models.TextField(_("why this is clearer"), max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    reply = models.TextField(_("reply"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["created_at", "pk"]
        indexes = [
            # selectors.suggestions: the suggestions of one expectation, oldest first.
            models.Index(fields=["organization", "expectation", "created_at"], name="suggestion_list_idx"),
        ]

    def __str__(self):
        return self.text[:60]


class Endorsement(models.Model):
    """“Clear to me”: someone in the audience endorses the wording as it stood (``wording_revision``)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    expectation = models.ForeignKey(Expectation, on_delete=models.CASCADE, related_name="endorsements")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="endorsements")
    wording_revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint("expectation", "employee", "wording_revision", name="endorsement_once_per_wording"),
        ]

    def __str__(self):
        return f"{self.employee_id} → {self.expectation_id}"
