"""The published outcome rule: the scale, the weighted score with an example on the reader's own expectations,
the bands with their thresholds, and the justification a deviation needs; for everyone, before any review."""

import pytest

from cycles.models import CycleStatus
from expectations.models import Expectation, Status
from reviews.models import OutcomeBand
from tests.factories import CycleFactory, ExpectationFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    client_for,
    url,
)

pytestmark = pytest.mark.django_db


def rule_page(tenant):
    return url("reviews:outcome_rule", tenant.organization)


def test_another_organisations_member_gets_404(client, tenant_a, stranger):
    assert_other_organisation_gets_404(client, stranger, rule_page(tenant_a))


def test_only_get_is_taken(employee, tenant_a):
    assert_method_not_allowed(employee, rule_page(tenant_a), ["post", "put", "delete"])


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_everyone_in_the_organisation_reads_the_rule(tenant_a, assessment, role):
    response = client_for(tenant_a.member(role)).get(rule_page(tenant_a))
    assert response.status_code == 200
    assert [rule.cycle for rule in response.context["cycle_rules"]] == [assessment.cycle]


def test_the_rule_in_words_and_numbers_with_the_readers_own_expectations(employee, tenant_a, assessment):
    response = employee.get(rule_page(tenant_a))
    page = response.content.decode()
    # The scale, with its descriptions.
    assert "1 – Not yet visible" in page and "4 – Role model" in page
    assert "The behaviour shows every time and others take it up." in page
    # The example: level 3 × 60 and level 2 × 40, from Eva's own two expectations.
    (rule,) = response.context["cycle_rules"]
    assert [(row.title, row.level.value, row.weight, row.product) for row in rule.example] == [
        ("Klant om feedback vragen (en)", 3, 60, 180),
        ("Afspraken nakomen (en)", 2, 40, 80),
    ]
    assert "Weighted score: 260 ÷ 100 = 2.60." in page
    assert "In this example the outcome is “Meets expectations”." in page
    # The bands, with their thresholds, and the justification.
    assert "<td>Meets expectations</td><td>2.50</td>" in page
    assert "<td>Exceeds expectations</td><td>3.50</td>" in page
    assert "writes a justification. HR sees every such deviation" in page


def test_numbers_are_written_the_dutch_way_for_a_dutch_reader(tenant_a, assessment):
    page = client_for(tenant_a.employee, language="nl").get(rule_page(tenant_a)).content.decode()
    assert "2,60" in page and "2,50" in page and "3,50" in page
    assert "2.60" not in page


def test_the_rule_shows_the_cycles_own_bands(employee, tenant_a, assessment):
    OutcomeBand.objects.filter(cycle=assessment.cycle, position=2).update(min_score="2.55", name_en="Above")
    page = employee.get(rule_page(tenant_a)).content.decode()
    assert "<td>Above</td><td>2.55</td>" in page
    assert "In this example the outcome is “Above”." in page


def test_someone_without_a_conversation_reads_the_latest_active_cycle(outsider, tenant_a, assessment):
    CycleFactory(organization=tenant_a.organization, status=CycleStatus.DRAFT)
    response = outsider.get(rule_page(tenant_a))
    assert [rule.cycle for rule in response.context["cycle_rules"]] == [assessment.cycle]


def test_without_an_active_cycle_the_page_shows_the_scale(employee, tenant_a):
    response = employee.get(rule_page(tenant_a))
    assert response.context["cycle_rules"] == []
    page = response.content.decode()
    assert "No cycle is active" in page and "3 – Consistently visible" in page


def test_without_expectations_there_is_no_example(employee, tenant_a, assessment):
    Expectation.objects.filter(pk__in=[row.pk for row in assessment.expectations]).update(status=Status.RETIRED)
    page = employee.get(rule_page(tenant_a)).content.decode()
    assert "No published expectations apply to you yet" in page


def test_every_weight_0_gives_the_plain_average(employee, tenant_a, assessment):
    for expectation in assessment.expectations:
        version = expectation.current_version
        version.weight = 0
        version.save()
    page = employee.get(rule_page(tenant_a)).content.decode()
    assert "Every weight is 0, so the score is the plain average: 2.50." in page


def test_the_query_count_does_not_grow_with_the_expectations(employee, tenant_a, assessment):
    def build(numbers):
        for number in numbers:
            ExpectationFactory(organization=tenant_a.organization, weight=10, title=f"Extra {number}")

    response = assert_flat_queries(lambda: employee.get(rule_page(tenant_a)), build, few=2, many=12)
    assert len(response.context["cycle_rules"][0].example) == 2 + 12
