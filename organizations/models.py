import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Language

from . import names


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Organization(models.Model):
    """The tenant. Everything a customer owns hangs off one of these."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=60, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.DUTCH)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Amsterdam", validators=[validate_time_zone]
    )
    expectation_cap = models.PositiveSmallIntegerField(
        _("most expectations per person"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(7)],
        help_text=_("How many published expectations may apply to one person: 3 to 7."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expectation_cap__gte=3, expectation_cap__lte=7), name="organization_cap_3_to_7"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:home", kwargs={"org_slug": self.slug})

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class Team(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                models.F("organization"),
                Lower("name"),
                name="team_name_unique_per_organization",
                violation_error_message=_("There is already a team with this name."),
            ),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    MANAGER = "manager", _("Manager")
    HR_ADMIN = "hr_admin", _("HR admin")


# The memberships that let a login into their organisation: active, and accepted by the
# login's owner. The door (tenancy.membership), the chooser and the menu all read this.
OPEN_MEMBERSHIP = Q(is_active=True, joined_at__isnull=False)

NAME_FIELDS = frozenset({"first_name", "last_name"})


class EmployeeQuerySet(models.QuerySet):
    """Bulk writes keep ``sort_name`` right, as save() does: the import and the demos write people in bulk."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for employee in objs:
            employee.sort_name = names.sort_name(employee.first_name, employee.last_name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if NAME_FIELDS & set(fields):
            objs = list(objs)
            for employee in objs:
                employee.sort_name = names.sort_name(employee.first_name, employee.last_name)
            fields = [*fields, "sort_name"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        # A name set by update() would leave its sort key behind, and the lists would sort the person by their old
        # name without anyone noticing: refuse loudly instead (bulk_update's own update() carries the key along).
        if NAME_FIELDS & kwargs.keys() and "sort_name" not in kwargs:
            raise TypeError("Change people's names through save() or bulk_update(), which keep sort_name right.")
        return super().update(**kwargs)


class Employee(models.Model):
    """A person's membership of one organisation: their name there, role, team and manager.

    The manager must be a member of the same organisation and reporting lines
    have no loops; services call full_clean() before every write, and forms only
    offer this organisation's people, so neither can be bypassed through a form.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="employees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    # The number the payroll system knows this person by: optional, unique within the organisation when given.
    employee_number = models.CharField(_("employee number"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.EMPLOYEE)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    # Empty until the login's owner accepts the membership through the link mailed to its
    # address: HR decides who belongs to the organisation, the owner of the address decides
    # whether their login takes that place. Only active, joined memberships open the door.
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # What lists sort people on, Dutch style: "jong, sanne, de" for Sanne de Jong (names.sort_name). Derived from
    # the name on every write (save(), and EmployeeQuerySet's bulk writes), never typed.
    sort_name = models.CharField(max_length=names.SORT_NAME_LENGTH, editable=False, default="")

    objects = ScopedManager(organization="organization", _manager_class=models.Manager.from_queryset(EmployeeQuerySet))

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["sort_name", "pk"]
        constraints = [
            models.UniqueConstraint("organization", "user", name="employee_one_membership_per_user"),
            models.CheckConstraint(condition=~Q(manager=models.F("id")), name="employee_not_own_manager"),
            models.UniqueConstraint(
                "organization",
                "employee_number",
                condition=~Q(employee_number=""),
                name="employee_number_unique",
                violation_error_message=_("Someone in this organisation already has this employee number."),
            ),
        ]
        indexes = [
            # selectors.people: the people list, filtered by active and sorted by surname (sort_name, then id); one
            # page of 50 is read in index order instead of sorting every active person of the organisation.
            models.Index(fields=["organization", "is_active", "sort_name", "id"], name="employee_sort_idx"),
            # reviews.selectors_config.cycle_reviews: a cycle's reviews by name, active or not; PostgreSQL walks the
            # names in order and stops after one page instead of sorting every review of the cycle (0.3 ms instead
            # of 11 ms at 10,000 people). Also calibration's managers_of_drafts and reviews' colleagues_named,
            # sorted by sort_name then id, read it in order.
            models.Index(fields=["organization", "sort_name", "id"], name="employee_org_sort_idx"),
            # expectations.selectors.groups: the active people per team, counted from this index alone (an
            # index-only scan: 1.1 ms instead of 3 ms reading 10,000 rows of the table).
            models.Index(
                fields=["organization", "team"], condition=models.Q(is_active=True), name="employee_team_active_idx"
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # A derived column, not a workflow: the sort key follows the name on every save.
        self.sort_name = names.sort_name(self.first_name, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and NAME_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "organizations:person_detail", kwargs={"org_slug": self.organization.slug, "employee_id": self.pk}
        )

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def email(self):
        return self.user.email

    @property
    def has_joined(self):
        """Accepted this membership and can log in: an invitation has nothing left to do."""
        return self.joined_at is not None and self.user.has_usable_password()

    def clean(self):
        super().clean()
        errors = {}
        if self.team_id and self.team.organization_id != self.organization_id:
            errors["team"] = _("Choose a team of this organisation.")
        if self.manager_id:
            if self.manager_id == self.pk:
                errors["manager"] = _("A person cannot be their own manager.")
            elif self.manager.organization_id != self.organization_id:
                errors["manager"] = _("Choose a manager from this organisation.")
            elif self.pk and self._manager_chain_reaches_self():
                errors["manager"] = _(
                    "%(manager)s reports (directly or through others) to %(person)s; "
                    "that would make the reporting line go round in a circle."
                ) % {"manager": self.manager.full_name, "person": self.full_name}
        if errors:
            raise ValidationError(errors)

    def _manager_chain_reaches_self(self):
        """Walk up from the proposed manager through this organisation's reporting lines, in one query."""
        lines = dict(Employee.objects.filter(organization_id=self.organization_id).values_list("id", "manager_id"))
        seen = set()
        current = self.manager_id
        while current is not None and current not in seen:
            if current == self.pk:
                return True
            seen.add(current)
            current = lines.get(current)
        return False


class Invitation(models.Model):
    """A single-use, expiring link that lets an invited person set their password.

    Only a SHA-256 of the token is stored, so a copy of the database does not
    hand out working links.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            # selectors.people: the latest invitation state per person.
            models.Index(fields=["organization", "employee", "-created_at"], name="invitation_latest_idx"),
        ]

    def __str__(self):
        return f"{self.employee_id} @ {self.created_at:%Y-%m-%d}"

    @property
    def is_usable(self):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class PeopleImport(models.Model):
    """An uploaded people file, kept from preview to confirmation (and afterwards, as a record)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="people_imports")
    uploaded_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    content = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")

    def __str__(self):
        return self.file_name or f"import {self.pk}"


# The audit trail's entry (django-auditlog's log entry with the organisation) lives in its own module; importing it
# here is what makes Django find it.
from .audit_models import AuditEntry  # noqa: E402, F401
