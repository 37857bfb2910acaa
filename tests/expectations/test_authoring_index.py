"""The expectations overview: HR sees everything by status and what weighs; a manager, their own and their team's."""

import pytest
from django.utils import timezone

from expectations.models import Status
from tests.factories import (
    EmployeeFactory,
    EndorsementFactory,
    ExpectationFactory,
    TeamFactory,
)
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    url,
)

pytestmark = pytest.mark.django_db


def index(tenant):
    return url("expectations:index", tenant.organization)


def test_a_member_of_another_organisation_gets_404(client, stranger, tenant_a):
    assert_other_organisation_gets_404(client, stranger, index(tenant_a))


def test_an_employee_gets_403_and_uses_their_own_page_instead(client, tenant_a):
    assert_role_forbidden(client, tenant_a.employee, index(tenant_a))


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_get_405(tenant_a, hr, method):
    assert_method_not_allowed(hr, index(tenant_a), method)


def test_hr_sees_every_expectation_grouped_by_status_with_its_facts(tenant_a, hr):
    organization = tenant_a.organization
    ontwikkeling = TeamFactory(organization=organization, name="Ontwikkeling")
    draft = ExpectationFactory(
        organization=organization, status=Status.DRAFT, published_at=None, title="Een concept", weight=15
    )
    sharpening = ExpectationFactory(
        organization=organization,
        status=Status.SHARPENING,
        published_at=None,
        title="Aanscherpen maar",
        teams=[tenant_a.team, ontwikkeling],
    )
    EndorsementFactory(expectation=sharpening, employee=tenant_a.employee)
    EndorsementFactory(expectation=sharpening, employee=tenant_a.manager, wording_revision=0)  # an older wording
    live = ExpectationFactory(organization=organization, title="Gepubliceerd", weight=40)
    retired = ExpectationFactory(organization=organization, status=Status.RETIRED, title="Met pensioen")

    response = hr.get(index(tenant_a))

    assert response.status_code == 200
    sections = {status: [row.pk for row in rows] for status, _label, rows in response.context["by_status"]}
    assert sections == {
        Status.DRAFT: [draft.pk],
        Status.SHARPENING: [sharpening.pk],
        Status.PUBLISHED: [live.pk],
        Status.RETIRED: [retired.pk],
    }
    page = response.content.decode()
    assert page.count("<h1>") == 1
    for status in ("Draft", "Sharpening", "Published", "Retired"):
        assert f">{status} <" in page
    assert url("expectations:detail", organization, expectation_id=draft.pk) in page
    assert "Een concept (en)" in page  # the title in the reader's language
    assert "15 %" in page and "40 %" in page
    assert "Klantenservice, Ontwikkeling" in page
    assert "The whole organisation" in page
    closes_on = sharpening.sharpening_closes_on
    assert response.context["by_status"][1][2][0].sharpening_closes_on == closes_on
    # Support: endorsements of the current wording out of the people it applies to (Mark and Eva).
    row = response.context["by_status"][1][2][0]
    assert (row.endorsed, row.audience_size) == (1, 2)
    assert "1 of 2" in page


def test_hr_sees_what_weighs_per_team_with_the_rule_the_cap_and_how_to_fix_it(tenant_a, hr):
    ExpectationFactory(organization=tenant_a.organization, weight=60)
    ExpectationFactory(organization=tenant_a.organization, weight=30, teams=[tenant_a.team])
    response = hr.get(index(tenant_a))
    page = response.content.decode()
    assert "Per person the weights of the expectations that apply add up to 100 %." in page
    assert "The maximum is 5 published expectations per person." in page
    assert response.context["warnings_shown"] == [
        "For Klantenservice the weights add up to 90 %; change them by +10 points so they add up to 100 %.",
        "For people without a team the weights add up to 60 %; change them by +40 points so they add up to 100 %.",
    ]
    for warning in response.context["warnings_shown"]:
        assert warning in page
    rows = {
        (group.team.name if group.team else None): (group.people, group.count, group.weight)
        for group in response.context["groups"]
    }
    assert rows == {"Klantenservice": (2, 2, 90), None: (2, 1, 60)}
    for name in ("value_list", "goal_list", "not_counted_list", "settings"):
        assert url(f"expectations:{name}", tenant_a.organization) in page


def test_hr_is_told_when_the_weights_add_up(tenant_a, hr):
    ExpectationFactory(organization=tenant_a.organization, weight=100)
    page = hr.get(index(tenant_a)).content.decode()
    assert "For everyone the weights add up to 100 %." in page


def test_a_manager_sees_their_proposals_and_what_is_published_for_their_team_only(tenant_a, manager):
    organization = tenant_a.organization
    elsewhere = TeamFactory(organization=organization, name="Elders")
    mine = ExpectationFactory(
        organization=organization,
        status=Status.DRAFT,
        published_at=None,
        proposed_by=tenant_a.manager,
        teams=[tenant_a.team],
        title="Mijn voorstel",
    )
    for_my_team = ExpectationFactory(organization=organization, teams=[tenant_a.team], title="Voor ons team")
    for_everyone = ExpectationFactory(organization=organization, title="Voor iedereen")
    ExpectationFactory(organization=organization, teams=[elsewhere], title="Voor een ander team")
    ExpectationFactory(organization=organization, status=Status.DRAFT, published_at=None, title="Concept van HR")
    ExpectationFactory(
        organization=organization, status=Status.RETIRED, teams=[tenant_a.team], title="Met pensioen gegaan"
    )

    response = manager.get(index(tenant_a))

    assert response.status_code == 200
    assert [row.pk for row in response.context["proposals"]] == [mine.pk]
    assert {row.pk for row in response.context["team_expectations"]} == {for_my_team.pk, for_everyone.pk}
    page = response.content.decode()
    assert "Propose an expectation" in page
    assert url("expectations:create", organization) in page
    assert "Voor een ander team" not in page and "Concept van HR" not in page and "Met pensioen gegaan" not in page
    assert url("expectations:detail", organization, expectation_id=mine.pk) in page
    # A published expectation the manager did not propose is shown, not linked: its page is HR's.
    assert url("expectations:detail", organization, expectation_id=for_my_team.pk) not in page
    assert "Klantenservice has 2 of at most 5 published expectations." in page
    assert "value_list" not in page and url("expectations:value_list", organization) not in page


def add_expectations(tenant, numbers):
    """Expectations in every status, some for teams, some proposed, sharpening ones endorsed.

    The first two already fill every list both viewers see (a proposal in sharpening, a published one for
    the team), so the small page makes every query the large one does.
    """
    statuses = [Status.SHARPENING, Status.PUBLISHED, Status.DRAFT, Status.RETIRED]
    other = TeamFactory(organization=tenant.organization)
    EmployeeFactory(organization=tenant.organization, team=other)
    for n in numbers:
        status = statuses[n % 4]
        teams = [tenant.team, other] if n % 3 == 0 else None
        expectation = ExpectationFactory(
            organization=tenant.organization,
            status=status,
            published_at=timezone.now() if status in (Status.PUBLISHED, Status.RETIRED) else None,
            teams=teams,
            proposed_by=tenant.manager if n % 2 == 0 else None,
        )
        if status == Status.SHARPENING:
            EndorsementFactory(expectation=expectation, employee=tenant.employee)


@pytest.mark.parametrize("viewer", ["hr", "manager"])
def test_the_index_makes_as_many_queries_for_40_expectations_as_for_2(tenant_a, viewer, request):
    client = request.getfixturevalue(viewer)
    assert_flat_queries(lambda: client.get(index(tenant_a)), lambda numbers: add_expectations(tenant_a, numbers))
