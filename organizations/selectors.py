"""Read queries of the organisation area, each already limited to one organisation."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django_scopes import scopes_disabled

from .audit_display import readable
from .audit_models import AuditEntry
from .models import OPEN_MEMBERSHIP, Employee, Invitation, Organization, PeopleImport, Role, Team
from .permissions import MANAGE_PEOPLE, can


def memberships(*, user):
    """The organisations ``user`` may open (active, joined memberships), with the membership, ordered by name."""
    with scopes_disabled():
        return list(
            Employee.objects.filter(OPEN_MEMBERSHIP, user=user)
            .select_related("organization")
            .order_by("organization__name")
        )


def people(
    *, organization: Organization, query: str = "", team_id=None, team_name: str = "", role: str = "", active=True
):
    """People of ``organization`` for the people list, with team, manager and invitation state fetched.

    A person who has not joined yet is "invited" while an open link exists (``invitation_open``), and was
    invited before when ``invited_at`` is set without one.

    ``query`` matches name, email and job title; ``team_name`` part of a team's name; ``active`` None means
    everyone. Sorted Dutch style, by surname without its tussenvoegsel (Employee.sort_name).
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
        .order_by("sort_name", "pk")  # Dutch style, "de Jong" under J: Employee.sort_name, read by employee_sort_idx
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
    elif team_name:
        rows = rows.filter(team__name__icontains=team_name)
    if role:
        rows = rows.filter(role=role)
    return rows


TEAMS_SHOWN = 20  # the people list's team search shows this many names, then asks for more of the name


def teams_named(*, organization: Organization, name: str, limit: int = TEAMS_SHOWN) -> list:
    """Up to ``limit`` + 1 teams of ``organization`` whose name contains ``name``, the one named exactly first.

    For the people list's team search: one query, however many teams the organisation has.
    """
    if not name:
        return []
    exact = Case(When(name__iexact=name, then=Value(0)), default=Value(1))
    return list(
        Team.objects.filter(organization=organization, name__icontains=name)
        .annotate(exact=exact)
        .order_by("exact", "name", "pk")[: limit + 1]
    )


def people_detailed(*, organization: Organization):
    """The people of ``organization`` (active or not) with what a person's page shows; views pick one by id."""
    return Employee.objects.filter(organization=organization).select_related("user", "team", "manager", "organization")


def reports(*, manager: Employee):
    """The active people who report directly to ``manager``."""
    return (
        Employee.objects.filter(organization_id=manager.organization_id, manager=manager, is_active=True)
        .select_related("user", "team")
        .order_by("sort_name", "pk")
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
    return Employee.objects.filter(organization=organization, is_active=True).order_by("sort_name", "pk")


def counts(*, organization: Organization):
    """Numbers for HR's card on the home page."""
    people_counts = Employee.objects.filter(organization=organization).aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
        managers=Count("pk", filter=Q(is_active=True, role="manager")),
        without_manager=Count("pk", filter=Q(is_active=True, manager__isnull=True)),
    )
    people_counts["teams"] = Team.objects.filter(organization=organization).count()
    return people_counts


def home_card(*, employee: Employee) -> dict:
    """This app's part of ``employee``'s home page: a manager's (or HR admin's) direct reports, HR's numbers."""
    card = {}
    if employee.role in (Role.MANAGER, Role.HR_ADMIN):
        card["reports"] = reports(manager=employee)
    if can(employee, MANAGE_PEOPLE):
        card["counts"] = counts(organization=employee.organization)
    return card


def people_import(*, organization: Organization, import_id):
    """One uploaded people file of ``organization``; raises PeopleImport.DoesNotExist."""
    return PeopleImport.objects.filter(organization=organization).get(pk=import_id)


HISTORY_PER_PAGE = 50  # a person page shows this many changes, then a link to older ones


def history(*, organization: Organization, objects, page=1, per_page: int = HISTORY_PER_PAGE):
    """What happened to ``objects`` in ``organization``, newest first, as one page of readable entries.

    ``objects`` mixes model instances and querysets (a review and its ratings, say), each of one tenant model.
    The page's ``object_list`` holds audit_display.HistoryEntry rows with the actor's name, field labels and old
    and new values, foreign keys named: a fixed number of queries whatever the page holds. Entries filed under
    another organisation never appear, even for the same object, and outside a scope the query raises.
    Reads AuditEntry's auditentry_object_idx.
    """
    wanted = Q(pk__in=[])
    for item in objects:
        if isinstance(item, QuerySet):
            content_type, ids = ContentType.objects.get_for_model(item.model), item.values("pk")
        else:
            content_type, ids = ContentType.objects.get_for_model(item), [item.pk]
        wanted |= Q(content_type=content_type, object_id__in=ids)
    entries = (
        AuditEntry.objects.filter(wanted, organization=organization)
        .select_related("content_type", "actor_employee")
        .order_by("-timestamp", "-pk")
    )
    shown = Paginator(entries, per_page).get_page(page)
    shown.object_list = readable(shown.object_list, organization=organization)
    return shown
