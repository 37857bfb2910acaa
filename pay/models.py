"""Pay and progression: salary scales with steps, where each person stands, and what each outcome means.

- ``SalaryTable``: the salary scales that apply from a date ("from 1 January 2027"). A new year gets a new
  table; old ones are kept, so a figure can always be traced to the amounts it was computed from.
- ``SalaryScale``: a scale's name ("Schaal 8"), the same across tables; ``ScaleStep``: one step of one scale
  in one table, a monthly amount. Steps are numbered consecutively (from 0 or 1) and never pay less than the
  step below.
- ``Placement``: where one person stands: a scale and a step (and the date of their yearly step), or a monthly
  salary outside the scales. People without one are "not placed".
- ``PayTable``: per cycle, numbered versions; the latest published one is what everyone reads. A published
  version is never edited: changing it makes a draft of the next version, which HR publishes. Publishing keeps
  the organisation's terms of that moment (holiday allowance, thirteenth month, effective date) with it.
- ``PayRule``: per outcome band of the cycle, its consequence (steps up the scale, a raise in percent for people
  outside the scales, a one-off payment in percent of the annual salary, eligibility for promotion) and a
  sentence in both languages.
- ``PaySettings``: the organisation's terms that every figure uses: holiday allowance, thirteenth month, the
  day on which consequences take effect, and whether managers see their reports' figures.
- ``PayBudget``: the budget HR enters per cycle, in total (no team) or per team.

Amounts are ``Decimal`` with two decimals, never floats; pay.money rounds them.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.i18n import Localized
from cycles.models import Cycle
from organizations.models import Employee, Organization, Team
from reviews.models import OutcomeBand

AMOUNT_DIGITS = 10  # up to 99,999,999.99 a month
PERCENT = {"max_digits": 5, "decimal_places": 2}
PERCENT_RANGE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
MOST_STEPS_UP = 2  # a pay table's rule moves someone at most this many steps up their scale


class PaySettings(models.Model):
    """The organisation's terms used in every figure and shown in every explanation (one row, made on first read)."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="pay_settings")
    holiday_allowance = models.DecimalField(
        _("holiday allowance (percentage of the annual salary)"),
        default=Decimal("8.00"),
        validators=PERCENT_RANGE,
        **PERCENT,
    )
    thirteenth_month = models.BooleanField(_("thirteenth month"), default=False)
    effective_month = models.PositiveSmallIntegerField(
        _("month in which consequences take effect"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    effective_day = models.PositiveSmallIntegerField(
        _("day on which consequences take effect"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    managers_see_reports = models.BooleanField(_("managers see their reports' figures"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("pay settings")
        verbose_name_plural = _("pay settings")

    def __str__(self):
        return str(_("pay settings"))

    def clean(self):
        super().clean()
        try:
            datetime.date(2025, self.effective_month, self.effective_day)  # 2025: not a leap year, so no 29 February
        except (TypeError, ValueError):
            raise ValidationError({"effective_day": _("Choose a day that exists in that month every year.")}) from None

    def effective_date(self, cycle: Cycle) -> datetime.date:
        """The date on which the consequences of ``cycle`` take effect: the first such day after the cycle ends."""
        day = datetime.date(cycle.ends_on.year, self.effective_month, self.effective_day)
        return day if day > cycle.ends_on else day.replace(year=day.year + 1)


class SalaryTable(models.Model):
    """The salary scales that apply from ``applies_from`` until the next table's date."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    applies_from = models.DateField(_("applies from"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("salary table")
        verbose_name_plural = _("salary tables")
        ordering = ["-applies_from"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                "applies_from",
                name="salary_table_one_per_date",
                violation_error_message=_("There are already salary scales from this date."),
            ),
        ]

    def __str__(self):
        from django.utils import formats

        return str(_("Salary scales from %(date)s") % {"date": formats.date_format(self.applies_from, "DATE_FORMAT")})


class SalaryScale(models.Model):
    """A scale's name ("Schaal 8"), shared by every table; ``position`` orders scales as HR's files list them."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("scale"), max_length=60)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("salary scale")
        verbose_name_plural = _("salary scales")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                models.F("organization"),
                Lower("name"),
                name="salary_scale_name_unique",
                violation_error_message=_("There is already a scale with this name."),
            ),
        ]

    def __str__(self):
        return self.name


class ScaleStep(models.Model):
    """One step of one scale in one table: its monthly amount."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    table = models.ForeignKey(SalaryTable, on_delete=models.CASCADE, related_name="steps")
    scale = models.ForeignKey(SalaryScale, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"))
    monthly_amount = models.DecimalField(
        _("monthly amount"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("scale step")
        verbose_name_plural = _("scale steps")
        ordering = ["table", "scale", "number"]
        constraints = [
            models.UniqueConstraint("table", "scale", "number", name="scale_step_unique"),
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="scale_step_amount_positive"),
        ]

    def __str__(self):
        return f"{self.scale_id}/{self.number}"


class Placement(models.Model):
    """Where one person stands: a scale and step (and the date of their yearly step), or a salary off the scales."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="pay_placement")
    scale = models.ForeignKey(
        SalaryScale, verbose_name=_("scale"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    monthly_salary = models.DecimalField(
        _("monthly salary outside the scales"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    step_date = models.DateField(_("date of the yearly step"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scale__isnull=False, step__isnull=False, monthly_salary__isnull=True)
                    | Q(scale__isnull=True, step__isnull=True, monthly_salary__gt=0)
                ),
                name="placement_on_scale_or_salary",
            ),
        ]
        indexes = [
            # The budget: placements per scale and step.
            models.Index(fields=["organization", "scale", "step"], name="placement_scale_idx"),
        ]

    def __str__(self):
        return f"{self.employee_id}"

    @property
    def on_scale(self) -> bool:
        return self.scale_id is not None


class TopRule(models.TextChoices):
    ONE_OFF = "one_off", _("A one-off payment instead of each step that does not fit")
    NOTHING = "nothing", _("Nothing instead of the step")


class PayTable(models.Model):
    """One version of a cycle's pay table: a draft while ``published_at`` is empty, then fixed for good."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveSmallIntegerField(default=1)
    top_rule = models.CharField(
        _("at the top of the scale"), max_length=16, choices=TopRule.choices, default=TopRule.ONE_OFF
    )
    top_one_off_percent = models.DecimalField(
        _("one-off payment per step that does not fit (percentage of the annual salary)"),
        default=Decimal("0"),
        validators=PERCENT_RANGE,
        **PERCENT,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The organisation's pay settings as they were when this version was published: every figure of the cycle
    # uses them, so changing the settings later never rewrites what people were told (a new version applies them).
    holiday_allowance = models.DecimalField(null=True, blank=True, **PERCENT)
    thirteenth_month = models.BooleanField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("pay table")
        verbose_name_plural = _("pay tables")
        ordering = ["cycle", "-version"]
        constraints = [
            models.UniqueConstraint("cycle", "version", name="pay_table_version_unique"),
            models.UniqueConstraint("cycle", condition=Q(published_at__isnull=True), name="pay_table_one_draft"),
        ]

    def __str__(self):
        return str(_("pay table, version %(version)d") % {"version": self.version})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class PayRule(Localized, models.Model):
    """The consequence of one outcome band in one pay table version."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    table = models.ForeignKey(PayTable, on_delete=models.CASCADE, related_name="rules")
    # PROTECT: what employees were told an outcome means stays, so a band with a consequence is not removed.
    band = models.ForeignKey(OutcomeBand, verbose_name=_("outcome"), on_delete=models.PROTECT, related_name="+")
    steps = models.PositiveSmallIntegerField(
        _("steps up the scale"), default=0, validators=[MaxValueValidator(MOST_STEPS_UP)]
    )
    raise_percent = models.DecimalField(
        _("raise for people outside the scales (%)"), default=Decimal("0"), validators=PERCENT_RANGE, **PERCENT
    )
    one_off_percent = models.DecimalField(
        _("one-off payment (percentage of the annual salary)"),
        default=Decimal("0"),
        validators=PERCENT_RANGE,
        **PERCENT,
    )
    promotion = models.BooleanField(_("eligible for promotion"), default=False)
    sentence_nl = models.TextField(_("in a sentence (Dutch)"), max_length=500, blank=True)
    sentence_en = models.TextField(_("in a sentence (English)"), max_length=500, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("pay rule")
        verbose_name_plural = _("pay rules")
        ordering = ["table", "band__position"]
        constraints = [
            models.UniqueConstraint("table", "band", name="pay_rule_one_per_band"),
            models.CheckConstraint(condition=Q(steps__lte=MOST_STEPS_UP), name="pay_rule_steps_0_to_2"),
        ]

    def __str__(self):
        return str(self.band_id)


class PayBudget(models.Model):
    """What HR has to spend on a cycle's outcomes (increases for a year plus one-off payments): in total or per team."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    amount = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint("cycle", "team", name="pay_budget_one_per_team"),
            models.UniqueConstraint("cycle", condition=Q(team__isnull=True), name="pay_budget_one_total"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="pay_budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.cycle_id}/{self.team_id or '-'}"
