"""Evidence coverage: per report, per expectation that applies to them, how many observations the cycle holds.

A manager sees on the team grid, before the assessment, where evidence is
missing: an expectation without a single observation in the cycle's date range
is a gap. Reads three queries for any number of reports (the published
expectations, their audience teams, and one count grouped by person and
expectation), so the grid stays as fast for 30 reports as for 3.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from cycles.models import Cycle
from expectations.models import Expectation, Status
from organizations.models import Employee, Team

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

    @property
    def gaps(self) -> int:
        return sum(1 for item in self.items if item.is_gap)


def _published(*, organization_id) -> list[Expectation]:
    """The organisation's published expectations with their wording and audience teams (two queries)."""
    return list(
        Expectation.objects.filter(organization_id=organization_id, status=Status.PUBLISHED)
        .select_related("core_value", "current_version")
        .prefetch_related(Prefetch("teams", queryset=Team.objects.only("pk")))
        .order_by("core_value__order", "core_value__pk", "pk")
    )


def _audiences(published) -> dict[int, frozenset[int] | None]:
    """Per expectation the ids of its teams, or None when it is for everyone: expectations.selectors.in_audience, on
    the teams prefetched above, read once per expectation rather than once per person and expectation."""
    return {
        expectation.pk: None if expectation.for_everyone else frozenset(team.pk for team in expectation.teams.all())
        for expectation in published
    }


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
    published = _published(organization_id=cycle.organization_id)
    counts = observation_counts(cycle=cycle, employee_ids=[report.pk for report in reports]) if published else {}
    audiences = _audiences(published)
    return [
        PersonCoverage(
            employee=report,
            items=[
                ExpectationCoverage(expectation=expectation, count=counts.get((report.pk, expectation.pk), 0))
                for expectation in published
                if _applies(audiences[expectation.pk], report)
            ],
        )
        for report in reports
    ]
