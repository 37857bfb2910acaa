"""HR's settings page: the cap on published expectations per person, and where each team stands now."""

import html
import re

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expectations.models import Status
from organizations.models import Organization
from tests.factories import EmployeeFactory, ExpectationFactory, TeamFactory

pytestmark = pytest.mark.django_db

RULE = (
    "At most {cap} published expectations may apply to one person; "
    "publishing refuses anything that would push someone over."
)


def url(name, organization, **kwargs):
    return reverse(f"expectations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def field_error(response, field):
    """The error text shown at ``field`` (inside its errorlist), or None."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()) if match else None


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def snapshot():
    """Every organisation as stored: what "nothing saved" compares."""
    return {row.pk: model_to_dict(row) for row in Organization.objects.all()}


def settings_url(tenant):
    return url("settings", tenant.organization)


def cap_of(tenant):
    return Organization.objects.get(pk=tenant.organization.pk).expectation_cap


@pytest.fixture
def hr(tenant_a, login):
    in_english(tenant_a.hr)
    return login(tenant_a.hr)


# Who may use the page


def test_a_member_of_another_organisation_gets_404(tenant_a, tenant_b, login):
    client = login(tenant_b.hr)
    before = snapshot()
    assert client.get(settings_url(tenant_a)).status_code == 404
    assert client.post(settings_url(tenant_a), {"cap": "7"}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_403(tenant_a, login, role):
    client = login(tenant_a.member(role))
    before = snapshot()
    assert client.get(settings_url(tenant_a)).status_code == 403
    assert client.post(settings_url(tenant_a), {"cap": "7"}).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_page_takes_only_get_and_post(tenant_a, hr, method):
    before = snapshot()
    assert getattr(hr, method)(settings_url(tenant_a)).status_code == 405
    assert snapshot() == before


# What the page shows


def test_hr_sees_the_cap_the_rule_and_per_team_what_applies_and_weighs(tenant_a, hr):
    organization = tenant_a.organization
    sales = TeamFactory(organization=organization, name="Verkoop")
    EmployeeFactory.create_batch(3, organization=organization, team=sales)
    ExpectationFactory(organization=organization, weight=50)  # everyone
    ExpectationFactory(organization=organization, weight=50, teams=[tenant_a.team])
    ExpectationFactory(organization=organization, weight=30, teams=[sales])
    ExpectationFactory(organization=organization, weight=40, status=Status.DRAFT, published_at=None)
    ExpectationFactory(organization=organization, weight=40, status=Status.RETIRED)

    response = hr.get(settings_url(tenant_a))

    assert response.status_code == 200
    assert response.context["form"]["cap"].value() == 5
    rows = [(g.team.name if g.team else None, g.people, g.count, g.weight) for g in response.context["groups"]]
    assert rows == [("Klantenservice", 2, 2, 100), ("Verkoop", 3, 2, 80), (None, 2, 1, 50)]
    page = html.unescape(response.content.decode())
    assert RULE.format(cap=5) in page
    assert "Per person the weights of the expectations that apply add up to 100 %." in page
    assert response.context["warnings"] == [
        "For Verkoop the weights add up to 80 %; change them by +20 points so they add up to 100 %.",
        "For people without a team the weights add up to 50 %; change them by +50 points so they add up to 100 %.",
    ]
    for warning in response.context["warnings"]:
        assert warning in page
    assert "People without a team" in page
    assert page.count("<h1>") == 1
    assert 'for="id_cap"' in page
    assert 'aria-label="Configure expectations"' in page


def test_when_every_weight_adds_up_the_page_says_so(tenant_a, hr):
    ExpectationFactory(organization=tenant_a.organization, weight=100)
    response = hr.get(settings_url(tenant_a))
    assert response.context["warnings"] == []
    assert "For everyone the weights add up to 100 %." in html.unescape(response.content.decode())


# Changing the cap


def test_hr_raises_the_cap_and_nothing_else_changes(tenant_a, tenant_b, hr):
    before = snapshot()
    response = hr.post(settings_url(tenant_a), {"cap": "7"})
    assert response.status_code == 302
    assert response["Location"] == settings_url(tenant_a)
    after = snapshot()
    assert after == {**before, tenant_a.organization.pk: {**before[tenant_a.organization.pk], "expectation_cap": 7}}
    followed = hr.get(settings_url(tenant_a))
    assert messages_of(followed) == ["From now on at most 7 published expectations apply to one person."]
    assert RULE.format(cap=7) in html.unescape(followed.content.decode())


def test_hr_lowers_the_cap_to_what_is_already_published(tenant_a, hr):
    for _ in range(3):
        ExpectationFactory(organization=tenant_a.organization)
    assert hr.post(settings_url(tenant_a), {"cap": "3"}).status_code == 302
    assert cap_of(tenant_a) == 3


@pytest.mark.parametrize("cap", ["2", "8", "x", "", "-1", "4.5", "9" * 30])
def test_a_cap_outside_3_to_7_gets_a_field_error_and_saves_nothing(tenant_a, hr, cap):
    before = snapshot()
    response = hr.post(settings_url(tenant_a), {"cap": cap})
    assert response.status_code == 200
    assert field_error(response, "cap") == "Choose a number from 3 to 7."
    assert snapshot() == before


def test_a_cap_below_what_is_published_is_refused_at_the_field_naming_the_teams(tenant_a, hr):
    organization = tenant_a.organization
    for _ in range(3):
        ExpectationFactory(organization=organization)
    ExpectationFactory(organization=organization, teams=[tenant_a.team])
    empty = TeamFactory(organization=organization, name="Leeg")
    for _ in range(2):
        ExpectationFactory(organization=organization, teams=[empty])  # nobody in it: no one is over
    before = snapshot()

    response = hr.post(settings_url(tenant_a), {"cap": "3"})

    assert response.status_code == 200
    assert field_error(response, "cap") == (
        "More than 3 published expectations already apply to people in: Klantenservice (2 people, 4 expectations). "
        "Retire expectations for them first, or keep a higher maximum."
    )
    assert snapshot() == before
    # The page still shows where each team stands, with the cap that holds.
    assert RULE.format(cap=5) in html.unescape(response.content.decode())
    assert len(response.context["groups"]) == 3


# Query counts


def queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), [query["sql"] for query in captured]


def assert_flat(small, large):
    (few, _few_sql), (many, many_sql) = small, large
    assert few == many, f"{few} queries with few rows, {many} with many:\n" + "\n".join(many_sql)


def add_teams(tenant, count):
    """Teams with a person each and a published expectation for that team."""
    for _ in range(count):
        team = TeamFactory(organization=tenant.organization)
        EmployeeFactory(organization=tenant.organization, team=team)
        ExpectationFactory(organization=tenant.organization, teams=[team])


def test_the_page_reads_the_same_number_of_queries_for_2_and_40_teams(tenant_a, hr):
    add_teams(tenant_a, 1)  # with the fixture's team: 2 teams
    few = queries(hr, settings_url(tenant_a))
    add_teams(tenant_a, 38)
    many = queries(hr, settings_url(tenant_a))
    assert len(hr.get(settings_url(tenant_a)).context["groups"]) == 41  # 40 teams and the people without one
    assert_flat(few, many)


def test_the_page_reads_the_same_number_of_queries_for_2_and_40_published_expectations(tenant_a, hr):
    organization = tenant_a.organization
    other = TeamFactory(organization=organization)

    def add(count):
        for n in range(count):
            teams = [tenant_a.team, other] if n % 2 else None
            ExpectationFactory(organization=organization, teams=teams, weight=5)

    add(2)
    few = queries(hr, settings_url(tenant_a))
    add(38)
    many = queries(hr, settings_url(tenant_a))
    assert_flat(few, many)
