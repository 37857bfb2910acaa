"""HR's strategic goals: the list with its add form, editing one, deleting one (expectations keep their wording)."""

import html
import re

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expectations.models import ExpectationVersion, StrategicGoal
from tests.factories import ExpectationFactory, StrategicGoalFactory

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"expectations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def field_error(response, field):
    """The error text shown at ``field`` (inside its errorlist), or None."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)).strip()) if match else None


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def snapshot():
    """Every strategic goal of every organisation: what "nothing saved" compares."""
    return {row.pk: model_to_dict(row) for row in StrategicGoal.objects.all()}


def goal_list(tenant):
    return url("goal_list", tenant.organization)


def edit(goal):
    return url("goal_edit", goal.organization, goal_id=goal.pk)


def delete(goal):
    return url("goal_delete", goal.organization, goal_id=goal.pk)


GOOD = {
    "title_nl": " Klant centraal ",
    "title_en": "Customer first",
    "meaning_nl": "Komend jaar halveren we de wachttijd aan de telefoon.",
    "meaning_en": "Next year we halve the waiting time on the phone.",
    "order": "2",
}


@pytest.fixture
def hr(tenant_a, login):
    in_english(tenant_a.hr)
    return login(tenant_a.hr)


@pytest.fixture
def goal(tenant_a):
    return StrategicGoalFactory(organization=tenant_a.organization, title_nl="Groeien", title_en="Grow", order=1)


# Who may use the pages


def test_a_member_of_another_organisation_gets_404_on_every_page(tenant_a, tenant_b, login, goal):
    client = login(tenant_b.hr)
    before = snapshot()
    assert client.get(goal_list(tenant_a)).status_code == 404
    assert client.post(goal_list(tenant_a), GOOD).status_code == 404
    assert client.get(edit(goal)).status_code == 404
    assert client.post(edit(goal), GOOD).status_code == 404
    assert client.post(delete(goal)).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("goal_id", ["theirs", "abc", "0", "9" * 30])
def test_another_organisations_goal_or_a_malformed_id_is_404(tenant_a, tenant_b, hr, goal, goal_id):
    if goal_id == "theirs":
        goal_id = StrategicGoalFactory(organization=tenant_b.organization).pk
    before = snapshot()
    assert hr.get(url("goal_edit", tenant_a.organization, goal_id=goal_id)).status_code == 404
    assert hr.post(url("goal_edit", tenant_a.organization, goal_id=goal_id), GOOD).status_code == 404
    assert hr.post(url("goal_delete", tenant_a.organization, goal_id=goal_id)).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_403_on_every_page(tenant_a, login, goal, role):
    client = login(tenant_a.member(role))
    before = snapshot()
    assert client.get(goal_list(tenant_a)).status_code == 403
    assert client.post(goal_list(tenant_a), GOOD).status_code == 403
    assert client.get(edit(goal)).status_code == 403
    assert client.post(edit(goal), GOOD).status_code == 403
    assert client.post(delete(goal)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_list_and_edit_pages_take_only_get_and_post(tenant_a, hr, goal, method):
    assert getattr(hr, method)(goal_list(tenant_a)).status_code == 405
    assert getattr(hr, method)(edit(goal)).status_code == 405


@pytest.mark.parametrize("method", ["get", "put"])
def test_deleting_takes_only_post(tenant_a, hr, goal, method):
    assert getattr(hr, method)(delete(goal)).status_code == 405
    assert StrategicGoal.objects.filter(pk=goal.pk).exists()


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
    before = snapshot()
    response = hr.post(goal_list(tenant_a), GOOD)
    assert response.status_code == 302
    assert response["Location"] == goal_list(tenant_a)
    after = snapshot()
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
    assert messages_of(hr.get(goal_list(tenant_a))) == ["The strategic goal Customer first has been added."]


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
    before = snapshot()
    for path in (goal_list(tenant_a), edit(goal)):
        response = hr.post(path, {**GOOD, **change})
        assert response.status_code == 200
        assert field_error(response, field) == message
        assert snapshot() == before


def test_the_list_reads_the_same_number_of_queries_for_2_and_40_goals(tenant_a, hr):
    StrategicGoalFactory.create_batch(2, organization=tenant_a.organization)
    few = queries(hr, goal_list(tenant_a))
    StrategicGoalFactory.create_batch(38, organization=tenant_a.organization)
    many = queries(hr, goal_list(tenant_a))
    assert len(hr.get(goal_list(tenant_a)).context["rows"]) == 40
    assert_flat(few, many)


def queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), [query["sql"] for query in captured]


def assert_flat(small, large):
    (few, _few_sql), (many, many_sql) = small, large
    assert few == many, f"{few} queries with few rows, {many} with many:\n" + "\n".join(many_sql)


# Editing and deleting


def test_the_edit_page_shows_the_goal_as_it_is(tenant_a, hr, goal):
    response = hr.get(edit(goal))
    assert response.status_code == 200
    assert response.context["form"]["title_nl"].value() == "Groeien"
    assert response.context["form"]["order"].value() == 1
    assert delete(goal) in response.content.decode()


def test_hr_changes_a_goal_and_nothing_else(tenant_a, hr, goal):
    other = StrategicGoalFactory(organization=tenant_a.organization)
    before = snapshot()
    response = hr.post(edit(goal), GOOD)
    assert response.status_code == 302
    after = snapshot()
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
    assert list(snapshot()) == [other.pk]
    version = ExpectationVersion.objects.get(pk=expectation.current_version_id)
    assert version.strategic_goal_id is None
    assert version.title_nl == expectation.current_version.title_nl
    assert messages_of(hr.get(goal_list(tenant_a))) == ["The strategic goal Grow has been deleted."]
