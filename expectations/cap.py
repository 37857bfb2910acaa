"""The cap on published expectations per person, seen from an expectation that is not published yet.

Only publishing is limited: a draft (a manager's proposal too) is saved whatever the count. When publishing
would push people over the cap, the expectation's page says what to do next (``next_step``): retire one of the
expectations that already apply to them, narrow the audience, or have HR raise the maximum.
"""

from dataclasses import dataclass

from django.db.models import Q

from organizations.models import Organization

from . import selectors
from .models import Expectation, Status
from .rules import UNPUBLISHED
from .services_config import over_cap_parts

CAP_HIGHEST = 7  # the database constraint organization_cap_3_to_7
SHOWN = 50  # the published expectations listed at most; the rest are on the overview


@dataclass(frozen=True)
class NextStep:
    """Why ``expectation`` cannot be published now, and what stands in its way."""

    over: list  # selectors.Group rows pushed over the cap
    published: list  # the published expectations that apply to the people in ``over`` (at most SHOWN)
    more: bool  # more of them than listed
    cap: int

    @property
    def can_raise(self) -> bool:
        return self.cap < CAP_HIGHEST

    @property
    def groups(self) -> list[str]:
        """The groups pushed over, as the refusal names them: "Klantenservice (9 people, would have 6)"."""
        return over_cap_parts(self.over)


def over_cap(*, organization: Organization, expectation: Expectation) -> list:
    """The groups of people that publishing ``expectation`` (with its current audience) pushes over the cap."""
    cap = organization.expectation_cap
    return [
        group
        for group in selectors.groups(organization=organization, extra=expectation)
        if group.people and group.count > cap
    ]


def next_step(*, organization: Organization, expectation: Expectation) -> NextStep | None:
    """What stands between an unpublished ``expectation`` and publishing it, as far as the cap goes; None when
    nothing does (or it is published or retired already). Five queries, whatever the organisation's size."""
    if expectation.status not in UNPUBLISHED:
        return None
    over = over_cap(organization=organization, expectation=expectation)
    if not over:
        return None
    teams = [group.team.pk for group in over if group.team is not None]
    rows = list(
        Expectation.objects.filter(organization=organization, status=Status.PUBLISHED)
        .filter(Q(for_everyone=True) | Q(teams__in=teams))
        .exclude(pk=expectation.pk)
        .distinct()
        .select_related("core_value", "current_version")
        .order_by(*selectors.BY_CORE_VALUE)[: SHOWN + 1]
    )
    return NextStep(over=over, published=rows[:SHOWN], more=len(rows) > SHOWN, cap=organization.expectation_cap)
