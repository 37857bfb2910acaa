from django_scopes import scopes_disabled

from calibration.rules import SEE_OWN_DISTRIBUTION
from cycles.rules import MANAGE_CYCLES, VIEW_TEAM_CONVERSATIONS
from expectations.rules import PROPOSE_EXPECTATION
from organizations.models import OPEN_MEMBERSHIP, Employee
from organizations.permissions import MANAGE_PEOPLE, can
from organizations.tenancy import LAST_ORGANIZATION
from organizations.tenancy import membership as open_membership
from pay.rules import MANAGE_PAY

# The pages of the login itself, outside any organisation: they keep the menu of the organisation last opened.
LOGIN_PAGES = {"profile", "account_change_password", "account_set_password"}


def login_page_membership(request, user):
    """On a page of the login (LOGIN_PAGES): the membership of the organisation last opened (the door remembers
    it in the session), else the only one; None elsewhere, or when neither is open. One or two queries."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in LOGIN_PAGES:
        return None
    session = getattr(request, "session", None)
    slug = session.get(LAST_ORGANIZATION) if session is not None else None
    remembered = open_membership(user, slug) if slug else None
    if remembered is not None:
        return remembered
    with scopes_disabled():
        rows = list(Employee.objects.filter(OPEN_MEMBERSHIP, user=user).select_related("organization")[:2])
    if len(rows) != 1:
        return None
    rows[0].has_other_memberships = False
    return rows[0]


def membership(request):
    """What the base layout needs to draw the navigation: the current membership, how many there are, and
    which areas the menu offers (each asked of the rule its views are behind, so a link shows exactly when
    its page opens)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    employee = getattr(request, "employee", None) or login_page_membership(request, user)
    others = getattr(employee, "has_other_memberships", None)  # read by the door (organizations.tenancy)
    if others is None:
        with scopes_disabled():
            others = Employee.objects.filter(OPEN_MEMBERSHIP, user=user).count() > 1
    return {
        "current_employee": employee,
        "current_organization": getattr(request, "organization", None) or getattr(employee, "organization", None),
        "has_other_memberships": others,
        "can_manage_people": can(employee, MANAGE_PEOPLE) if employee else False,
        "can_propose_expectations": can(employee, PROPOSE_EXPECTATION) if employee else False,
        "can_view_team_grid": can(employee, VIEW_TEAM_CONVERSATIONS) if employee else False,
        "can_manage_cycles": can(employee, MANAGE_CYCLES) if employee else False,
        "can_manage_pay": can(employee, MANAGE_PAY) if employee else False,
        "can_see_own_distribution": can(employee, SEE_OWN_DISTRIBUTION) if employee else False,
    }
