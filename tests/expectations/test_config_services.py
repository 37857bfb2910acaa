"""The configuration services: core values, strategic goals, what does not count, and the cap."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from expectations import services
from expectations.models import CoreValue, ExpectationVersion, NotCounted, Status, StrategicGoal
from organizations.models import Organization
from tests.factories import (
    CoreValueFactory,
    EmployeeFactory,
    ExpectationFactory,
    NotCountedFactory,
    StrategicGoalFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


# core_value_save / core_value_delete


def test_core_value_save_creates_a_value_with_trimmed_texts(tenant_a):
    value = services.core_value_save(
        organization=tenant_a.organization, name_nl=" Samen ", name_en="", description_nl=" Met elkaar. ", order=2
    )
    value = CoreValue.objects.get(pk=value.pk)
    assert (value.organization_id, value.name_nl, value.name_en, value.description_nl, value.order) == (
        tenant_a.organization.pk,
        "Samen",
        "",
        "Met elkaar.",
        2,
    )


def test_core_value_save_changes_only_the_value_it_is_given(tenant_a, tenant_b):
    value = CoreValueFactory(organization=tenant_a.organization, name_nl="Oud", order=1)
    other = CoreValueFactory(organization=tenant_a.organization, name_nl="Ander")
    services.core_value_save(organization=tenant_a.organization, core_value=value, name_nl="Nieuw", order=4)
    assert CoreValue.objects.get(pk=value.pk).name_nl == "Nieuw"
    assert CoreValue.objects.get(pk=value.pk).order == 4
    assert CoreValue.objects.get(pk=other.pk).name_nl == "Ander"
    assert CoreValue.objects.count() == 2


@pytest.mark.parametrize("name", ["", "   "])
def test_core_value_save_needs_the_name_in_the_organisation_language(tenant_a, name):
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.core_value_save(organization=tenant_a.organization, name_nl=name, name_en="Together")
    assert excinfo.value.message_dict == {"name_nl": ["Fill this in, in the organisation's language."]}
    assert not CoreValue.objects.exists()


def test_core_value_save_in_an_english_organisation_needs_the_english_name(tenant_a):
    Organization.objects.filter(pk=tenant_a.organization.pk).update(language="en")
    tenant_a.organization.refresh_from_db()
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.core_value_save(organization=tenant_a.organization, name_nl="Samen", name_en="")
    assert list(excinfo.value.message_dict) == ["name_en"]
    assert services.core_value_save(organization=tenant_a.organization, name_en="Together").name_nl == ""


def test_core_value_save_refuses_a_negative_order_and_an_over_long_name(tenant_a):
    with pytest.raises(ValidationError) as excinfo:
        services.core_value_save(organization=tenant_a.organization, name_nl="x" * 81, order=-1)
    assert set(excinfo.value.message_dict) == {"name_nl", "order"}
    assert not CoreValue.objects.exists()


def test_core_value_delete_deletes_an_unused_value_only(tenant_a):
    value = CoreValueFactory(organization=tenant_a.organization)
    other = CoreValueFactory(organization=tenant_a.organization)
    services.core_value_delete(core_value=value)
    assert list(CoreValue.objects.values_list("pk", flat=True)) == [other.pk]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SHARPENING, Status.PUBLISHED, Status.RETIRED])
def test_core_value_delete_refuses_while_any_expectation_belongs_to_it(tenant_a, status):
    value = CoreValueFactory(organization=tenant_a.organization)
    ExpectationFactory(organization=tenant_a.organization, core_value=value, status=status)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.core_value_delete(core_value=value)
    assert excinfo.value.messages == ["Expectations belong to this core value; move or delete them first."]
    assert CoreValue.objects.filter(pk=value.pk).exists()


# strategic_goal_save / strategic_goal_delete


def test_strategic_goal_save_creates_and_changes_a_goal(tenant_a):
    goal = services.strategic_goal_save(
        organization=tenant_a.organization, title_nl=" Groeien ", meaning_nl="Twee nieuwe markten.", order=1
    )
    assert StrategicGoal.objects.get(pk=goal.pk).title_nl == "Groeien"
    services.strategic_goal_save(organization=tenant_a.organization, goal=goal, title_en="Grow", meaning_en="")
    goal = StrategicGoal.objects.get(pk=goal.pk)
    assert (goal.title_nl, goal.title_en, goal.meaning_nl, goal.order) == ("Groeien", "Grow", "Twee nieuwe markten.", 1)
    assert StrategicGoal.objects.count() == 1


def test_strategic_goal_save_needs_the_title_in_the_organisation_language(tenant_a):
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.strategic_goal_save(organization=tenant_a.organization, title_nl=" ", title_en="Grow")
    assert excinfo.value.message_dict == {"title_nl": ["Fill this in, in the organisation's language."]}
    assert not StrategicGoal.objects.exists()


def test_strategic_goal_delete_unlinks_the_versions_that_served_it(tenant_a):
    goal = StrategicGoalFactory(organization=tenant_a.organization)
    expectation = ExpectationFactory(organization=tenant_a.organization)
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(strategic_goal=goal)
    services.strategic_goal_delete(goal=goal)
    assert not StrategicGoal.objects.exists()
    assert ExpectationVersion.objects.get(pk=expectation.current_version_id).strategic_goal_id is None


# not_counted_save / not_counted_delete


def test_not_counted_save_creates_and_changes_a_line(tenant_a):
    item = services.not_counted_save(organization=tenant_a.organization, text_nl=" Overuren ", order=0)
    assert NotCounted.objects.get(pk=item.pk).text_nl == "Overuren"
    services.not_counted_save(organization=tenant_a.organization, item=item, text_nl="Overuren", text_en="Overtime")
    assert NotCounted.objects.get(pk=item.pk).text_en == "Overtime"
    assert NotCounted.objects.count() == 1


def test_not_counted_save_needs_the_text_in_the_organisation_language(tenant_a):
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.not_counted_save(organization=tenant_a.organization, text_nl="", text_en="Overtime")
    assert excinfo.value.message_dict == {"text_nl": ["Fill this in, in the organisation's language."]}
    assert not NotCounted.objects.exists()


def test_not_counted_delete_deletes_one_line(tenant_a):
    item, other = NotCountedFactory.create_batch(2, organization=tenant_a.organization)
    services.not_counted_delete(item=item)
    assert list(NotCounted.objects.values_list("pk", flat=True)) == [other.pk]


# organization_cap_set


@pytest.mark.parametrize("cap", [3, 7])
def test_organization_cap_set_takes_3_to_7(tenant_a, tenant_b, cap):
    services.organization_cap_set(organization=tenant_a.organization, cap=cap)
    assert tenant_a.organization.expectation_cap == cap
    assert Organization.objects.get(pk=tenant_a.organization.pk).expectation_cap == cap
    assert Organization.objects.get(pk=tenant_b.organization.pk).expectation_cap == 5


@pytest.mark.parametrize("cap", [2, 8, 0, -1])
def test_organization_cap_set_refuses_outside_3_to_7(tenant_a, cap):
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.organization_cap_set(organization=tenant_a.organization, cap=cap)
    assert excinfo.value.message_dict == {"cap": ["Choose a number from 3 to 7."]}
    assert Organization.objects.get(pk=tenant_a.organization.pk).expectation_cap == 5


def test_organization_cap_set_refuses_a_cap_below_what_is_published_naming_the_teams(tenant_a):
    for _ in range(4):
        ExpectationFactory(organization=tenant_a.organization)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.organization_cap_set(organization=tenant_a.organization, cap=3)
    assert excinfo.value.message_dict == {
        "cap": [
            "More than 3 published expectations already apply to people in: "
            "Klantenservice (2 people, 4 expectations); "
            "people without a team (2 people, 4 expectations). "
            "Retire expectations for them first, or keep a higher maximum."
        ]
    }
    assert Organization.objects.get(pk=tenant_a.organization.pk).expectation_cap == 5
    assert tenant_a.organization.expectation_cap == 5


def test_organization_cap_set_ignores_drafts_retired_expectations_and_teams_without_people(tenant_a):
    organization = tenant_a.organization
    empty = TeamFactory(organization=organization)
    for _ in range(4):
        ExpectationFactory(organization=organization, teams=[empty])
        ExpectationFactory(organization=organization, status=Status.DRAFT, published_at=None)
        ExpectationFactory(organization=organization, status=Status.RETIRED)
    services.organization_cap_set(organization=organization, cap=3)
    assert Organization.objects.get(pk=organization.pk).expectation_cap == 3


def test_organization_cap_set_counts_only_this_organisations_expectations(tenant_a, tenant_b):
    EmployeeFactory(organization=tenant_b.organization, team=tenant_b.team)
    for _ in range(4):
        ExpectationFactory(organization=tenant_b.organization)
    services.organization_cap_set(organization=tenant_a.organization, cap=3)
    assert Organization.objects.get(pk=tenant_a.organization.pk).expectation_cap == 3
