"""Writing a new expectation: HR for any audience, a manager for their own team; bad input saves nothing."""

import re

import pytest

from expectations.models import Expectation, ExpectationVersion, Status, example_lines
from tests.factories import CoreValueFactory, EmployeeFactory, ExpectationFactory, StrategicGoalFactory, TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    nonfield_errors,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def value(tenant_a):
    return CoreValueFactory(organization=tenant_a.organization, name_nl="Samen", name_en="Together")


def form_data(value, /, **changes):
    data = {
        "core_value": value.pk,
        "strategic_goal": "",
        "title_nl": "Feedback vragen",
        "title_en": "Asking for feedback",
        "behaviour_nl": "Je vraagt binnen een week na oplevering feedback aan de klant.",
        "behaviour_en": "You ask the customer for feedback within a week of delivery.",
        "examples_yes_nl": "Je belt de klant op vrijdag.\n- Je mailt de ontvanger na vijf dagen.",
        "examples_yes_en": "You call the customer on Friday.",
        "examples_not_yet_nl": "Je wacht tot de klant klaagt.",
        "examples_not_yet_en": "",
        "weight": "25",
        "audience": "everyone",
    }
    data.update(changes)
    return data


def create(tenant):
    return url("expectations:create", tenant.organization)


def test_a_member_of_another_organisation_gets_404(client, stranger, tenant_a, value):
    assert_other_organisation_gets_404(client, stranger, create(tenant_a))
    assert_other_organisation_gets_404(client, stranger, create(tenant_a), "post", form_data(value))


def test_an_employee_gets_403(client, tenant_a, value):
    assert_role_forbidden(client, tenant_a.employee, create(tenant_a))
    assert_role_forbidden(client, tenant_a.employee, create(tenant_a), "post", form_data(value))


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_get_405(tenant_a, hr, method):
    assert_method_not_allowed(hr, create(tenant_a), method)


def test_hr_gets_a_bilingual_form_with_the_audience_and_the_coach_wired_in(tenant_a, tenant_b, hr, value):
    CoreValueFactory(organization=tenant_b.organization, name_en="Not ours")
    TeamFactory(organization=tenant_b.organization, name="Not our team")
    response = hr.get(create(tenant_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1>") == 1
    assert "Short title (Dutch)" in page and "Short title (English)" in page
    assert "Observable behaviour (Dutch)" in page and "“not yet” examples (English)" in page
    assert "The whole organisation" in page and "Klantenservice" in page
    assert "Not ours" not in page and "Not our team" not in page
    assert response.context["form"]["weight"].value() == 20
    coach = url("expectations:coach", tenant_a.organization)
    assert page.count(f'hx-post="{coach}"') == 8
    assert 'hx-trigger="input changed delay:600ms"' in page
    assert 'hx-target="#coach-behaviour_nl"' in page
    assert 'id="coach-behaviour_nl" class="coach" aria-live="polite"' in page
    assert '<form class="card" method="post"' in page  # works without JavaScript


def test_hr_writes_a_draft_for_chosen_teams(tenant_a, hr, value):
    ontwikkeling = TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    goal = StrategicGoalFactory(organization=tenant_a.organization)
    response = hr.post(
        create(tenant_a),
        form_data(value, audience="teams", teams=[tenant_a.team.pk, ontwikkeling.pk], strategic_goal=goal.pk),
    )
    expectation = Expectation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("expectations:detail", tenant_a.organization, expectation_id=expectation.pk)
    assert (expectation.status, expectation.for_everyone, expectation.proposed_by) == (Status.DRAFT, False, None)
    assert expectation.core_value == value
    assert set(expectation.teams.all()) == {tenant_a.team, ontwikkeling}
    version = expectation.current_version
    assert (version.number, version.weight, version.strategic_goal, version.created_by) == (1, 25, goal, tenant_a.hr)
    assert version.title_nl == "Feedback vragen"
    assert version.examples_yes_nl == "Je belt de klant op vrijdag.\n- Je mailt de ontvanger na vijf dagen."
    assert example_lines(version.examples_yes_nl) == [
        "Je belt de klant op vrijdag.",
        "Je mailt de ontvanger na vijf dagen.",
    ]
    assert version.published_at is None
    assert ExpectationVersion.objects.count() == 1


def test_hr_writes_a_draft_for_the_whole_organisation_and_stray_teams_are_ignored(tenant_a, hr, value):
    hr.post(create(tenant_a), form_data(value, audience="everyone", teams=[tenant_a.team.pk]))
    expectation = Expectation.objects.get()
    assert expectation.for_everyone is True
    assert list(expectation.teams.all()) == []


def test_a_manager_proposes_for_their_own_team_and_is_not_offered_an_audience(tenant_a, manager, value):
    page = manager.get(create(tenant_a)).content.decode()
    assert "Propose an expectation" in page
    assert "Your team: Klantenservice." in page
    assert 'name="audience"' not in page and 'name="teams"' not in page
    other = TeamFactory(organization=tenant_a.organization)
    response = manager.post(create(tenant_a), form_data(value, audience="everyone", teams=[other.pk]))
    assert response.status_code == 302
    expectation = Expectation.objects.get()
    assert (expectation.status, expectation.for_everyone, expectation.proposed_by) == (
        Status.DRAFT,
        False,
        tenant_a.manager,
    )
    assert list(expectation.teams.all()) == [tenant_a.team]


# A manager's proposal at the cap is saved as a draft (only publishing is limited): see test_cap_next_step.py.


def test_a_manager_without_a_team_is_told_so_and_nothing_is_saved(tenant_a, value):
    lone = client_for(EmployeeFactory(organization=tenant_a.organization, role="manager"))
    response = lone.post(create(tenant_a), form_data(value))
    assert response.status_code == 200
    assert nonfield_errors(response) == ["You are not in a team, so you cannot propose an expectation for your team."]
    assert not Expectation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight": "150"}, "weight", "Ensure this value is less than or equal to 100."),
        ({"weight": "-1"}, "weight", "Ensure this value is greater than or equal to 0."),
        ({"weight": "abc"}, "weight", "Enter a whole number."),
        ({"weight": ""}, "weight", "This field is required."),
        ({"title_nl": "  "}, "title_nl", "Fill this in, in the organisation's language."),
        ({"title_nl": "x" * 121}, "title_nl", "Ensure this value has at most 120 characters (it has 121)."),
        ({"behaviour_en": "x" * 1001}, "behaviour_en", "Ensure this value has at most 1000 characters (it has 1001)."),
        (
            {"examples_yes_nl": "x" * 2001},
            "examples_yes_nl",
            "Ensure this value has at most 2000 characters (it has 2001).",
        ),  # noqa: E501
        ({"core_value": ""}, "core_value", "This field is required."),
        (
            {"core_value": "abc"},
            "core_value",
            "Select a valid choice. That choice is not one of the available choices.",
        ),  # noqa: E501
        (
            {"core_value": "99999999999999999999999"},
            "core_value",
            "Select a valid choice. That choice is not one of the available choices.",
        ),  # noqa: E501
        (
            {"strategic_goal": "abc"},
            "strategic_goal",
            "Select a valid choice. That choice is not one of the available choices.",
        ),  # noqa: E501
        ({"audience": "nobody"}, "audience", "Select a valid choice. nobody is not one of the available choices."),
        ({"audience": "teams"}, "teams", "Choose at least one team, or the whole organisation."),
        ({"audience": "teams", "teams": ["abc"]}, "teams", "“abc” is not a valid value."),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(tenant_a, hr, value, changes, field, message):
    ExpectationFactory(organization=tenant_a.organization)
    with assert_nothing_changes():
        response = hr.post(create(tenant_a), form_data(value, **changes))
    assert response.status_code == 200
    assert field_error(response, field) == message


def test_ids_of_another_organisation_in_a_tampered_post_are_refused(tenant_a, tenant_b, hr, value):
    foreign_value = CoreValueFactory(organization=tenant_b.organization)
    foreign_goal = StrategicGoalFactory(organization=tenant_b.organization)
    with assert_nothing_changes():
        response = hr.post(
            create(tenant_a),
            form_data(
                value,
                core_value=foreign_value.pk,
                strategic_goal=foreign_goal.pk,
                audience="teams",
                teams=[tenant_a.team.pk, tenant_b.team.pk],
            ),
        )
    assert response.status_code == 200
    invalid = "Select a valid choice. That choice is not one of the available choices."
    assert field_error(response, "core_value") == invalid
    assert field_error(response, "strategic_goal") == invalid
    assert field_error(response, "teams") == (
        f"Select a valid choice. {tenant_b.team.pk} is not one of the available choices."
    )


def test_the_coach_warns_but_does_not_block_saving_and_the_detail_page_shows_its_findings(
    tenant_a, hr, value, fake_coach
):
    response = hr.post(
        create(tenant_a), form_data(value, behaviour_en="You are proactive with customers."), follow=True
    )
    assert Expectation.objects.count() == 1
    page = response.content.decode()
    assert "The language coach has remarks on the wording" in page
    assert "“proactive” is a container word." in page
    assert "Say what you would see." in page


def test_a_save_with_errors_shows_the_coach_beside_the_field(tenant_a, hr, value, fake_coach):
    response = hr.post(create(tenant_a), form_data(value, weight="abc", behaviour_nl="Je bent proactief."))
    page = response.content.decode()
    box = re.search(r'<div id="coach-behaviour_nl"[^>]*>(.*?)</div>\s*</div>', page, re.S).group(1)
    assert "“proactief” is a container word." in box
    assert not Expectation.objects.exists()


def test_without_core_values_hr_is_pointed_to_them(tenant_a, hr):
    page = hr.get(create(tenant_a)).content.decode()
    assert "There are no core values yet; an expectation belongs to one." in page
    assert url("expectations:value_list", tenant_a.organization) in page


def test_the_form_makes_as_many_queries_for_40_teams_core_values_and_goals_as_for_2(tenant_a, hr):
    organization = tenant_a.organization
    expectation = ExpectationFactory(organization=organization, teams=[tenant_a.team])
    edit = url("expectations:edit", organization, expectation_id=expectation.pk)

    def add(numbers):
        """Goals, teams and core values; number 0 is Alfa's own team and the expectation's core value."""
        for number in numbers:
            StrategicGoalFactory(organization=organization)
            if number:
                TeamFactory(organization=organization)
                CoreValueFactory(organization=organization)

    def both_forms():
        responses = hr.get(create(tenant_a)), hr.get(edit)
        assert [response.status_code for response in responses] == [200, 200]
        return responses

    for form in assert_flat_queries(both_forms, add):
        fields = form.context["form"].fields
        assert [len(fields[name].queryset) for name in ("teams", "core_value", "strategic_goal")] == [40, 40, 40]
