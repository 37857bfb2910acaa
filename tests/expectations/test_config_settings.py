"""HR's settings page: the cap on published expectations per person, and where each team stands now."""

import html

import pytest

from expectations.models import Status
from organizations.models import Organization
from tests.factories import EmployeeFactory, ExpectationFactory, TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    rows_by_pk,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

RULE = (
    "At most {cap} published expectations may apply to one person; "
    "publishing refuses anything that would push someone over."
)


def settings_url(tenant):
    return url("expectations:settings", tenant.organization)


def cap_of(tenant):
    return Organization.objects.get(pk=tenant.organization.pk).expectation_cap


# Who may use the page


def test_a_member_of_another_organisation_gets_404(client, stranger, tenant_a):
    assert_other_organisation_gets_404(client, stranger, settings_url(tenant_a))
    assert_other_organisation_gets_404(client, stranger, settings_url(tenant_a), "post", {"cap": "7"})


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_403(client, tenant_a, role):
    assert_role_forbidden(client, tenant_a.member(role), settings_url(tenant_a))
    assert_role_forbidden(client, tenant_a.member(role), settings_url(tenant_a), "post", {"cap": "7"})


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_page_takes_only_get_and_post(tenant_a, hr, method):
    assert_method_not_allowed(hr, settings_url(tenant_a), method)


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
    assert response.context["warnings_shown"] == [
        "For Verkoop the weights add up to 80 %; change them by +20 points so they add up to 100 %.",
        "For people without a team the weights add up to 50 %; change them by +50 points so they add up to 100 %.",
    ]
    for warning in response.context["warnings_shown"]:
        assert warning in page
    assert "People without a team" in page
    assert page.count("<h1>") == 1
    assert 'for="id_cap"' in page
    assert 'aria-label="Configure expectations"' in page


def test_when_every_weight_adds_up_the_page_says_so(tenant_a, hr):
    ExpectationFactory(organization=tenant_a.organization, weight=100)
    response = hr.get(settings_url(tenant_a))
    assert response.context["warnings_shown"] == []
    assert "For everyone the weights add up to 100 %." in html.unescape(response.content.decode())


# Changing the cap


def test_hr_raises_the_cap_and_nothing_else_changes(tenant_a, tenant_b, hr):
    before = rows_by_pk(Organization)
    response = hr.post(settings_url(tenant_a), {"cap": "7"})
    assert response.status_code == 302
    assert response["Location"] == settings_url(tenant_a)
    after = rows_by_pk(Organization)
    assert after == {**before, tenant_a.organization.pk: {**before[tenant_a.organization.pk], "expectation_cap": 7}}
    followed = hr.get(settings_url(tenant_a))
    assert shown_messages(followed) == ["From now on at most 7 published expectations apply to one person."]
    assert RULE.format(cap=7) in html.unescape(followed.content.decode())


def test_hr_lowers_the_cap_to_what_is_already_published(tenant_a, hr):
    for _ in range(3):
        ExpectationFactory(organization=tenant_a.organization)
    assert hr.post(settings_url(tenant_a), {"cap": "3"}).status_code == 302
    assert cap_of(tenant_a) == 3


@pytest.mark.parametrize("cap", ["2", "8", "x", "", "-1", "4.5", "9" * 30])
def test_a_cap_outside_3_to_7_gets_a_field_error_and_saves_nothing(tenant_a, hr, cap):
    before = rows_by_pk(Organization)
    response = hr.post(settings_url(tenant_a), {"cap": cap})
    assert response.status_code == 200
    assert field_error(response, "cap") == "Choose a number from 3 to 7."
    assert rows_by_pk(Organization) == before


def test_a_cap_below_what_is_published_is_refused_at_the_field_naming_the_teams(tenant_a, hr):
    organization = tenant_a.organization
    for _ in range(3):
        ExpectationFactory(organization=organization)
    ExpectationFactory(organization=organization, teams=[tenant_a.team])
    empty = TeamFactory(organization=organization, name="Leeg")
    for _ in range(2):
        ExpectationFactory(organization=organization, teams=[empty])  # nobody in it: no one is over
    before = rows_by_pk(Organization)

    response = hr.post(settings_url(tenant_a), {"cap": "3"})

    assert response.status_code == 200
    assert field_error(response, "cap") == (
        "More than 3 published expectations already apply to people in: Klantenservice (2 people, 4 expectations). "
        "Retire expectations for them first, or keep a higher maximum."
    )
    assert rows_by_pk(Organization) == before
    # The page still shows where each team stands, with the cap that holds.
    assert RULE.format(cap=5) in html.unescape(response.content.decode())
    assert len(response.context["groups"]) == 3


# Query counts


def add_teams(tenant, numbers):
    """Teams with a person each and a published expectation for that team; number 0 is Alfa's own team."""
    for number in numbers:
        if number:
            team = TeamFactory(organization=tenant.organization)
            EmployeeFactory(organization=tenant.organization, team=team)
            ExpectationFactory(organization=tenant.organization, teams=[team])


def test_the_page_reads_the_same_number_of_queries_for_2_and_40_teams(tenant_a, hr):
    response = assert_flat_queries(lambda: hr.get(settings_url(tenant_a)), lambda numbers: add_teams(tenant_a, numbers))
    assert len(response.context["groups"]) == 41  # 40 teams and the people without one


def test_the_page_reads_the_same_number_of_queries_for_2_and_40_published_expectations(tenant_a, hr):
    organization = tenant_a.organization
    other = TeamFactory(organization=organization)

    def add(numbers):
        for n in numbers:
            teams = [tenant_a.team, other] if n % 2 else None
            ExpectationFactory(organization=organization, teams=teams, weight=5)

    assert_flat_queries(lambda: hr.get(settings_url(tenant_a)), add)
