"""The door to the organisation area, ``/o/<org_slug>/...``.

Every view of the organisation area is wrapped in :func:`org_view`. It
answers 404 for an unknown slug and for a person who is not an active member
alike (so another tenant's existence never leaks), puts the organisation and
the membership on the request, activates the organisation's time zone (and its
language for people who never chose one), and runs the view *and its template
rendering* inside the django-scopes scope, so a query that forgets the
organisation raises instead of reading another tenant's rows.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone
from django_scopes import scope

from accounts import languages
from core.prepared import PreparedQuery

from .models import OPEN_MEMBERSHIP, Employee
from .permissions import can


def _membership_query(*, org_slug, user_id):
    others = Employee.objects.filter(OPEN_MEMBERSHIP, user_id=OuterRef("user_id")).exclude(pk=OuterRef("pk"))
    reports = Employee.objects.filter(manager_id=OuterRef("pk"), is_active=True)
    # At most one row (one membership per login and organisation): no ORDER BY, which on every request cost the
    # people lists' name order (a sort, and about 0.5 ms of building the query).
    return (
        Employee.objects.select_related("organization", "team", "manager")
        .filter(OPEN_MEMBERSHIP, organization__slug=org_slug, user_id=user_id)
        .annotate(has_other_memberships=Exists(others), has_reports=Exists(reports))
        .order_by()[:1]
    )


# Built and compiled once per process (core.prepared, with the scopes off: the query finds the organisation, so it
# reads across organisations): the door is the first question of every organisation page.
_MEMBERSHIP = PreparedQuery(_membership_query, org_slug="\u2063org-slug\u2063", user_id=-7_318_205_011)


def membership(user, org_slug):
    """The open membership of ``user`` in the organisation ``org_slug``, or None.

    Open means active and joined: a membership HR created for an existing login
    (or one moved to another address) stays shut until the login's owner
    accepts it through the link mailed to that address.

    ``has_other_memberships`` (for the menu's "Switch organisation") and ``has_reports`` (whether the menu offers
    My team to HR) come along, so the layout asks nothing more of the database on every page.
    """
    if not user.is_authenticated:
        return None
    return _MEMBERSHIP.first(org_slug=org_slug, user_id=user.pk)


# The session key of the organisation a person last opened: the pages of their login (profile, password) show that
# organisation's menu (home.context_processors), so the way back stays one click.
LAST_ORGANIZATION = "last_organization"


def remember_organization(request, organization) -> None:
    """Note ``organization`` as the one last opened (the session is written only when it changes)."""
    session = getattr(request, "session", None)
    if session is not None and session.get(LAST_ORGANIZATION) != organization.slug:
        session[LAST_ORGANIZATION] = organization.slug


def org_view(rule=None):
    """Wrap a view of the organisation area; ``rule`` (from permissions) is checked after membership."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, org_slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            employee = membership(request.user, org_slug)
            if employee is None:
                raise Http404
            organization = employee.organization
            request.organization = organization
            request.employee = employee
            if rule is not None and not can(employee, rule):
                raise PermissionDenied
            remember_organization(request, organization)
            # The profile's language, else this organisation's (accounts.languages decides, in one place).
            languages.activate_for_organization(request, organization)
            with scope(organization=organization), timezone.override(organization.zone):
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
            return response

        # The declared rule stays readable on the view, so the permission matrix
        # (tests/test_permission_matrix.py) asks the view who may use it instead of keeping its own list.
        wrapper.org_rule = rule
        return wrapper

    return decorator
