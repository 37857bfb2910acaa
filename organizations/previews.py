"""What a step that asks first would do, counted for its confirmation page (organizations.views), in fixed queries.

Each preview answers a count and at most core.confirm.NAMES_SHOWN names, in two queries whatever the numbers.
"""

from dataclasses import dataclass

from core.confirm import NAMES_SHOWN

from .models import Employee, Team


@dataclass(frozen=True)
class People:
    count: int
    names: list[str]


def _people(rows) -> People:
    rows = rows.order_by("sort_name", "pk")
    return People(count=rows.count(), names=[person.full_name for person in rows[:NAMES_SHOWN]])


def active_reports(*, manager: Employee) -> People:
    """The active people who report directly to ``manager``: they keep that manager when the manager is deactivated
    (organizations.services.person_deactivate does not touch them)."""
    return _people(Employee.objects.filter(organization_id=manager.organization_id, manager=manager, is_active=True))


def team_members(*, team: Team) -> People:
    """Every member of ``team``, active or not: organizations.services.team_delete leaves each of them teamless."""
    return _people(Employee.objects.filter(organization_id=team.organization_id, team=team))
