"""Which login a membership belongs to, and what happens to a login when it loses one.

A login (accounts.User) is a person's email address and password; it may
hold memberships of several organisations. HR of one organisation decides
about its own memberships only: it never renames a login someone else may
use, never learns whether an address is known elsewhere, and never logs a
person out of another organisation. These helpers run inside the calling
service's transaction.
"""

from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.models import User

from . import notifications
from .models import Employee
from .signals import membership_moved


def normalise_email(email: str) -> str:
    """The form in which Helder stores an email address: trimmed and lower-case."""
    return User.objects.normalize_email(email.strip()).lower()


def user_for_email(email: str) -> tuple[User, bool]:
    """The login for ``email`` (case-insensitive), created without a usable password when new.

    Harmless twice: the second call finds the login the first made.
    """
    email = normalise_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(email=email)
    user.set_unusable_password()
    user.save()
    return user, True


def login_has_been_used(user: User) -> bool:
    """Whether someone has ever been able to log in with ``user``: it has a password or a last login."""
    return user.has_usable_password() or user.last_login is not None


def login_switch_on(user: User) -> None:
    """Switch ``user`` on: it is about to hold an active membership. Harmless when it is on."""
    if not user.is_active:
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True


def login_switch_off_if_unused(*, user_id: int) -> bool:
    """Switch a login off and end its sessions when it holds no active membership any more.

    A login that is still an active member elsewhere is left alone: HR of one
    organisation ends access to that organisation only (the door checks the
    membership on every request), never the person's sessions for another.
    Returns whether the login was switched off. Harmless twice.
    """
    with scopes_disabled():
        still_member = Employee.objects.filter(user_id=user_id, is_active=True).exists()
    if still_member:
        return False
    User.objects.filter(pk=user_id).update(is_active=False)
    transaction.on_commit(lambda: sessions_end(user_id=user_id))
    return True


def sessions_end(*, user_id: int) -> int:
    """Log a login out everywhere. Returns how many sessions were ended. Harmless twice: the second ends nothing."""
    sessions = list(UserSession.objects.filter(user_id=user_id))
    for session in sessions:
        session.end()
    return len(sessions)


def email_owner(*, employee: Employee, email: str) -> tuple[User, bool] | None:
    """The login ``employee`` belongs to once its address is ``email``, and whether it is the current one.

    None when the address does not change. The answer never depends on whether
    ``email`` is known in another organisation, only on this organisation and
    on the current login:

    - another person of this organisation uses the address: a field error;
    - the current login is used only here and nobody has ever logged in with
      it: it is renamed in place when the address is free (True), otherwise
      the membership moves to the login that has the address (False);
    - the current login has been used, or is shared with another organisation:
      the membership moves to the login for the address, created when unknown.
    """
    email = normalise_email(email)
    current = employee.user
    if email == current.email.lower():
        return None
    with scopes_disabled():
        owner = User.objects.filter(email__iexact=email).first()
        if owner is not None and Employee.objects.filter(organization_id=employee.organization_id, user=owner).exists():
            raise ValidationError({"email": _("Another person in this organisation already uses this email address.")})
        shared = Employee.objects.filter(user=current).exclude(pk=employee.pk).exists()
    if owner is None and not shared and not login_has_been_used(current):
        try:
            with transaction.atomic():
                User.objects.filter(pk=current.pk).update(email=email)
        except IntegrityError:
            pass  # someone took the address a moment ago: move to that login, as if it had been known
        else:
            current.email = email
            return current, True
    if owner is None:
        owner, _created = user_for_email(email)
    login_switch_on(owner)
    return owner, False


def membership_moved_away(*, employee: Employee, old_login: User) -> None:
    """What follows when ``employee`` moved from ``old_login`` to another login.

    The old login's owner is told when they could have used it (the email goes
    after the commit, in their language); the old login is switched off when
    it holds no other active membership; higher apps hear of it
    (signals.membership_moved), so that nothing the old owner holds keeps
    showing this membership.
    """
    if login_has_been_used(old_login):
        organization_id, address, language = employee.organization_id, old_login.email, old_login.language
        transaction.on_commit(
            lambda: notifications.login_moved_notice_send(
                organization_id=organization_id, email=address, language=language
            )
        )
    login_switch_off_if_unused(user_id=old_login.pk)
    membership_moved.send(sender=Employee, organization_id=employee.organization_id, employee_id=employee.pk)
