"""The list of draft expectations open to me for sharpening."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from expectations.models import Status
from tests.factories import EmployeeFactory, EndorsementFactory, ExpectationFactory, SuggestionFactory, TeamFactory

pytestmark = pytest.mark.django_db


def listing(organization):
    return reverse("expectations:sharpening_list", kwargs={"org_slug": organization.slug})


def detail(expectation):
    return reverse(
        "expectations:sharpening_detail",
        kwargs={"org_slug": expectation.organization.slug, "expectation_id": expectation.pk},
    )


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def sharpening(tenant, closes_in=7, **kwargs):
    return ExpectationFactory(
        organization=tenant.organization,
        status=Status.SHARPENING,
        published_at=None,
        sharpening_closes_on=timezone.localdate() + timezone.timedelta(days=closes_in),
        **kwargs,
    )


def rows(response):
    return [row.pk for row in response.context["rows"]]


def test_a_member_of_another_organisation_gets_404(tenant_a, tenant_b, login):
    sharpening(tenant_a)
    assert login(tenant_b.employee).get(listing(tenant_a.organization)).status_code == 404


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_every_role_reaches_the_list_no_role_is_refused(tenant_a, login, role):
    assert login(tenant_a.member(role)).get(listing(tenant_a.organization)).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_get_405(tenant_a, login, method):
    assert getattr(login(tenant_a.employee), method)(listing(tenant_a.organization)).status_code == 405


def test_only_drafts_in_sharpening_whose_audience_includes_me_are_listed(tenant_a, tenant_b, login):
    everyone = sharpening(tenant_a)
    my_team = sharpening(tenant_a, teams=[tenant_a.team])
    sharpening(tenant_a, teams=[TeamFactory(organization=tenant_a.organization)])
    for status in (Status.DRAFT, Status.PUBLISHED, Status.RETIRED):
        ExpectationFactory(organization=tenant_a.organization, status=status)
    sharpening(tenant_b)
    assert sorted(rows(login(tenant_a.employee).get(listing(tenant_a.organization)))) == sorted(
        [everyone.pk, my_team.pk]
    )
    assert rows(login(tenant_a.outsider).get(listing(tenant_a.organization))) == [everyone.pk]


def test_open_ones_come_first_soonest_closing_first(tenant_a, login):
    closed_long_ago = sharpening(tenant_a, closes_in=-10)
    later = sharpening(tenant_a, closes_in=20)
    closed = sharpening(tenant_a, closes_in=-1)
    soon = sharpening(tenant_a, closes_in=0)
    response = login(tenant_a.employee).get(listing(tenant_a.organization))
    assert rows(response) == [soon.pk, later.pk, closed_long_ago.pk, closed.pk]


def test_each_row_says_core_value_closing_date_whether_i_endorsed_and_how_many_suggestions(tenant_a, login):
    in_english(tenant_a.employee)
    endorsed = sharpening(tenant_a, title="Endorsed")
    EndorsementFactory(expectation=endorsed, employee=tenant_a.employee)
    EndorsementFactory(expectation=endorsed, employee=tenant_a.manager)
    SuggestionFactory.create_batch(3, expectation=endorsed)
    changed = sharpening(tenant_a, title="Changed")
    EndorsementFactory(expectation=changed, employee=tenant_a.employee, wording_revision=0)
    untouched = sharpening(tenant_a, title="Untouched", closes_in=-2)
    EndorsementFactory(expectation=untouched, employee=tenant_a.manager)  # someone else's

    response = login(tenant_a.employee).get(listing(tenant_a.organization))
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


def test_an_empty_list_says_so(tenant_a, login):
    in_english(tenant_a.employee)
    page = login(tenant_a.employee).get(listing(tenant_a.organization)).content.decode()
    assert "No draft expectations are open to you for sharpening right now." in page


def add_rows(tenant, count):
    for _ in range(count):
        expectation = sharpening(tenant, teams=[tenant.team])
        author = EmployeeFactory(organization=tenant.organization, team=tenant.team)
        SuggestionFactory(expectation=expectation, author=author)
        EndorsementFactory(expectation=expectation, employee=tenant.employee)
        EndorsementFactory(expectation=expectation, employee=author)


def count_queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response


def test_the_list_makes_as_many_queries_for_40_rows_as_for_2(tenant_a, login):
    client = login(tenant_a.employee)
    add_rows(tenant_a, 2)
    few, _response = count_queries(client, listing(tenant_a.organization))
    add_rows(tenant_a, 38)
    many, response = count_queries(client, listing(tenant_a.organization))
    assert len(response.context["rows"]) == 40
    assert few == many
