"""core.prepared: a query compiled once gives, for each call's values, what the queryset itself would give."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from core.prepared import PreparedQuery
from organizations.models import Employee
from organizations.tenancy import membership
from tests.factories import EmployeeFactory, OrganizationFactory, TeamFactory

pytestmark = pytest.mark.django_db


def people_named(*, last_name, team_id):
    others = Employee.objects.filter(team_id=OuterRef("team_id")).exclude(pk=OuterRef("pk"))
    return (
        Employee.objects.select_related("organization", "team", "manager")
        .filter(last_name=last_name, team_id=team_id)
        .annotate(has_colleagues=Exists(others), report_count=Count("reports"))
        .order_by("pk")
    )


PEOPLE = PreparedQuery(people_named, last_name="\u2063name\u2063", team_id=-987_654_321)


@scopes_disabled()
def test_each_call_gives_what_the_queryset_of_its_values_gives():
    organization = OrganizationFactory()
    team, other_team = TeamFactory(organization=organization), TeamFactory(organization=organization)
    boss = EmployeeFactory(organization=organization, team=team, last_name="Visser")
    EmployeeFactory(organization=organization, team=team, manager=boss, last_name="Jansen")
    alone = EmployeeFactory(organization=organization, team=other_team, last_name="Visser")

    for last_name, chosen in (("Visser", team), ("Visser", other_team), ("Jansen", team)):
        expected = people_named(last_name=last_name, team_id=chosen.pk).first()
        found = PEOPLE.first(last_name=last_name, team_id=chosen.pk)
        assert found == expected
        assert (found.first_name, found.organization, found.team, found.manager) == (
            expected.first_name,
            expected.organization,
            expected.team,
            expected.manager,
        )
        assert (found.has_colleagues, found.report_count) == (expected.has_colleagues, expected.report_count)
        assert not found._state.adding
    assert PEOPLE.first(last_name="Visser", team_id=other_team.pk) == alone
    assert (alone.pk, PEOPLE.first(last_name="Visser", team_id=other_team.pk).has_colleagues) == (alone.pk, False)


@scopes_disabled()
def test_no_row_is_none_and_every_call_is_one_query_the_tests_count():
    team = TeamFactory()
    with CaptureQueriesContext(connection) as queries:
        assert PEOPLE.first(last_name="Nobody", team_id=team.pk) is None
        assert PEOPLE.first(last_name="Nobody", team_id=team.pk) is None
    assert len(queries) == 2


@scopes_disabled()
def test_a_value_the_query_uses_twice_goes_to_both_places():
    organization = OrganizationFactory()
    echo = EmployeeFactory(organization=organization, first_name="Echo", last_name="Echo")
    EmployeeFactory(organization=organization, first_name="Echo", last_name="Narcissus")
    both = PreparedQuery(lambda *, name: Employee.objects.filter(first_name=name, last_name=name), name="x")
    assert both.rows(name="Echo") == [echo]
    assert both.rows(name="Narcissus") == []


def named_twice(*, last_name):
    return Employee.objects.filter(last_name=last_name, first_name="Visser")


@scopes_disabled()
def test_a_stand_in_equal_to_a_constant_of_the_query_still_finds_its_own_place():
    # Exists compiles to SELECT 1 … with 1 as a parameter: a stand-in of 1 must not take that place.
    team = TeamFactory()
    person = EmployeeFactory(organization=team.organization, team=team, last_name="Visser")
    prepared = PreparedQuery(people_named, last_name="x", team_id=1)
    assert prepared.first(last_name="Visser", team_id=team.pk) == person


@pytest.mark.parametrize(
    "prepared",
    [
        # A value the query does not use.
        PreparedQuery(lambda *, last_name, team_id: named_twice(last_name=last_name), last_name="x", team_id=-5),
    ],
)
@scopes_disabled()
def test_a_value_the_query_does_not_use_is_refused(prepared):
    with pytest.raises(ImproperlyConfigured):
        prepared.first(last_name="Visser", team_id=1)


def test_the_door_finds_the_login_s_own_membership_and_nobody_else_s():
    organization = OrganizationFactory()
    mine, theirs = EmployeeFactory(organization=organization), EmployeeFactory(organization=organization)
    elsewhere = EmployeeFactory(user=mine.user)

    assert membership(mine.user, organization.slug) == mine
    assert membership(theirs.user, organization.slug) == theirs
    assert membership(mine.user, elsewhere.organization.slug) == elsewhere
    assert membership(theirs.user, elsewhere.organization.slug) is None
    assert membership(mine.user, organization.slug).has_other_memberships is True
    assert membership(theirs.user, organization.slug).has_other_memberships is False
