"""State changes of the organisation area. Each service owns its transaction.

Which login a membership belongs to lives in logins.py, invitations in
invitations.py, and the rule that an organisation keeps an HR admin in
hr_admins.py; the services here combine them.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, logins
from .hr_admins import hr_admin_kept
from .invitations import (  # noqa: F401 - the services' public names from before the split
    InvitationNeedsOwnLogin,
    InvitationUnusable,
    invitation_accept,
    invitation_for_token,
    invitation_send,
    invitations_revoke,
    token_hash,
)
from .logins import user_for_email
from .models import Employee, Organization, Role, Team
from .signals import PERSON_FIELDS, person_changed, person_deactivated

EMPLOYEE_NUMBER_TAKEN = gettext_lazy("Someone in this organisation already has this employee number.")


def _place(employee: Employee) -> dict:
    """What other apps plan around (signals.PERSON_FIELDS), to tell afterwards what a change changed."""
    return {name: getattr(employee, Employee._meta.get_field(name).attname) for name in PERSON_FIELDS}


def _announce(employee: Employee, before: dict | None = None) -> None:
    """Send person_changed for the fields of PERSON_FIELDS that differ from ``before`` (all of them: a new person).

    Inside the caller's transaction, so what receivers record is rolled back with a refused change.
    """
    after = _place(employee)
    fields = frozenset(name for name in PERSON_FIELDS if before is None or before[name] != after[name])
    if fields:
        person_changed.send(
            sender=Employee, organization_id=employee.organization_id, employee_id=employee.pk, fields=fields
        )


def _check_employee_number(employee: Employee) -> None:
    """The employee number is unique within the organisation (employee_number_unique), said at the field.

    The constraint itself is checked by full_clean() as a message for the whole form; this one names the field.
    """
    employee.employee_number = employee.employee_number.strip()
    if not employee.employee_number:
        return
    taken = Employee.objects.filter(
        organization_id=employee.organization_id, employee_number=employee.employee_number
    ).exclude(pk=employee.pk)
    if taken.exists():
        raise ValidationError({"employee_number": EMPLOYEE_NUMBER_TAKEN})


def _save_numbered(employee: Employee) -> None:
    """Save ``employee``; a number someone took a moment ago (after the check) is the same refusal, not a 500."""
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError:
        if not employee.employee_number:
            raise
        raise ValidationError({"employee_number": EMPLOYEE_NUMBER_TAKEN}) from None


def team_create(*, organization: Organization, name: str) -> Team:
    """Create a team; the name is unique within the organisation.

    A second call with the same name raises ValidationError (also when it races the first).
    """
    team = Team(organization=organization, name=name.strip())
    team.full_clean()
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        # Someone created the same team a moment ago, after our check.
        raise ValidationError({"name": _("There is already a team with this name.")}) from None
    return team


def team_rename(*, team: Team, name: str) -> Team:
    """Rename a team; running it twice with the same name is harmless."""
    team.name = name.strip()
    team.full_clean()
    team.save(update_fields=["name"])
    return team


@transaction.atomic
def team_delete(*, team: Team) -> int:
    """Delete a team; its members stay and become teamless. Returns how many members it had.

    Running it twice: the second finds no team (the view answers 404).
    """
    members = list(Employee.objects.filter(organization_id=team.organization_id, team=team))
    Employee.objects.filter(pk__in=[member.pk for member in members]).update(team=None)
    audit.record_updates([(member, {"team": None}) for member in members], via="team_deleted")
    team.delete()
    return len(members)


@transaction.atomic
def person_create(
    *,
    organization: Organization,
    email: str,
    first_name: str,
    last_name: str = "",
    job_title: str = "",
    role: str = Role.EMPLOYEE,
    team: Team | None = None,
    manager: Employee | None = None,
    employee_number: str = "",
    actor: Employee | None = None,
    invite: bool = True,
) -> Employee:
    """Add a person to the organisation and invite them; nobody gets in until the address's owner accepts.

    A new address gets a login without a usable password. An address that
    already has a login (the person is a member elsewhere) gets a membership
    for that login, so one person keeps one password; the login's owner
    accepts while logged in. Typing someone's address never attaches their
    login silently. Either way the invitation goes to the address after the
    commit: the same for both, so what HR sees never tells whether the
    address is known elsewhere (issue 9). A second membership in the same
    organisation is refused. Not harmless twice: the second call is refused
    as a duplicate, and sends nothing. The new person is announced
    (signals.person_changed) inside the transaction. An employee number, when
    given, is unique within the organisation.
    """
    user, created = user_for_email(email)
    if Employee.objects.filter(organization=organization, user=user).exists():
        raise ValidationError({"email": _("This person is already a member of this organisation.")})
    employee = Employee(
        organization=organization,
        user=user,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        job_title=job_title.strip(),
        role=role,
        team=team,
        manager=manager,
        employee_number=employee_number,
    )
    _check_employee_number(employee)
    employee.full_clean(exclude=["user"])
    _save_numbered(employee)
    _announce(employee)
    if not created:
        logins.login_switch_on(user)  # it holds an active membership again, if only a pending one
    if invite:  # off only for a caller that sends the invitation itself (organizations.platform)
        invitation_send(employee=employee, actor=actor)
    return employee


@transaction.atomic
def person_update(*, employee: Employee, email: str | None = None, actor: Employee | None = None, **fields) -> Employee:
    """Change a person's name, job title, employee number, role, team, manager or email address.

    full_clean() refuses a manager from another organisation and a loop in the
    reporting line, whatever the form offered. A new email address means: this
    membership belongs to the login with that address (logins.email_owner).
    When that is not the login it had, the membership is no longer joined, its
    open links are revoked and the new address is invited. The organisation
    keeps an HR admin who can log in (hr_admins), also when HR demotes
    themselves. A changed manager, team, role or active state is announced
    (signals.person_changed) inside the transaction, so the reminders of the
    cycles concerned follow after the commit. Running it twice with the same
    values changes nothing, and announces nothing, the second time.
    """
    role_before = employee.role
    before = _place(employee)
    try:
        with hr_admin_kept(organization_id=employee.organization_id):
            for name, value in fields.items():
                setattr(employee, name, value.strip() if isinstance(value, str) else value)
            old_login = employee.user
            target = logins.email_owner(employee=employee, email=email) if email is not None else None
            if target is not None:
                login, renamed = target
                employee.user = login
                # The owner of the new address has not accepted anything yet.
                employee.joined_at = None
            _check_employee_number(employee)
            employee.full_clean(exclude=["user"])
            _save_numbered(employee)
            _announce(employee, before)
            if target is not None:
                invitations_revoke(employee=employee)
                if not renamed:
                    logins.membership_moved_away(employee=employee, old_login=old_login)
                if employee.is_active:
                    invitation_send(employee=employee, actor=actor)
    except ValidationError as error:
        if getattr(error, "code", None) != "last_hr_admin":
            raise
        field = "role" if employee.role != role_before else NON_FIELD_ERRORS
        raise ValidationError({field: error.messages}) from None
    return employee


@transaction.atomic
def person_deactivate(*, employee: Employee, actor: Employee) -> Employee:
    """Take away a person's access to this organisation, keeping their history.

    Access to this organisation ends at once (the door checks the membership
    on every request) and pending invitations are revoked. Their login, and
    its sessions, are touched only when it holds no active membership any
    more: then it is switched off and logged out everywhere. A login that is
    also an active member elsewhere keeps its sessions there, so HR of one
    organisation cannot log another organisation's people out. Refused when it
    would leave no HR admin who can log in. The deactivation is announced
    (signals.person_deactivated and person_changed). Deactivating someone
    already inactive changes nothing and announces nothing.
    """
    if employee.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself; ask another HR admin."))
    with hr_admin_kept(organization_id=employee.organization_id):
        now = timezone.now()
        changed = Employee.objects.filter(pk=employee.pk, is_active=True).update(is_active=False, deactivated_at=now)
        if not changed:
            employee.refresh_from_db()
            return employee
        audit.record_update(employee, is_active=False)
        invitations_revoke(employee=employee, now=now)
        logins.login_switch_off_if_unused(user_id=employee.user_id)
        person_deactivated.send(sender=Employee, organization_id=employee.organization_id, employee_id=employee.pk)
        person_changed.send(
            sender=Employee,
            organization_id=employee.organization_id,
            employee_id=employee.pk,
            fields=frozenset({"is_active"}),
        )
    employee.refresh_from_db()
    return employee


@transaction.atomic
def person_reactivate(*, employee: Employee) -> Employee:
    """Give a deactivated person access again; harmless when they are active (nothing is announced then)."""
    reactivated = Employee.objects.filter(pk=employee.pk, is_active=False).update(is_active=True, deactivated_at=None)
    logins.login_switch_on(employee.user)
    if reactivated:
        audit.record_update(employee, is_active=True)
        person_changed.send(
            sender=Employee,
            organization_id=employee.organization_id,
            employee_id=employee.pk,
            fields=frozenset({"is_active"}),
        )
    employee.refresh_from_db()
    return employee
