"""Evidence coverage: per report, per expectation that applies to them, how many observations the cycle holds.

A manager sees on the team grid, before the assessment, where evidence is
missing: an expectation without a single observation in the cycle's date range
is a gap. Reads three queries for any number of reports (the published
expectations that can apply to the reports' teams, their links to those teams,
and one count grouped by person and expectation), so the grid stays as fast for
30 reports as for 3, and in an organisation of 300 teams as in one of 3.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from cycles.models import Cycle
from expectations.models import Expectation, Status
from expectations.selectors import BY_CORE_VALUE
from organizations.models import Employee

from .models import Observation


@dataclass(frozen=True)
class ExpectationCoverage:
    expectation: Expectation
    count: int  # observations about the person on this expectation, dated within the cycle

    @property
    def is_gap(self) -> bool:
        return self.count == 0


@dataclass
class PersonCoverage:
    employee: Employee
    items: list[ExpectationCoverage] = field(default_factory=list)  # in the order "What is expected of me" shows
    actions: list = field(default_factory=list)  # the team grid's links under the person (reviews.views_coverage)

    @property
    def gaps(self) -> int:
        return sum(1 for item in self.items if item.is_gap)


def _published(*, organization_id, team_ids) -> list[Expectation]:
    """The organisation's published expectations for everyone or for one of ``team_ids``, with their wording, and
    each one's ``audience`` (see _audiences): two queries, reading only the expectations and team links that can
    apply to the reports (at 10,000 people an organisation has hundreds of team links; a team has a handful)."""
    team_ids = {team_id for team_id in team_ids if team_id is not None}
    applies = Q(for_everyone=True) | Q(
        pk__in=Expectation.teams.through.objects.filter(team_id__in=team_ids).values("expectation_id")
    )
    published = list(
        Expectation.objects.filter(applies, organization_id=organization_id, status=Status.PUBLISHED)
        .select_related("core_value", "current_version")
        .order_by(*BY_CORE_VALUE)
    )
    _audiences(published, team_ids)
    return published


def _audiences(published, team_ids) -> None:
    """Give each expectation ``audience``: None when it is for everyone, else the ids of its teams among
    ``team_ids`` (expectations.selectors.in_audience, read once per expectation rather than once per person)."""
    teams_of = {}
    links = Expectation.teams.through.objects.filter(
        expectation_id__in=[expectation.pk for expectation in published if not expectation.for_everyone],
        team_id__in=team_ids,
    ).values_list("expectation_id", "team_id")
    for expectation_id, team_id in links:
        teams_of.setdefault(expectation_id, set()).add(team_id)
    for expectation in published:
        expectation.audience = None if expectation.for_everyone else frozenset(teams_of.get(expectation.pk, ()))


def _applies(audience: frozenset[int] | None, employee: Employee) -> bool:
    return audience is None or employee.team_id in audience


def observation_counts(*, cycle: Cycle, employee_ids) -> dict[tuple[int, int], int]:
    """``{(employee_id, expectation_id): count}`` of observations dated within ``cycle``; one grouped query.

    Every observation counts, whoever wrote it and whether or not the employee
    sees it yet: coverage is the evidence a review may cite. Reads
    observation_employee_idx (organization, employee, observed_on).
    """
    if not employee_ids:
        return {}
    rows = (
        Observation.objects.filter(
            organization_id=cycle.organization_id,
            employee_id__in=list(employee_ids),
            observed_on__gte=cycle.starts_on,
            observed_on__lte=cycle.ends_on,
            expectation__isnull=False,
        )
        .values("employee_id", "expectation_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(row["employee_id"], row["expectation_id"]): row["count"] for row in rows}


def coverage(*, cycle: Cycle, reports) -> list[PersonCoverage]:
    """Per person of ``reports`` (in their order): each applicable published expectation and its observation count."""
    reports = list(reports)
    if not reports:
        return []
    published = _published(organization_id=cycle.organization_id, team_ids={report.team_id for report in reports})
    counts = observation_counts(cycle=cycle, employee_ids=[report.pk for report in reports]) if published else {}
    return [
        PersonCoverage(
            employee=report,
            items=[
                ExpectationCoverage(expectation=expectation, count=counts.get((report.pk, expectation.pk), 0))
                for expectation in published
                if _applies(expectation.audience, report)
            ],
        )
        for report in reports
    ]
