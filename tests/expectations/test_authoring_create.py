"""Writing a new expectation: HR for any audience, a manager for their own team; bad input saves nothing."""

import html
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expectations import views_authoring
from expectations.models import Endorsement, Expectation, ExpectationVersion, Status, Suggestion, example_lines
from tests.factories import CoreValueFactory, EmployeeFactory, ExpectationFactory, StrategicGoalFactory, TeamFactory

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


def nonfield_errors(response):
    match = re.search(r'<ul class="errorlist nonfield"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()) if match else None


def snapshot():
    """Every expectation row, with its teams, and everything hanging off it: what "nothing saved" compares."""
    return (
        {row.pk: {**model_to_dict(row), "teams": sorted(t.pk for t in row.teams.all())} for row in Expectation.objects.all()},  # noqa: E501
        {row.pk: model_to_dict(row) for row in ExpectationVersion.objects.all()},
        {row.pk: model_to_dict(row) for row in Suggestion.objects.all()},
        {row.pk: model_to_dict(row) for row in Endorsement.objects.all()},
    )


@dataclass(frozen=True)
class Finding:
    kind: str
    words: tuple
    start: int
    end: int
    reason: str
    hint: str


def fake_coach(text, language, *, purpose="expectation"):
    """Flags "proactive" / "proactief" wherever it appears, like the real coach flags container words."""
    word = "proactief" if language == "nl" else "proactive"
    start = text.lower().find(word)
    if start < 0:
        return []
    return [Finding("container", (word,), start, start + len(word), f"“{word}” is a container word.", "Say what you would see.")]  # noqa: E501


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
    return url("create", tenant.organization)


@pytest.fixture
def hr(tenant_a, login):
    in_english(tenant_a.hr)
    return login(tenant_a.hr)


def test_a_member_of_another_organisation_gets_404(tenant_a, tenant_b, login, value):
    before = snapshot()
    client = login(tenant_b.hr)
    assert client.get(create(tenant_a)).status_code == 404
    assert client.post(create(tenant_a), form_data(value)).status_code == 404
    assert snapshot() == before


def test_an_employee_gets_403(tenant_a, login, value):
    client = login(tenant_a.employee)
    assert client.get(create(tenant_a)).status_code == 403
    assert client.post(create(tenant_a), form_data(value)).status_code == 403
    assert not Expectation.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_get_405(tenant_a, hr, method):
    assert getattr(hr, method)(create(tenant_a)).status_code == 405


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
    coach = url("coach", tenant_a.organization)
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
    assert response["Location"] == url("detail", tenant_a.organization, expectation_id=expectation.pk)
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


def test_a_manager_proposes_for_their_own_team_and_is_not_offered_an_audience(tenant_a, login, value):
    in_english(tenant_a.manager)
    client = login(tenant_a.manager)
    page = client.get(create(tenant_a)).content.decode()
    assert "Propose an expectation" in page
    assert "Your team: Klantenservice." in page
    assert 'name="audience"' not in page and 'name="teams"' not in page
    other = TeamFactory(organization=tenant_a.organization)
    response = client.post(create(tenant_a), form_data(value, audience="everyone", teams=[other.pk]))
    assert response.status_code == 302
    expectation = Expectation.objects.get()
    assert (expectation.status, expectation.for_everyone, expectation.proposed_by) == (
        Status.DRAFT,
        False,
        tenant_a.manager,
    )
    assert list(expectation.teams.all()) == [tenant_a.team]


def test_a_managers_proposal_is_refused_when_their_team_is_at_the_cap(tenant_a, login, value):
    in_english(tenant_a.manager)
    for _ in range(5):
        ExpectationFactory(organization=tenant_a.organization, teams=[tenant_a.team])
    before = snapshot()
    response = login(tenant_a.manager).post(create(tenant_a), form_data(value))
    assert response.status_code == 200
    assert nonfield_errors(response) == "Your team already has 5 published expectations, the most allowed."
    assert snapshot() == before


def test_a_manager_without_a_team_is_told_so_and_nothing_is_saved(tenant_a, login, value):
    lone = EmployeeFactory(organization=tenant_a.organization, role="manager")
    in_english(lone)
    response = login(lone).post(create(tenant_a), form_data(value))
    assert response.status_code == 200
    assert nonfield_errors(response) == "You are not in a team, so you cannot propose an expectation for your team."
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
        ({"examples_yes_nl": "x" * 2001}, "examples_yes_nl", "Ensure this value has at most 2000 characters (it has 2001)."),  # noqa: E501
        ({"core_value": ""}, "core_value", "This field is required."),
        ({"core_value": "abc"}, "core_value", "Select a valid choice. That choice is not one of the available choices."),  # noqa: E501
        ({"core_value": "99999999999999999999999"}, "core_value", "Select a valid choice. That choice is not one of the available choices."),  # noqa: E501
        ({"strategic_goal": "abc"}, "strategic_goal", "Select a valid choice. That choice is not one of the available choices."),  # noqa: E501
        ({"audience": "nobody"}, "audience", "Select a valid choice. nobody is not one of the available choices."),
        ({"audience": "teams"}, "teams", "Choose at least one team, or the whole organisation."),
        ({"audience": "teams", "teams": ["abc"]}, "teams", "“abc” is not a valid value."),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(tenant_a, hr, value, changes, field, message):
    ExpectationFactory(organization=tenant_a.organization)
    before = snapshot()
    response = hr.post(create(tenant_a), form_data(value, **changes))
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert snapshot() == before


def test_ids_of_another_organisation_in_a_tampered_post_are_refused(tenant_a, tenant_b, hr, value):
    foreign_value = CoreValueFactory(organization=tenant_b.organization)
    foreign_goal = StrategicGoalFactory(organization=tenant_b.organization)
    before = snapshot()
    response = hr.post(
        create(tenant_a),
        form_data(
            value, core_value=foreign_value.pk, strategic_goal=foreign_goal.pk, audience="teams",
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
    assert snapshot() == before


def test_the_coach_warns_but_does_not_block_saving_and_the_detail_page_shows_its_findings(
    tenant_a, hr, value, monkeypatch
):
    monkeypatch.setattr(views_authoring, "run_coach", fake_coach)
    response = hr.post(
        create(tenant_a), form_data(value, behaviour_en="You are proactive with customers."), follow=True
    )
    assert Expectation.objects.count() == 1
    page = response.content.decode()
    assert "The language coach has remarks on the wording" in page
    assert "“proactive” is a container word." in page
    assert "Say what you would see." in page


def test_a_save_with_errors_shows_the_coach_beside_the_field(tenant_a, hr, value, monkeypatch):
    monkeypatch.setattr(views_authoring, "run_coach", fake_coach)
    response = hr.post(create(tenant_a), form_data(value, weight="abc", behaviour_nl="Je bent proactief."))
    page = response.content.decode()
    box = re.search(r'<div id="coach-behaviour_nl"[^>]*>(.*?)</div>\s*</div>', page, re.S).group(1)
    assert "“proactief” is a container word." in box
    assert not Expectation.objects.exists()


def test_without_core_values_hr_is_pointed_to_them(tenant_a, hr):
    page = hr.get(create(tenant_a)).content.decode()
    assert "There are no core values yet; an expectation belongs to one." in page
    assert url("value_list", tenant_a.organization) in page


def test_the_form_makes_as_many_queries_for_40_teams_core_values_and_goals_as_for_2(tenant_a, hr):
    def add(count):
        for _ in range(count):
            TeamFactory(organization=tenant_a.organization)
            CoreValueFactory(organization=tenant_a.organization)
            StrategicGoalFactory(organization=tenant_a.organization)

    def queries(path):
        hr.get(path)
        with CaptureQueriesContext(connection) as captured:
            assert hr.get(path).status_code == 200
        return len(captured)

    add(1)  # with the tenant's own team: 2 teams
    expectation = ExpectationFactory(organization=tenant_a.organization, teams=[tenant_a.team])
    edit = url("edit", tenant_a.organization, expectation_id=expectation.pk)
    small = queries(create(tenant_a)), queries(edit)
    add(38)
    assert (queries(create(tenant_a)), queries(edit)) == small
