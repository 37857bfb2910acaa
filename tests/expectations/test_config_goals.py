"""HR's strategic goals: the list with its add form, editing one, deleting one (expectations keep their wording)."""

import pytest

from expectations.models import ExpectationVersion, StrategicGoal
from tests.factories import ExpectationFactory, StrategicGoalFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    rows_by_pk,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


def goal_list(tenant):
    return url("expectations:goal_list", tenant.organization)


def edit(goal):
    return url("expectations:goal_edit", goal.organization, goal_id=goal.pk)


def delete(goal):
    return url("expectations:goal_delete", goal.organization, goal_id=goal.pk)


GOOD = {
    "title_nl": " Klant centraal ",
    "title_en": "Customer first",
    "meaning_nl": "Komend jaar halveren we de wachttijd aan de telefoon.",
    "meaning_en": "Next year we halve the waiting time on the phone.",
    "order": "2",
}


@pytest.fixture
def goal(tenant_a):
    return StrategicGoalFactory(organization=tenant_a.organization, title_nl="Groeien", title_en="Grow", order=1)


# Who may use the pages


def every_request(tenant, goal):
    """Each page with each method it takes: (address, method, data)."""
    return [
        (goal_list(tenant), "get", None),
        (goal_list(tenant), "post", GOOD),
        (edit(goal), "get", None),
        (edit(goal), "post", GOOD),
        (delete(goal), "post", None),
    ]


def test_a_member_of_another_organisation_gets_404_on_every_page(client, stranger, tenant_a, goal):
    for address, method, data in every_request(tenant_a, goal):
        assert_other_organisation_gets_404(client, stranger, address, method, data)


@pytest.mark.parametrize("goal_id", ["theirs", "abc", "0", "9" * 30])
def test_another_organisations_goal_or_a_malformed_id_is_404(tenant_a, tenant_b, hr, goal, goal_id):
    if goal_id == "theirs":
        goal_id = StrategicGoalFactory(organization=tenant_b.organization).pk
    with assert_nothing_changes():
        assert hr.get(url("expectations:goal_edit", tenant_a.organization, goal_id=goal_id)).status_code == 404
        assert hr.post(url("expectations:goal_edit", tenant_a.organization, goal_id=goal_id), GOOD).status_code == 404
        assert hr.post(url("expectations:goal_delete", tenant_a.organization, goal_id=goal_id)).status_code == 404


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_403_on_every_page(client, tenant_a, goal, role):
    for address, method, data in every_request(tenant_a, goal):
        assert_role_forbidden(client, tenant_a.member(role), address, method, data)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_list_and_edit_pages_take_only_get_and_post(tenant_a, hr, goal, method):
    assert_method_not_allowed(hr, goal_list(tenant_a), method)
    assert_method_not_allowed(hr, edit(goal), method)


@pytest.mark.parametrize("method", ["get", "put"])
def test_deleting_takes_only_post(tenant_a, hr, goal, method):
    assert_method_not_allowed(hr, delete(goal), method)


# The list


def test_hr_sees_the_goals_in_order_with_both_titles_and_their_meaning(tenant_a, tenant_b, hr):
    second = StrategicGoalFactory(organization=tenant_a.organization, title_nl="Groeien", title_en="Grow", order=2)
    first = StrategicGoalFactory(
        organization=tenant_a.organization,
        title_nl="Klant centraal",
        title_en="",
        meaning_nl="Wachttijd halveren.",
        meaning_en="Halve the waiting time.",
        order=1,
    )
    StrategicGoalFactory(organization=tenant_b.organization, title_nl="Van Bravo")

    response = hr.get(goal_list(tenant_a))

    assert response.status_code == 200
    assert [row.pk for row in response.context["rows"]] == [first.pk, second.pk]
    page = response.content.decode()
    assert "Klant centraal" in page and "Groeien" in page and "Grow" in page
    assert "Halve the waiting time." in page and "Wachttijd halveren." not in page
    assert "Van Bravo" not in page
    assert edit(first) in page and edit(second) in page
    assert page.count("<h1>") == 1
    assert "Title (Dutch)" in page and "Title (English)" in page


def test_hr_adds_a_goal(tenant_a, hr, goal):
    before = rows_by_pk(StrategicGoal)
    response = hr.post(goal_list(tenant_a), GOOD)
    assert response.status_code == 302
    assert response["Location"] == goal_list(tenant_a)
    after = rows_by_pk(StrategicGoal)
    assert {pk: row for pk, row in after.items() if pk in before} == before
    new = [row for pk, row in after.items() if pk not in before]
    assert [{key: value for key, value in row.items() if key != "id"} for row in new] == [
        {
            "organization": tenant_a.organization.pk,
            "title_nl": "Klant centraal",
            "title_en": "Customer first",
            "meaning_nl": "Komend jaar halveren we de wachttijd aan de telefoon.",
            "meaning_en": "Next year we halve the waiting time on the phone.",
            "order": 2,
        }
    ]
    assert shown_messages(hr.get(goal_list(tenant_a))) == ["The strategic goal Customer first has been added."]


def test_the_meaning_is_optional_in_both_languages(tenant_a, hr):
    response = hr.post(goal_list(tenant_a), {**GOOD, "meaning_nl": "", "meaning_en": ""})
    assert response.status_code == 302
    goal = StrategicGoal.objects.get(organization=tenant_a.organization)
    assert (goal.title_nl, goal.meaning_nl, goal.meaning_en) == ("Klant centraal", "", "")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title_nl": ""}, "title_nl", "Fill this in, in the organisation's language."),
        ({"title_nl": "  "}, "title_nl", "Fill this in, in the organisation's language."),
        ({"order": "-1"}, "order", "Enter a whole number from 0 to 999."),
        ({"order": "abc"}, "order", "Enter a whole number from 0 to 999."),
        ({"title_en": "x" * 121}, "title_en", "Ensure this value has at most 120 characters (it has 121)."),
        ({"meaning_nl": "x" * 1001}, "meaning_nl", "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(tenant_a, hr, goal, change, field, message):
    for path in (goal_list(tenant_a), edit(goal)):
        with assert_nothing_changes():
            response = hr.post(path, {**GOOD, **change})
        assert response.status_code == 200
        assert field_error(response, field) == message


def test_the_list_reads_the_same_number_of_queries_for_2_and_40_goals(tenant_a, hr):
    response = assert_flat_queries(
        lambda: hr.get(goal_list(tenant_a)),
        lambda numbers: StrategicGoalFactory.create_batch(len(numbers), organization=tenant_a.organization),
    )
    assert len(response.context["rows"]) == 40


# Editing and deleting


def test_the_edit_page_shows_the_goal_as_it_is(tenant_a, hr, goal):
    response = hr.get(edit(goal))
    assert response.status_code == 200
    assert response.context["form"]["title_nl"].value() == "Groeien"
    assert response.context["form"]["order"].value() == 1
    assert delete(goal) in response.content.decode()


def test_hr_changes_a_goal_and_nothing_else(tenant_a, hr, goal):
    other = StrategicGoalFactory(organization=tenant_a.organization)
    before = rows_by_pk(StrategicGoal)
    response = hr.post(edit(goal), GOOD)
    assert response.status_code == 302
    after = rows_by_pk(StrategicGoal)
    assert after[other.pk] == before[other.pk]
    assert after[goal.pk] == {
        **before[goal.pk],
        "title_nl": "Klant centraal",
        "title_en": "Customer first",
        "meaning_nl": "Komend jaar halveren we de wachttijd aan de telefoon.",
        "meaning_en": "Next year we halve the waiting time on the phone.",
        "order": 2,
    }


def test_hr_deletes_a_goal_and_the_expectation_that_served_it_keeps_its_wording(tenant_a, hr, goal):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(strategic_goal=goal)
    other = StrategicGoalFactory(organization=tenant_a.organization)
    response = hr.post(delete(goal))
    assert response.status_code == 302
    assert response["Location"] == goal_list(tenant_a)
    assert list(rows_by_pk(StrategicGoal)) == [other.pk]
    version = ExpectationVersion.objects.get(pk=expectation.current_version_id)
    assert version.strategic_goal_id is None
    assert version.title_nl == expectation.current_version.title_nl
    assert shown_messages(hr.get(goal_list(tenant_a))) == ["The strategic goal Grow has been deleted."]
