"""Observed behaviour and the assessment that rests on it.

Observations are the evidence: what happened (situation), what the person did
(behaviour) and its effect, about one employee, linked to one of their
expectations or to none. Managers, colleagues asked for one, and employees
themselves write them. A review rates each expectation that applies to the
employee on the cycle's rating scale, each rating citing observations of that
employee or saying why there are none, and derives its outcome band from the
published rule (the weighted score of the ratings); a manager who chooses
another band writes a justification.

What is visible to whom is derived, never a flag that can be forgotten: an
observation held for a conversation shows to the employee from the moment that
conversation is held (or cancelled); see :data:`VISIBLE_TO_EMPLOYEE`.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.i18n import Localized
from cycles.models import Conversation, Cycle
from expectations.models import Expectation, ExpectationVersion
from organizations.models import Employee, Organization

TEXT_LIMIT = 2000  # situation, behaviour, effect, reaction: a few sentences, not an essay


class Shows(models.TextChoices):
    SHOWN = "shown", _("Shows the behaviour")
    ROOM = "room", _("Shows room to grow")


class Source(models.TextChoices):
    """Who wrote an observation, as it was when they wrote it."""

    MANAGER = "manager", _("Manager")
    COLLEAGUE = "colleague", _("Colleague")
    SELF = "self", _("Self-observation")


class ObservationRequest(models.Model):
    """A request to a colleague of ``employee`` for an observation on one expectation, due on a date.

    The colleague sees only this request and the expectation's published text.
    ``cycle`` is the active cycle the request belongs to: its reminder rules send
    the request and the reminder before ``due_on``.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Declined")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="observation_requests_about")
    colleague = models.ForeignKey(
        Employee, verbose_name=_("colleague"), on_delete=models.CASCADE, related_name="observation_requests"
    )
    asked_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, related_name="+")
    expectation = models.ForeignKey(
        Expectation, verbose_name=_("expectation"), on_delete=models.CASCADE, related_name="+"
    )
    expectation_version = models.ForeignKey(ExpectationVersion, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("message to the colleague"), max_length=1000, blank=True)
    due_on = models.DateField(_("answer wanted by"))
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("observation request")
        verbose_name_plural = _("observation requests")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(colleague=models.F("employee")), name="request_not_to_the_person"),
        ]
        indexes = [
            # The colleague's home page and request list: their open requests.
            models.Index(fields=["organization", "colleague", "state"], name="request_colleague_idx"),
            # The employee's and manager's pages: requests about one person.
            models.Index(fields=["organization", "employee", "state"], name="request_employee_idx"),
        ]

    def __str__(self):
        return f"{self.colleague_id} → {self.employee_id} ({self.expectation_id})"


class Observation(models.Model):
    """What someone saw one employee do: situation, behaviour, effect; evidence for a review.

    ``held_for`` is the conversation a manager holds it for: the employee sees it
    once that conversation is held or cancelled (or gone). Correcting it adds a
    version (``version`` goes up; the audit trail keeps the old text); once the
    employee can see it, it is never deleted.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="observations")
    author = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="observations_written")
    source = models.CharField(max_length=16, choices=Source.choices)
    expectation = models.ForeignKey(
        Expectation,
        verbose_name=_("expectation it relates to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    observed_on = models.DateField(_("date"))
    situation = models.TextField(_("situation"), max_length=TEXT_LIMIT)
    behaviour = models.TextField(_("what the person did"), max_length=TEXT_LIMIT)
    effect = models.TextField(_("its effect"), max_length=TEXT_LIMIT, blank=True)
    shows = models.CharField(_("this shows"), max_length=8, choices=Shows.choices, default=Shows.SHOWN)
    held_for = models.ForeignKey(
        Conversation,
        verbose_name=_("hold until the conversation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    request = models.OneToOneField(
        ObservationRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="answer"
    )
    version = models.PositiveSmallIntegerField(default=1)
    reaction = models.TextField(_("your reaction"), max_length=TEXT_LIMIT, blank=True)
    reacted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_on", "-pk"]
        indexes = [
            # "What was seen", the evidence picker and coverage: one person's observations by date.
            models.Index(fields=["organization", "employee", "observed_on"], name="observation_employee_idx"),
        ]

    def __str__(self):
        # Its date only, never its words: this name is what the history shows of cited evidence, also to people
        # who may not read a held observation.
        return gettext("observation of %(date)s") % {"date": formats.date_format(self.observed_on, "DATE_FORMAT")}

    @classmethod
    def history_names(cls, pks) -> dict:
        """Names for the history (organizations.audit_display), in the reader's language: one query."""
        return {
            pk: str(cls(observed_on=day))
            for pk, day in cls._base_manager.filter(pk__in=pks).values_list("pk", "observed_on")
        }


# The observations an employee may see: not held, or held for a conversation that is held, cancelled or gone.
VISIBLE_TO_EMPLOYEE = Q(held_for__isnull=True) | Q(held_for__state__in=("held", "cancelled"))


class RatingLevel(Localized, models.Model):
    """One level of a rating scale: a value (higher is better), a label and a description in both languages.

    ``cycle`` empty: the organisation's scale, which HR edits. A cycle copies
    those rows when it is activated (``cycle`` set), so editing the scale later
    never rewrites the reviews of a cycle that has begun.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    value = models.PositiveSmallIntegerField(_("value"), validators=[MinValueValidator(1), MaxValueValidator(10)])
    label_nl = models.CharField(_("label (Dutch)"), max_length=60, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=60, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), max_length=500, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=500, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(
                "organization", "value", condition=Q(cycle__isnull=True), name="rating_level_value_unique"
            ),
            models.UniqueConstraint(
                "cycle", "value", condition=Q(cycle__isnull=False), name="rating_level_cycle_unique"
            ),
        ]

    def __str__(self):
        return f"{self.value} {self.local_label}"


class OutcomeBand(Localized, models.Model):
    """One outcome of a cycle's assessments: a weighted score of at least ``min_score`` maps to this band."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="outcome_bands")
    position = models.PositiveSmallIntegerField(default=0)  # 0 is the lowest band
    name_nl = models.CharField(_("name (Dutch)"), max_length=80, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), max_length=500, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=500, blank=True)
    min_score = models.DecimalField(
        _("from a weighted score of"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("outcome band")
        verbose_name_plural = _("outcome bands")
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint("cycle", "position", name="outcome_band_position_unique"),
        ]

    def __str__(self):
        return self.local_name


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with the employee")
    EMPLOYEE_SIGNED = "employee_signed", _("Signed by the employee")
    MANAGER_SIGNED = "manager_signed", _("Signed by the manager")
    SIGNED = "signed", _("Signed by both")
    FINALISED = "finalised", _("Finalised")


class Review(models.Model):
    """The assessment of one employee at one conversation of a moment that produces a rating.

    ``score`` and ``computed_band`` follow from the ratings by the published rule;
    ``band`` is the outcome, equal to ``computed_band`` unless the manager chose
    another with a ``justification``. ``manager`` is who writes it (the
    employee's manager when it was started). Every state move is a conditional
    update on the current state (reviews.services).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="review")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="reviews")
    manager = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="reviews_written")
    state = models.CharField(_("state"), max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    computed_band = models.ForeignKey(OutcomeBand, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    band = models.ForeignKey(
        OutcomeBand, verbose_name=_("outcome"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    justification = models.TextField(_("why another outcome than the rule gives"), max_length=2000, blank=True)
    employee_comment = models.TextField(_("the employee's comment"), max_length=5000, blank=True)
    employee_disagrees = models.BooleanField(_("I disagree with this review"), default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    employee_signed_at = models.DateTimeField(null=True, blank=True)
    manager_signed_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reopen_reason = models.TextField(_("reason for reopening"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            # HR's home and the cycle's reviews: counts per state.
            models.Index(fields=["organization", "cycle", "state"], name="review_cycle_state_idx"),
            # A manager's home: the reviews they write.
            models.Index(fields=["organization", "manager", "state"], name="review_manager_idx"),
            models.Index(fields=["organization", "employee"], name="review_employee_idx"),
        ]

    def __str__(self):
        # The services hold the review with its person and cycle fetched (reviews_detailed): no query here.
        return f"{self.employee.full_name} – {self.cycle.name}"

    def get_absolute_url(self):
        return reverse("reviews:review", kwargs={"org_slug": self.organization.slug, "review_id": self.pk})

    @property
    def deviates(self):
        return self.band_id is not None and self.band_id != self.computed_band_id


class Rating(models.Model):
    """The level one expectation reached, pinned to the version in force, with its evidence or a reason."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    expectation = models.ForeignKey(Expectation, on_delete=models.PROTECT, related_name="+")
    expectation_version = models.ForeignKey(ExpectationVersion, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveSmallIntegerField(default=0)  # the version's weight, copied: the rule reads it
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    evidence = models.ManyToManyField(Observation, verbose_name=_("evidence"), blank=True, related_name="ratings")
    reason_without_evidence = models.TextField(_("why there is no observation"), max_length=2000, blank=True)
    note = models.TextField(_("explanation"), max_length=2000, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint("review", "expectation", name="rating_one_per_expectation"),
        ]

    def __str__(self):
        # The pinned wording's title; ratings_of and review_start hold the version already.
        return self.expectation_version.local_title

    @classmethod
    def history_names(cls, pks) -> dict:
        """Names for the history (organizations.audit_display), in the reader's language: one query."""
        rows = cls._base_manager.filter(pk__in=pks).select_related("expectation_version")
        return {rating.pk: str(rating) for rating in rows}


class SelfReflection(models.Model):
    """An employee's preparation for one conversation: answers to the moment's questions, as asked then.

    ``answers`` is a list of ``{"question": ..., "answer": ...}``, so editing the
    moment's questions later never changes what someone answered. The manager
    sees it once ``submitted_at`` is set.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="self_reflection")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=list)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("self-reflection")
        verbose_name_plural = _("self-reflections")

    def __str__(self):
        return f"{self.employee_id} / {self.conversation_id}"
