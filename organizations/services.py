"""State changes of the organisation area. Each service owns its transaction."""

import hashlib
import secrets
from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.models import User

from .models import Employee, Invitation, Organization, Role, Team


class InvitationUnusable(Exception):
    """The link is unknown, expired, revoked or already used."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def team_create(*, organization: Organization, name: str) -> Team:
    """Create a team; the name is unique within the organisation (a duplicate raises ValidationError)."""
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
    """Delete a team; its members stay and become teamless. Returns how many members it had."""
    members = Employee.objects.filter(organization_id=team.organization_id, team=team).update(team=None)
    team.delete()
    return members


def user_for_email(email: str) -> tuple[User, bool]:
    """The login for ``email`` (case-insensitive), created without a usable password when new."""
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(email=email)
    user.set_unusable_password()
    user.save()
    return user, True


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
) -> Employee:
    """Add a person to the organisation.

    Someone who already has a login (a member elsewhere) gets a membership for
    that login, so one person keeps one password. A second membership in the
    same organisation is refused.
    """
    user, _created = user_for_email(email)
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
    )
    employee.full_clean(exclude=["user"])
    employee.save()
    return employee


@transaction.atomic
def person_update(*, employee: Employee, email: str | None = None, **fields) -> Employee:
    """Change a person's name, job title, role, team or manager (and email, when no one else uses it).

    full_clean() refuses a manager from another organisation and a loop in the
    reporting line, whatever the form offered.
    """
    for name, value in fields.items():
        setattr(employee, name, value.strip() if isinstance(value, str) else value)
    if email is not None:
        email = User.objects.normalize_email(email.strip()).lower()
        if email != employee.user.email:
            if User.objects.filter(email__iexact=email).exclude(pk=employee.user_id).exists():
                raise ValidationError({"email": _("Another person already uses this email address.")})
            # Build the query inside scopes_disabled(): a queryset made inside the door's
            # scope is already limited to this organisation and would never see the others.
            with scopes_disabled():
                shared = Employee.objects.filter(user_id=employee.user_id).exclude(pk=employee.pk).exists()
            if shared:
                raise ValidationError(
                    {"email": _("This login is also used in another organisation; only its owner can change it.")}
                )
            employee.user.email = email
            employee.user.save(update_fields=["email"])
    employee.full_clean(exclude=["user"])
    employee.save()
    return employee


def sessions_end(*, user: User) -> int:
    """Log ``user`` out everywhere. Returns how many sessions were ended."""
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def person_deactivate(*, employee: Employee, actor: Employee) -> Employee:
    """Take away a person's access to this organisation, keeping their history.

    Their sessions end at once. When they are no longer an active member
    anywhere, their login is switched off as well. Pending invitations are
    revoked. Deactivating someone already inactive changes nothing.
    """
    if employee.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself; ask another HR admin."))
    now = timezone.now()
    changed = Employee.objects.filter(pk=employee.pk, is_active=True).update(is_active=False, deactivated_at=now)
    if not changed:
        return employee
    Invitation.objects.filter(
        organization_id=employee.organization_id, employee=employee, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    with scopes_disabled():
        still_member = Employee.objects.filter(user_id=employee.user_id, is_active=True).exists()
    if not still_member:
        User.objects.filter(pk=employee.user_id).update(is_active=False)
    user = employee.user
    transaction.on_commit(lambda: sessions_end(user=user))
    employee.refresh_from_db()
    return employee


@transaction.atomic
def person_reactivate(*, employee: Employee) -> Employee:
    """Give a deactivated person access again; harmless when they are active."""
    Employee.objects.filter(pk=employee.pk).update(is_active=True, deactivated_at=None)
    User.objects.filter(pk=employee.user_id).update(is_active=True)
    employee.refresh_from_db()
    return employee


@transaction.atomic
def invitation_send(*, employee: Employee, actor: Employee | None) -> Invitation:
    """Invite ``employee`` to set a password: revokes earlier open links, emails a new one after commit."""
    if not employee.is_active:
        raise ValidationError(_("Reactivate this person before inviting them."))
    now = timezone.now()
    Invitation.objects.filter(
        organization_id=employee.organization_id, employee=employee, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization_id=employee.organization_id,
        employee=employee,
        token_hash=token_hash(token),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    from .tasks import invitation_send_email

    transaction.on_commit(
        lambda: invitation_send_email.delay(
            organization_id=employee.organization_id, invitation_id=invitation.pk, token=token
        )
    )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation behind ``token``; raises InvitationUnusable otherwise."""
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("employee__user", "organization")
            .filter(token_hash=token_hash(token))
            .first()
        )
    if invitation is None or not invitation.is_usable or not invitation.employee.is_active:
        raise InvitationUnusable
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str | None) -> User:
    """Set the invited person's password and use up the link.

    Someone who already has a password (a consultant added to a second
    organisation) keeps it: ``password`` None only uses up the link, so an
    invitation can never reset a login that is shared with another organisation.

    The conditional update makes the link single-use even when it is opened
    twice at the same moment: only one request can move accepted_at from empty.
    """
    invitation = invitation_for_token(token)
    with scopes_disabled():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).update(accepted_at=timezone.now())
    if claimed != 1:
        raise InvitationUnusable
    user = invitation.employee.user
    if user.has_usable_password():
        password = None
    if password is not None:
        user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user
