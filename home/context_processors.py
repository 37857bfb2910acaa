from dataclasses import dataclass
from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from calibration.rules import SEE_OWN_DISTRIBUTION
from cycles.rules import MANAGE_CYCLES, VIEW_TEAM_CONVERSATIONS
from expectations.rules import PROPOSE_EXPECTATION
from organizations.models import OPEN_MEMBERSHIP, Employee, Role
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


@dataclass
class NavItem:
    label: str
    url: str
    current: str = ""  # aria-current: "page" on the item's own page, "true" on a page within its section


def main_nav(path: str, slug: str, flags: dict) -> list[NavItem]:
    """The main menu's items for the member's role (``flags``: the context's ``can_…``), the one ``path`` lies in
    marked: its own page as "page"; a page below it (a cycle of Cycles, a person of People) as "true". The item
    whose address is the longest start of ``path`` wins, so My team (cycles/team/) is marked rather than Cycles
    (cycles/); Home only on itself."""

    def at(name):
        return reverse(name, kwargs={"org_slug": slug})

    items = [
        NavItem(_("Home"), at("organizations:home")),
        NavItem(_("My year"), at("cycles:my_year")),
        NavItem(_("Expected of me"), at("expectations:mine")),
    ]
    if flags["can_propose_expectations"]:
        items.append(NavItem(_("Expectations"), at("expectations:index")))
    if flags["shows_my_team"]:
        items.append(NavItem(_("My team"), at("cycles:team_grid")))
    if flags["can_manage_cycles"]:
        items.append(NavItem(_("Cycles"), at("cycles:cycle_list")))
    if flags["can_manage_people"]:
        items.append(NavItem(_("People"), at("organizations:people_list")))
        items.append(NavItem(_("Teams"), at("organizations:team_list")))
    if flags["can_manage_pay"]:
        items.append(NavItem(_("Pay"), at("pay:index")))
    home, *sections = items
    within = [item for item in sections if path.startswith(item.url)]
    if path == home.url:
        home.current = "page"
    elif within:
        chosen = max(within, key=lambda item: len(item.url))
        chosen.current = "page" if path == chosen.url else "true"
    return items


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
    organization = getattr(request, "organization", None) or getattr(employee, "organization", None)
    context = {
        "current_employee": employee,
        "current_organization": organization,
        "has_other_memberships": others,
        "can_manage_people": can(employee, MANAGE_PEOPLE) if employee else False,
        "can_propose_expectations": can(employee, PROPOSE_EXPECTATION) if employee else False,
        "can_view_team_grid": can(employee, VIEW_TEAM_CONVERSATIONS) if employee else False,
        "can_manage_cycles": can(employee, MANAGE_CYCLES) if employee else False,
        "can_manage_pay": can(employee, MANAGE_PAY) if employee else False,
        "can_see_own_distribution": can(employee, SEE_OWN_DISTRIBUTION) if employee else False,
    }
    # The menu's My team: for a manager, and for HR only when someone reports to them (read by the door).
    context["shows_my_team"] = context["can_view_team_grid"] and (
        employee.role == Role.MANAGER or getattr(employee, "has_reports", True)
    )
    if organization is not None:
        # Called by the template only where the layout draws the menu (a part loaded by htmx does not).
        context["main_nav"] = partial(main_nav, request.path, organization.slug, context)
    return context
