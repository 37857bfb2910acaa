"""Read queries of the expectations app, each limited to one organisation and with related rows fetched."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce

from core.prepared import PreparedQuery
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

# The order expectations are shown in everywhere: by core value, then as created.
BY_CORE_VALUE = ("core_value__order", "core_value__pk", "pk")


def core_values(*, organization: Organization):
    """The organisation's core values in their order, with how many expectations use each."""
    return (
        CoreValue.objects.filter(organization=organization)
        .annotate(expectation_count=Count("expectations", filter=~Q(expectations__status=Status.RETIRED)))
        .order_by(*CoreValue._meta.ordering)
    )  # Meta.ordering is dropped from a GROUP BY query


def strategic_goals(*, organization: Organization):
    return StrategicGoal.objects.filter(organization=organization)


def not_counted(*, organization: Organization):
    return NotCounted.objects.filter(organization=organization)


# The list "What is expected of me" shows, from a query compiled once (core.prepared): every employee opens that page.
_NOT_COUNTED = PreparedQuery(
    lambda *, organization_id: NotCounted.objects.filter(organization_id=organization_id), organization_id=-1
)


def not_counted_list(*, organization: Organization) -> list[NotCounted]:
    """``not_counted`` as a list."""
    return _NOT_COUNTED.rows(organization_id=organization.pk)


def _with_wording(queryset):
    return queryset.select_related(
        "core_value", "current_version", "current_version__strategic_goal", "proposed_by"
    ).prefetch_related(Prefetch("teams", queryset=Team.objects.only("pk", "name").order_by("name")))


def expectations(*, organization: Organization, status: str | None = None):
    """Every expectation of the organisation with its wording, core value and audience teams."""
    rows = _with_wording(Expectation.objects.filter(organization=organization))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by(*BY_CORE_VALUE)


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
    """Expectations whose audience includes ``employee``: everyone, or their team.

    Their team's through a subquery on the audience table rather than a join to it, so that no expectation comes
    twice and the callers need no DISTINCT (over every column of the wording it cost more than the query itself)."""
    return _audience(employee.team_id)


def _audience(team_id: int | None) -> Q:
    condition = Q(for_everyone=True)
    if team_id:
        team_links = Expectation.teams.through.objects.filter(team_id=team_id).values("expectation_id")
        condition |= Q(pk__in=team_links)
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
    return _with_wording(rows).order_by(*BY_CORE_VALUE)


def _mine_query(*, organization_id: int, today, team_id: int | None = None):
    rows = Expectation.objects.filter(organization_id=organization_id).filter(
        Q(status=Status.PUBLISHED) | Q(status=Status.SHARPENING, sharpening_closes_on__gte=today)
    )
    rows = rows.filter(_audience(team_id)).select_related(
        "core_value", "current_version", "current_version__strategic_goal"
    )
    return rows.order_by(*BY_CORE_VALUE)


# Compiled once each (core.prepared): for someone without a team, and for someone in one (another query's shape).
_MINE = PreparedQuery(_mine_query, organization_id=-1, today=date(2000, 1, 1))
_MINE_IN_TEAM = PreparedQuery(_mine_query, organization_id=-1, today=date(2000, 1, 1), team_id=-1)


def mine(*, employee: Employee, today) -> tuple[list[Expectation], int]:
    """What "What is expected of me" reads in one query: the published expectations that apply to ``employee``
    (as applicable_expectations gives them, with their wording and strategic goal but not their audience teams or
    proposer, which the page does not show) and how many drafts in their audience are still open for
    suggestions."""
    if employee.team_id:
        rows = _MINE_IN_TEAM.rows(organization_id=employee.organization_id, today=today, team_id=employee.team_id)
    else:
        rows = _MINE.rows(organization_id=employee.organization_id, today=today)
    published = [row for row in rows if row.status == Status.PUBLISHED]
    return published, len(rows) - len(published)


def sharpening_for(*, employee: Employee):
    """Expectations in sharpening whose audience includes ``employee`` (open or closed for suggestions)."""
    rows = Expectation.objects.filter(organization_id=employee.organization_id, status=Status.SHARPENING).filter(
        audience_filter(employee)
    )
    return _with_wording(rows).order_by("sharpening_closes_on", "pk")


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
    weight overview use this. Counted and summed in the database: four queries
    whatever the number of teams and expectations (for everyone; per team
    through the audience table; people per team; the teams' names).
    """
    published = Expectation.objects.filter(organization=organization, status=Status.PUBLISHED)
    for left_out in (extra, without):
        if left_out is not None and left_out.pk is not None:
            published = published.exclude(pk=left_out.pk)
    weight = Coalesce(Sum("current_version__weight"), 0)
    everyone = published.filter(for_everyone=True).aggregate(count=Count("pk"), weight=weight)
    per_team = {
        row["team_id"]: [row["count"], row["weight"]]
        for row in Expectation.teams.through.objects.filter(expectation__in=published.filter(for_everyone=False))
        .values("team_id")
        .annotate(count=Count("pk"), weight=Coalesce(Sum("expectation__current_version__weight"), 0))
        .order_by()
    }
    if extra is not None:
        extra_weight = extra.current_version.weight if extra.current_version_id else 0
        if extra.for_everyone:
            everyone = {"count": everyone["count"] + 1, "weight": everyone["weight"] + extra_weight}
        else:
            for team in extra.teams.all():
                counts = per_team.setdefault(team.pk, [0, 0])
                counts[0] += 1
                counts[1] += extra_weight
    people = dict(
        Employee.objects.filter(organization=organization, is_active=True)
        .values("team")
        .annotate(n=Count("*"))  # "*", not the id: counted from employee_team_active_idx alone
        .order_by()
        .values_list("team", "n")
    )
    teams = list(Team.objects.filter(organization=organization).only("pk", "name").order_by("name"))
    result = []
    for team in [*teams, None]:
        count, weight = per_team.get(team.pk, (0, 0)) if team is not None else (0, 0)
        result.append(
            Group(
                team=team,
                people=people.get(team.pk if team else None, 0),
                count=everyone["count"] + count,
                weight=everyone["weight"] + weight,
            )
        )
    return result


def expectations_overview(*, organization: Organization):
    """HR's list of every expectation: only the columns the overview shows (no wording beyond the title),
    with core value, current version and proposer fetched; in core value order. Their audience teams:
    audience_team_ids."""
    return (
        Expectation.objects.filter(organization=organization)
        .select_related("core_value", "current_version", "proposed_by")
        .only(
            "status",
            "for_everyone",
            "sharpening_closes_on",
            "wording_revision",
            "core_value_id",
            "current_version_id",
            "proposed_by_id",
            "core_value__name_nl",
            "core_value__name_en",
            "current_version__title_nl",
            "current_version__title_en",
            "current_version__weight",
            "current_version__number",
            "proposed_by__first_name",
            "proposed_by__last_name",
        )
        .order_by(*BY_CORE_VALUE)
    )


def audience_team_ids(*, organization: Organization) -> dict[int, list[int]]:
    """Per expectation of the organisation, the ids of the teams it is aimed at: one query of id pairs.

    HR's list names them from the teams selectors.groups has already read, so the 400 audience rows of an
    organisation of 300 teams are not made into Team objects (a prefetch did, at 5 ms a page)."""
    audience: dict[int, list[int]] = {}
    pairs = Expectation.teams.through.objects.filter(expectation__organization=organization).values_list(
        "expectation_id", "team_id"
    )
    for expectation_id, team_id in pairs.order_by():
        audience.setdefault(expectation_id, []).append(team_id)
    return audience


def my_weight_total(*, expectations) -> int:
    return sum(row.current_version.weight for row in expectations if row.current_version_id)
