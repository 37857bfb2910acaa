"""Read queries of the organisation area, each already limited to one organisation."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import OPEN_MEMBERSHIP, Employee, Invitation, Organization, PeopleImport, Team


def memberships(*, user):
    """The organisations ``user`` may open (active, joined memberships), with the membership, ordered by name."""
    with scopes_disabled():
        return list(
            Employee.objects.filter(OPEN_MEMBERSHIP, user=user)
            .select_related("organization")
            .order_by("organization__name")
        )


def people(*, organization: Organization, query: str = "", team_id=None, role: str = "", active=True):
    """People of ``organization`` for the people list, with team, manager and invitation state fetched.

    A person who has not joined yet is "invited" while an open link exists (``invitation_open``).

    ``query`` matches name, email and job title; ``active`` None means everyone.
    """
    latest_invitation = Invitation.objects.filter(organization=organization, employee=OuterRef("pk")).order_by(
        "-created_at"
    )
    open_invitation = Invitation.objects.filter(
        organization=organization,
        employee=OuterRef("pk"),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    rows = (
        Employee.objects.filter(organization=organization)
        .select_related("user", "team", "manager")
        .annotate(
            invited_at=Subquery(latest_invitation.values("created_at")[:1]),
            invitation_accepted_at=Subquery(latest_invitation.values("accepted_at")[:1]),
            invitation_open=Exists(open_invitation),
        )
        .order_by("last_name", "first_name", "pk")
    )
    if active is not None:
        rows = rows.filter(is_active=active)
    if query:
        for word in query.split():
            rows = rows.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(job_title__icontains=word)
            )
    if team_id:
        rows = rows.filter(team_id=team_id)
    if role:
        rows = rows.filter(role=role)
    return rows


def person(*, organization: Organization, employee_id):
    """One person of ``organization`` with what their page shows; raises Employee.DoesNotExist."""
    return (
        Employee.objects.filter(organization=organization)
        .select_related("user", "team", "manager", "organization")
        .get(pk=employee_id)
    )


def reports(*, manager: Employee):
    """The active people who report directly to ``manager``."""
    return (
        Employee.objects.filter(organization_id=manager.organization_id, manager=manager, is_active=True)
        .select_related("user", "team")
        .order_by("last_name", "first_name")
    )


def teams(*, organization: Organization):
    """Teams of ``organization`` with their active member count."""
    return (
        Team.objects.filter(organization=organization)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )


def managers(*, organization: Organization):
    """People who can be chosen as someone's manager: active members of ``organization``."""
    return Employee.objects.filter(organization=organization, is_active=True).order_by("last_name", "first_name")


def counts(*, organization: Organization):
    """Numbers for the HR home page."""
    people_counts = Employee.objects.filter(organization=organization).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        managers=Count("pk", filter=Q(is_active=True, role="manager")),
        without_manager=Count("pk", filter=Q(is_active=True, manager__isnull=True)),
    )
    people_counts["teams"] = Team.objects.filter(organization=organization).count()
    return people_counts


def people_import(*, organization: Organization, import_id):
    """One uploaded people file of ``organization``; raises PeopleImport.DoesNotExist."""
    return PeopleImport.objects.filter(organization=organization).get(pk=import_id)
