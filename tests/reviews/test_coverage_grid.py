"""Evidence coverage on the team grid (reviews.views_coverage through cycles.extensions): per report, per
applicable expectation, the observations dated in the cycle; a gap is marked in words, not by colour alone. The
grid loads it after itself from reviews:team_coverage (htmx), which is a page of its own without JavaScript."""

import datetime

import pytest

from cycles.models import CycleStatus
from organizations.models import Role
from reviews import selectors_coverage
from tests.factories import EmployeeFactory, ExpectationFactory, ObservationFactory, TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    url,
)

pytestmark = pytest.mark.django_db


def team_grid(tenant):
    return url("cycles:team_grid", tenant.organization)


HTMX = {"HTTP_HX_REQUEST": "true"}


def coverage_part(client, response, grid=0):
    """The coverage part the grid loads below the ``grid``-th cycle's table (as htmx asks for it)."""
    (section,) = response.context["grids"][grid]["sections"]
    return client.get(section.context["url"], **HTMX)


def people(client, response, grid=0):
    """The coverage rows of the grid's ``grid``-th cycle."""
    return coverage_part(client, response, grid).context["people"]


def counts_of(person):
    return {item.expectation.pk: item.count for item in person.items}


def test_a_report_without_an_observation_on_an_expectation_is_marked_and_the_others_counted(assessment, manager):
    eva = assessment.tenant.employee
    asks_feedback, keeps_agreements = assessment.expectations
    ObservationFactory.create_batch(2, employee=eva, expectation=asks_feedback)
    response = manager.get(team_grid(assessment.tenant))
    assert response.status_code == 200
    assert "Evidence so far" in response.content.decode()
    part = coverage_part(manager, response)
    (person,) = part.context["people"]
    assert person.employee == eva
    assert counts_of(person) == {asks_feedback.pk: 2, keeps_agreements.pk: 0}
    assert person.gaps == 1
    body = part.content.decode()
    assert "<html" not in body and "HX-Request" in part["Vary"]
    assert "Klant om feedback vragen (en):\n          2 observations" in body
    # The gap is said in words (read by a screen reader too), not only shown in a colour.
    assert "Afspraken nakomen (en):" in body and "no observation yet" in body
    assert body.count("data-gap") == 1
    assert "1 expectation without an observation" in body


def test_only_observations_dated_in_the_cycle_on_that_person_count(assessment, manager):
    eva, tenant = assessment.tenant.employee, assessment.tenant
    expectation = assessment.expectations[0]
    before_the_cycle = assessment.cycle.starts_on - datetime.timedelta(days=1)
    ObservationFactory(employee=eva, expectation=expectation, observed_on=before_the_cycle)
    ObservationFactory(employee=eva, expectation=None)  # linked to no expectation: evidence for none
    ObservationFactory(employee=tenant.outsider, expectation=expectation, author=tenant.hr)
    ObservationFactory(employee=eva, expectation=expectation, observed_on=assessment.cycle.starts_on)
    (person,) = people(manager, manager.get(team_grid(tenant)))
    assert counts_of(person)[expectation.pk] == 1


def test_an_expectation_for_another_team_is_not_listed(assessment, manager):
    tenant = assessment.tenant
    other_team = ExpectationFactory(
        organization=tenant.organization, teams=[TeamFactory(organization=tenant.organization)]
    )
    own_team = ExpectationFactory(organization=tenant.organization, teams=[tenant.team])
    (person,) = people(manager, manager.get(team_grid(tenant)))
    listed = counts_of(person)
    assert own_team.pk in listed and other_team.pk not in listed
    assert len(listed) == 3


def test_each_report_links_to_recording_an_observation_and_to_their_observations(assessment, manager):
    eva = assessment.tenant.employee
    body = coverage_part(manager, manager.get(team_grid(assessment.tenant))).content.decode()
    assert f'href="{url("reviews:observation_create", eva.organization, employee_id=eva.pk)}"' in body
    assert f'href="{url("reviews:person_observations", eva.organization, employee_id=eva.pk)}"' in body


def coverage_url(assessment):
    return url("reviews:team_coverage", assessment.tenant.organization, cycle_id=assessment.cycle.pk)


def test_another_organisations_manager_gets_404(assessment, assessment_b, client):
    assert_other_organisation_gets_404(client, assessment_b.tenant.manager, team_grid(assessment.tenant))
    assert_other_organisation_gets_404(client, assessment_b.tenant.manager, coverage_url(assessment))


def test_an_employee_gets_403(assessment, client):
    assert_role_forbidden(client, assessment.tenant.employee, team_grid(assessment.tenant))
    assert_role_forbidden(client, assessment.tenant.employee, coverage_url(assessment))


def test_without_javascript_the_coverage_is_a_page_with_the_way_back(assessment, manager):
    response = manager.get(coverage_url(assessment))
    body = response.content.decode()
    assert response.status_code == 200 and "<h1>Evidence so far: cycle" in body
    assert url("cycles:team_grid", assessment.tenant.organization) + f"?cycle={assessment.cycle.pk}" in body
    assert [person.employee for person in response.context["people"]] == [assessment.tenant.employee]
    assert 'id="coverage-' in body and "<h2 id=" in body  # the people one level below the page's heading


def test_a_cycle_without_the_managers_reports_is_404(assessment, assessment_b, manager):
    other_manager = EmployeeFactory(organization=assessment.tenant.organization, role=Role.MANAGER)
    assert client_for(other_manager).get(coverage_url(assessment)).status_code == 404  # no reports in it
    another_tenants_cycle = url("reviews:team_coverage", assessment.tenant.organization, cycle_id=assessment_b.cycle.pk)
    assert manager.get(another_tenants_cycle).status_code == 404


def test_without_reports_no_coverage_is_computed(assessment):
    other_manager = EmployeeFactory(organization=assessment.tenant.organization, role=Role.MANAGER)
    response = client_for(other_manager).get(team_grid(assessment.tenant))
    # Without reports there is no cycle to show the grid of, so no section is asked for its coverage.
    assert all(grid["sections"] == [] for grid in response.context["grids"])
    assert "Evidence so far" not in response.content.decode()


def test_the_selector_gives_nothing_for_no_reports(assessment):
    assert selectors_coverage.coverage(cycle=assessment.cycle, reports=[]) == []


@pytest.mark.parametrize("address", ["grid", "coverage"])
def test_the_query_count_does_not_grow_with_the_team(assessment, manager, address):
    tenant = assessment.tenant
    team_only = ExpectationFactory(organization=tenant.organization, teams=[tenant.team])

    def add_reports(numbers):
        for number in numbers:
            report = EmployeeFactory(
                organization=tenant.organization, manager=tenant.manager, team=tenant.team if number % 2 else None
            )
            ObservationFactory(employee=report, expectation=assessment.expectations[number % 2])
            ObservationFactory(employee=report, expectation=team_only)

    # Eva reports to Mark too: 3 reports, then 30; the grid, and the coverage it loads after itself.
    if address == "grid":
        grid = assert_flat_queries(lambda: manager.get(team_grid(tenant)), add_reports, few=2, many=29)
        assert len(grid.context["grids"][0]["rows"]) == 30
        return
    part = coverage_url(assessment)
    covered = assert_flat_queries(lambda: manager.get(part, **HTMX), add_reports, few=2, many=29).context["people"]
    assert len(covered) == 30
    # One on an expectation for everyone per new report; the team expectation's only for the 14 in the team.
    assert sum(item.count for person in covered for item in person.items) == 29 + 14


def test_a_closed_cycle_offers_the_observations_but_not_recording_or_asking(assessment, manager):
    cycle, eva = assessment.cycle, assessment.tenant.employee
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    response = manager.get(coverage_url(assessment), **HTMX)
    (person,) = response.context["people"]
    assert [action.label for action in person.actions] == ["Observations"]
    body = response.content.decode()
    assert url("reviews:observation_create", eva.organization, employee_id=eva.pk) not in body
    page = manager.get(coverage_url(assessment)).content.decode()
    assert "dated in this closed cycle" in page and "before the assessment" not in page
    assert "Evidence in cycle" in page and "Evidence so far" not in page
