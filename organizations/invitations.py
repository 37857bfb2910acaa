"""Invitations: the only way a login takes its place in an organisation.

HR decides who belongs to the organisation; the owner of the email address
decides whether their login takes that place, by following the single-use
link mailed to the address. Accepting marks the membership joined, and only
joined memberships open the organisation (tenancy.membership).

A login that has no password yet chooses one through the link (whoever reads
the mailbox owns the login, as with a password reset). A login that already
has a password accepts only while logged in as exactly that login, so a
link forwarded or intercepted cannot attach someone else's login, and
nobody can attach another person's login by typing its address.
"""

import hashlib
import logging
import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.models import User
from core.background import BROKER_ERRORS, publish

from . import audit
from .models import Employee, Invitation
from .tasks import invitation_send_email

logger = logging.getLogger(__name__)


class InvitationUnusable(Exception):
    """The link is unknown, expired, revoked or already used."""


class InvitationNeedsOwnLogin(Exception):
    """The link belongs to a login with a password: only that login, logged in, may accept it."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitations_revoke(*, employee: Employee, now=None) -> int:
    """Withdraw ``employee``'s open links; harmless when there are none. Returns how many were open."""
    return Invitation.objects.filter(
        organization_id=employee.organization_id, employee=employee, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now or timezone.now())


@transaction.atomic
def invitation_send(*, employee: Employee, actor: Employee | None) -> Invitation:
    """Invite ``employee``: revokes earlier open links, emails a new one after commit.

    One open link per membership at a time. Running it twice sends two emails,
    of which only the second link works.
    """
    if not employee.is_active:
        raise ValidationError(_("Reactivate this person before inviting them."))
    if employee.has_joined:
        raise ValidationError(_("This person has already joined and logs in as %(email)s.") % {"email": employee.email})
    now = timezone.now()
    invitations_revoke(employee=employee, now=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization_id=employee.organization_id,
        employee=employee,
        token_hash=token_hash(token),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    organization_id = employee.organization_id
    transaction.on_commit(lambda: invitation_email_hand_over(organization_id, [(invitation.pk, token)]))
    invitation.token = token  # not stored (only its hash is): for an operator's command that prints the link
    return invitation


def invitations_send_new(*, employees: Sequence[Employee], actor: Employee | None) -> None:
    """Invite people who have no invitation yet (the new memberships of an import), in one insert.

    Must run inside the caller's transaction; the emails go out after it
    commits, one task each. Not harmless twice: a second call would mail
    every person a second open link, so the import calls it once, inside the
    transaction that claims the file.
    """
    if not employees:
        return
    now = timezone.now()
    expires_at = now + timedelta(days=settings.INVITATION_VALID_DAYS)
    tokens = [secrets.token_urlsafe(32) for _employee in employees]
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                organization_id=employee.organization_id,
                employee=employee,
                token_hash=token_hash(token),
                invited_by=actor,
                created_at=now,
                expires_at=expires_at,
            )
            for employee, token in zip(employees, tokens, strict=True)
        ]
    )
    organization_id = employees[0].organization_id
    links = [(invitation.pk, token) for invitation, token in zip(invitations, tokens, strict=True)]
    transaction.on_commit(lambda: invitation_email_hand_over(organization_id, links))


def invitation_email_hand_over(organization_id: int, links: list[tuple[int, str]]) -> None:
    """Give each invitation email to the worker; when the broker cannot take it, send it here and now.

    Runs after the commit, so the change HR made is saved whatever happens
    here: a broker that is down must not turn a saved change into an error
    page. An email that cannot be sent at all is logged; HR can send a new
    invitation from the person's page.
    """
    for invitation_id, token in links:
        arguments = {"organization_id": organization_id, "invitation_id": invitation_id, "token": token}
        try:
            publish(invitation_send_email, **arguments)
            continue
        except BROKER_ERRORS:
            logger.warning("Broker unavailable; sending invitation %s inline.", invitation_id, exc_info=True)
        try:
            invitation_send_email(**arguments)
        except Exception:
            logger.exception("Invitation %s could not be emailed; HR can send a new one.", invitation_id)


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
def invitation_accept(*, token: str, password: str | None = None, accepted_by: User | None = None) -> User:
    """Use up the link and let the login into the organisation (its membership becomes joined).

    A login without a password sets ``password`` (required then). A login that
    already has one keeps it, whatever ``password`` says, so an invitation never
    resets a login another organisation knows; and it accepts only as
    ``accepted_by``, the login that is logged in (InvitationNeedsOwnLogin otherwise).

    The conditional update makes the link single-use even when it is opened
    twice at the same moment: only one request can move accepted_at from empty.
    """
    invitation = invitation_for_token(token)
    user = invitation.employee.user
    if user.has_usable_password():
        if accepted_by is None or accepted_by.pk != user.pk:
            raise InvitationNeedsOwnLogin
        password = None
    elif not password:
        raise ValueError("A login without a password needs one to accept its invitation.")
    now = timezone.now()
    with scopes_disabled():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now)
        if claimed != 1:
            raise InvitationUnusable
        # A membership moved to another login since the link was sent had its links revoked, so the
        # claim above fails first; the user filter makes the join follow the same rule on its own.
        joined = Employee.objects.filter(pk=invitation.employee_id, user=user, joined_at__isnull=True).update(
            joined_at=now
        )
        if joined:
            audit.record_update(invitation.employee, joined_at=now)
    if password is not None:
        user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user
