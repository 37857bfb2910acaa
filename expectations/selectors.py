"""Read queries of the expectations app, each limited to one organisation and with related rows fetched."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from organizations.models import Employee, Organization, Team

from .models import (
    CoreValue,
    Endorsement,
    Expectation,
    ExpectationVersion,
    NotCounted,
    Status,
    StrategicGoal,
    Suggestion,
)


def core_values(*, organization: Organization):
    """The organisation's core values in their order, with how many expectations use each."""
    return CoreValue.objects.filter(organization=organization).annotate(
        expectation_count=Count("expectations", filter=~Q(expectations__status=Status.RETIRED))
    ).order_by(*CoreValue._meta.ordering)  # Meta.ordering is dropped from a GROUP BY query


def strategic_goals(*, organization: Organization):
    return StrategicGoal.objects.filter(organization=organization)


def not_counted(*, organization: Organization):
    return NotCounted.objects.filter(organization=organization)


def _with_wording(queryset):
    return queryset.select_related(
        "core_value", "current_version", "current_version__strategic_goal", "proposed_by"
    ).prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))


def expectations(*, organization: Organization, status: str | None = None):
    """Every expectation of the organisation with its wording, core value and audience teams."""
    rows = _with_wording(Expectation.objects.filter(organization=organization))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("core_value__order", "core_value__pk", "pk")


def expectation(*, organization: Organization, expectation_id: int) -> Expectation:
    """One expectation of the organisation, as ``expectations`` gives it; raises Expectation.DoesNotExist.

    Views pick one from ``expectations`` with core.urls.get_or_404 instead, which answers 404.
    """
    return expectations(organization=organization).get(pk=expectation_id)


def versions(*, expectation: Expectation):
    """All versions of an expectation, newest first."""
    return (
        ExpectationVersion.objects.filter(organization_id=expectation.organization_id, expectation=expectation)
        .select_related("strategic_goal", "created_by")
        .order_by("-number")
    )


def audience_filter(employee: Employee) -> Q:
    """Expectations whose audience includes ``employee``: everyone, or their team."""
    condition = Q(for_everyone=True)
    if employee.team_id:
        condition |= Q(teams=employee.team_id)
    return condition


def in_audience(*, expectation: Expectation, employee: Employee) -> bool:
    if expectation.for_everyone:
        return True
    return employee.team_id is not None and any(team.pk == employee.team_id for team in expectation.teams.all())


def applicable_expectations(*, employee: Employee):
    """The published expectations that apply to ``employee``, grouped-ready by core value order."""
    rows = Expectation.objects.filter(organization_id=employee.organization_id, status=Status.PUBLISHED).filter(
        audience_filter(employee)
    )
    return _with_wording(rows.distinct()).order_by("core_value__order", "core_value__pk", "pk")


def sharpening_for(*, employee: Employee):
    """Expectations in sharpening whose audience includes ``employee`` (open or closed for suggestions)."""
    rows = Expectation.objects.filter(organization_id=employee.organization_id, status=Status.SHARPENING).filter(
        audience_filter(employee)
    )
    return _with_wording(rows.distinct()).order_by("sharpening_closes_on", "pk")


def suggestions(*, expectation: Expectation):
    """The suggestions for ``expectation``, with what the rules read to offer accept and decline on each."""
    return Suggestion.objects.filter(
        organization_id=expectation.organization_id, expectation=expectation
    ).select_related("expectation", "author", "decided_by")


def suggestions_detailed(*, organization: Organization):
    """Every suggestion of the organisation, with its expectation's wording and its author; views pick one by id."""
    return Suggestion.objects.filter(organization=organization).select_related(
        "expectation", "expectation__current_version", "author"
    )


@dataclass(frozen=True)
class Support:
    endorsed: int  # endorsements of the current wording
    earlier: int  # people who endorsed an earlier wording only
    audience: int  # active people in the audience
    mine: bool  # the viewer endorsed the current wording


def audience_size(*, expectation: Expectation) -> int:
    people = Employee.objects.filter(organization_id=expectation.organization_id, is_active=True)
    if not expectation.for_everyone:
        people = people.filter(team__in=[team.pk for team in expectation.teams.all()])
    return people.count()


def support(*, expectation: Expectation, viewer: Employee | None = None) -> Support:
    """How many in the audience endorse the current wording ("clear to me")."""
    rows = Endorsement.objects.filter(organization_id=expectation.organization_id, expectation=expectation)
    counts = rows.aggregate(
        current=Count("employee", filter=Q(wording_revision=expectation.wording_revision), distinct=True),
        everyone=Count("employee", distinct=True),
    )
    mine = False
    if viewer is not None:
        mine = rows.filter(employee=viewer, wording_revision=expectation.wording_revision).exists()
    return Support(
        endorsed=counts["current"],
        earlier=counts["everyone"] - counts["current"],
        audience=audience_size(expectation=expectation),
        mine=mine,
    )


@dataclass(frozen=True)
class Group:
    """People who share the same applicable expectations: one team, or those without a team."""

    team: Team | None
    people: int
    count: int  # applicable published expectations
    weight: int  # their summed weight in %


def groups(*, organization: Organization, extra: Expectation | None = None, without: Expectation | None = None):
    """Per team (and for people without a team): how many published expectations apply and what they weigh.

    ``extra`` counts an expectation as if it were published (with its current
    audience and weight), ``without`` leaves one out; the cap check and the
    weight overview use this. Reads a constant number of queries.
    """
    published = list(
        Expectation.objects.filter(organization=organization, status=Status.PUBLISHED)
        .select_related("current_version")
        .prefetch_related("teams")
    )
    if without is not None:
        published = [row for row in published if row.pk != without.pk]
    if extra is not None:
        published = [row for row in published if row.pk != extra.pk] + [extra]
    people = defaultdict(int)
    for row in (
        Employee.objects.filter(organization=organization, is_active=True).values("team").annotate(n=Count("pk"))
    ):
        people[row["team"]] += row["n"]
    teams = list(Team.objects.filter(organization=organization).order_by("name"))
    result = []
    for team in [*teams, None]:
        applicable = [
            row
            for row in published
            if row.for_everyone or (team is not None and any(t.pk == team.pk for t in row.teams.all()))
        ]
        result.append(
            Group(
                team=team,
                people=people.get(team.pk if team else None, 0),
                count=len(applicable),
                weight=sum(row.current_version.weight for row in applicable if row.current_version_id),
            )
        )
    return result


def my_weight_total(*, expectations) -> int:
    return sum(row.current_version.weight for row in expectations if row.current_version_id)
