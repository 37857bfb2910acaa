"""The list of draft expectations open to me for sharpening."""

import pytest

from expectations.models import Status
from tests.factories import (
    EmployeeFactory,
    EndorsementFactory,
    ExpectationFactory,
    SuggestionFactory,
    TeamFactory,
    sharpening_expectation,
)
from tests.kit import assert_flat_queries, assert_method_not_allowed, assert_other_organisation_gets_404, url

pytestmark = pytest.mark.django_db


def listing(organization):
    return url("expectations:sharpening_list", organization)


def detail(expectation):
    return url("expectations:sharpening_detail", expectation.organization, expectation_id=expectation.pk)


def rows(response):
    return [row.pk for row in response.context["rows"]]


def test_a_member_of_another_organisation_gets_404(client, tenant_a, tenant_b):
    sharpening_expectation(tenant_a.organization)
    assert_other_organisation_gets_404(client, tenant_b.employee, listing(tenant_a.organization))


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_every_role_reaches_the_list_no_role_is_refused(tenant_a, login, role):
    assert login(tenant_a.member(role)).get(listing(tenant_a.organization)).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_get_405(tenant_a, employee, method):
    assert_method_not_allowed(employee, listing(tenant_a.organization), method)


def test_only_drafts_in_sharpening_whose_audience_includes_me_are_listed(tenant_a, tenant_b, employee, outsider):
    everyone = sharpening_expectation(tenant_a.organization)
    my_team = sharpening_expectation(tenant_a.organization, teams=[tenant_a.team])
    sharpening_expectation(tenant_a.organization, teams=[TeamFactory(organization=tenant_a.organization)])
    for status in (Status.DRAFT, Status.PUBLISHED, Status.RETIRED):
        ExpectationFactory(organization=tenant_a.organization, status=status)
    sharpening_expectation(tenant_b.organization)
    assert sorted(rows(employee.get(listing(tenant_a.organization)))) == sorted([everyone.pk, my_team.pk])
    assert rows(outsider.get(listing(tenant_a.organization))) == [everyone.pk]


def test_open_ones_come_first_soonest_closing_first(tenant_a, employee):
    closed_long_ago = sharpening_expectation(tenant_a.organization, closes_in=-10)
    later = sharpening_expectation(tenant_a.organization, closes_in=20)
    closed = sharpening_expectation(tenant_a.organization, closes_in=-1)
    soon = sharpening_expectation(tenant_a.organization, closes_in=0)
    response = employee.get(listing(tenant_a.organization))
    assert rows(response) == [soon.pk, later.pk, closed_long_ago.pk, closed.pk]


def test_each_row_says_core_value_closing_date_whether_i_endorsed_and_how_many_suggestions(tenant_a, employee):
    endorsed = sharpening_expectation(tenant_a.organization, title="Endorsed")
    EndorsementFactory(expectation=endorsed, employee=tenant_a.employee)
    EndorsementFactory(expectation=endorsed, employee=tenant_a.manager)
    SuggestionFactory.create_batch(3, expectation=endorsed)
    changed = sharpening_expectation(tenant_a.organization, title="Changed")
    EndorsementFactory(expectation=changed, employee=tenant_a.employee, wording_revision=0)
    untouched = sharpening_expectation(tenant_a.organization, title="Untouched", closes_in=-2)
    EndorsementFactory(expectation=untouched, employee=tenant_a.manager)  # someone else's

    response = employee.get(listing(tenant_a.organization))
    by_pk = {row.pk: row for row in response.context["rows"]}
    assert (by_pk[endorsed.pk].endorsed_current, by_pk[endorsed.pk].suggestion_count) == (True, 3)
    assert (by_pk[changed.pk].endorsed_current, by_pk[changed.pk].endorsed_any) == (False, True)
    assert (by_pk[untouched.pk].endorsed_any, by_pk[untouched.pk].suggestion_count) == (False, 0)
    page = response.content.decode()
    assert page.count("<h1>") == 1
    assert '<th scope="col">Suggestions close on</th>' in page
    assert f'href="{detail(endorsed)}"' in page and "Endorsed (en)" in page
    assert endorsed.core_value.name_en in page
    assert "Not this wording: it changed since you endorsed it" in page
    assert '<span class="badge badge-ok">open</span>' in page and '<span class="badge">closed</span>' in page


def test_an_empty_list_says_so(tenant_a, employee):
    page = employee.get(listing(tenant_a.organization)).content.decode()
    assert "No draft expectations are open to you for sharpening right now." in page


def add_rows(tenant, numbers):
    for _ in numbers:
        expectation = sharpening_expectation(tenant.organization, teams=[tenant.team])
        author = EmployeeFactory(organization=tenant.organization, team=tenant.team)
        SuggestionFactory(expectation=expectation, author=author)
        EndorsementFactory(expectation=expectation, employee=tenant.employee)
        EndorsementFactory(expectation=expectation, employee=author)


def test_the_list_makes_as_many_queries_for_40_rows_as_for_2(tenant_a, employee):
    response = assert_flat_queries(
        lambda: employee.get(listing(tenant_a.organization)), lambda numbers: add_rows(tenant_a, numbers)
    )
    assert len(response.context["rows"]) == 40
