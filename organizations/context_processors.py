from django_scopes import scopes_disabled

from .models import OPEN_MEMBERSHIP, Employee
from .permissions import MANAGE_PEOPLE, PROPOSE_EXPECTATION, VIEW_TEAM_GRID, can


def membership(request):
    """What the base layout needs to draw the navigation: the current membership and how many there are."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    employee = getattr(request, "employee", None)
    with scopes_disabled():
        membership_count = Employee.objects.filter(OPEN_MEMBERSHIP, user=user).count()
    return {
        "current_employee": employee,
        "current_organization": getattr(request, "organization", None),
        "membership_count": membership_count,
        "can_manage_people": can(employee, MANAGE_PEOPLE) if employee else False,
        "can_propose_expectations": can(employee, PROPOSE_EXPECTATION) if employee else False,
        "can_view_team_grid": can(employee, VIEW_TEAM_GRID) if employee else False,
    }
