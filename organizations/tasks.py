"""Background work of the organisations app. Tasks take ids, reload, and enter the scope."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from . import notifications
from .models import Invitation, Organization


@shared_task
def invitation_send_email(*, organization_id: int, invitation_id: int, token: str) -> None:
    """Email one invitation link.

    The raw token is in the email and passes through the broker as this task's
    argument (Redis keeps nothing on disk in the shipped configuration); the
    database stores only its hash, so a copy of the database hands out no link.
    """
    with scopes_disabled():
        organization = Organization.objects.get(pk=organization_id)
    with scope(organization=organization):
        invitation = Invitation.objects.select_related("employee__user", "organization", "invited_by").get(
            organization=organization, pk=invitation_id
        )
        notifications.invitation_email(invitation=invitation, token=token).send()
