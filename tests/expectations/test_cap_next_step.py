"""Only publishing is limited by the cap: a manager whose team is at the cap still saves a draft, and when the cap
keeps an expectation from being published its page says what to do next.

HR: retire one of the published expectations that apply (each linked, with how), narrow the audience, or raise the
maximum (linked to the setting). The proposing manager: the draft is saved; ask HR to retire one or raise the cap.
"""

import html

import pytest

from expectations.models import Expectation, ExpectationVersion, Status
from organizations.models import Organization
from tests.factories import CoreValueFactory, EmployeeFactory, ExpectationFactory, TeamFactory, draft_expectation
from tests.kit import (
    assert_flat_queries,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

NEXT_STEP = "Before this can be published"


def detail(expectation):
    return url("expectations:detail", expectation.organization, expectation_id=expectation.pk)


def publish(expectation):
    return url("expectations:publish", expectation.organization, expectation_id=expectation.pk)


def settings_url(tenant):
    return url("expectations:settings", tenant.organization)


def page(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def full_team(tenant_a):
    """Klantenservice (Mark's team: Mark and Eva) with five published expectations for the team: the cap."""
    return [
        ExpectationFactory(organization=tenant_a.organization, teams=[tenant_a.team], title=f"Teamgedrag {n}")
        for n in range(1, 6)
    ]


def form_data(value, **changes):
    return {
        "core_value": value.pk,
        "strategic_goal": "",
        "title_nl": "Klantvragen afronden",
        "title_en": "Closing customer questions",
        "behaviour_nl": "Je beantwoordt een klantvraag binnen twee werkdagen, of zet hem door.",
        "behaviour_en": "",
        "examples_yes_nl": "Je belt mevrouw Hoekstra op woensdag terug.",
        "examples_yes_en": "",
        "examples_not_yet_nl": "Een vraag blijft een week liggen.",
        "examples_not_yet_en": "",
        "weight": "20",
        "audience": "everyone",
        **changes,
    }


# A manager at the cap


def test_a_manager_whose_team_is_at_the_cap_saves_a_draft(tenant_a, manager, full_team):
    value = CoreValueFactory(organization=tenant_a.organization)
    response = manager.post(url("expectations:create", tenant_a.organization), form_data(value), follow=True)
    draft = Expectation.objects.get(status=Status.DRAFT)
    assert response.redirect_chain == [(detail(draft), 302)]
    assert shown_messages(response) == ["The expectation has been saved as a draft."]
    assert (draft.proposed_by, draft.for_everyone, list(draft.teams.all())) == (
        tenant_a.manager,
        False,
        [tenant_a.team],
    )
    assert draft.current_version.title_nl == "Klantvragen afronden"
    assert Expectation.objects.count() == 6 and ExpectationVersion.objects.count() == 6
    assert Expectation.objects.filter(status=Status.PUBLISHED).count() == 5, "nothing else moved"


def test_the_manager_reads_that_the_draft_is_saved_and_to_ask_hr(tenant_a, manager, full_team):
    draft = draft_expectation(tenant_a.organization, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    text = page(manager.get(detail(draft)))
    assert NEXT_STEP in text
    assert "Klantenservice (2 people, would have 6)" in text
    assert "Your draft is saved: only publishing is limited." in text and "Ask HR which it will be." in text
    assert all(f"Teamgedrag {n}" in text for n in range(1, 6))
    # Pages the manager may not open are not offered: the published expectations' own pages and the setting.
    assert settings_url(tenant_a) not in text
    assert all(detail(row) not in text for row in full_team)
    assert url("expectations:index", tenant_a.organization) + "#team-expectations" in text


def test_a_manager_at_the_cap_still_edits_their_draft(tenant_a, manager, full_team):
    draft = draft_expectation(tenant_a.organization, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    edit = url("expectations:edit", tenant_a.organization, expectation_id=draft.pk)
    response = manager.post(edit, form_data(draft.core_value, title_nl="Klantvragen sneller afronden"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.current_version.title_nl) == (Status.DRAFT, "Klantvragen sneller afronden")


def test_the_managers_overview_says_the_team_is_at_the_maximum_and_a_draft_is_still_possible(
    tenant_a, manager, full_team
):
    text = page(manager.get(url("expectations:index", tenant_a.organization)))
    assert "Klantenservice has 5 of at most 5 published expectations." in text
    assert "Your team is at the maximum. You can still propose a draft" in text


def test_a_manager_with_room_reads_nothing_about_the_maximum(tenant_a, manager):
    ExpectationFactory(organization=tenant_a.organization, teams=[tenant_a.team])
    draft = draft_expectation(tenant_a.organization, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    assert NEXT_STEP not in page(manager.get(detail(draft)))
    assert "Your team is at the maximum" not in page(manager.get(url("expectations:index", tenant_a.organization)))


# HR publishing at the cap


def test_publishing_at_the_cap_is_refused_and_lands_where_the_page_says_what_to_do(tenant_a, hr, full_team):
    draft = draft_expectation(tenant_a.organization, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    with assert_nothing_changes():
        response = hr.post(publish(draft), follow=True)
    assert response.redirect_chain == [(detail(draft) + "#cap-next-step", 302)]
    assert shown_messages(response) == [
        "This would give more than 5 expectations to people in: Klantenservice (2 people, would have 6). "
        "Retire an expectation for them first, narrow the audience, or raise the maximum."
    ]
    text = page(response)
    assert 'id="cap-next-step"' in text and NEXT_STEP in text
    assert "open it and press “Retire”" in text
    assert all(f'href="{detail(row)}"' in text for row in full_team), "each one to retire, linked"
    assert f'href="{settings_url(tenant_a)}"' in text and "Or raise the maximum (now 5, at most 7):" in text
    assert url("expectations:edit", tenant_a.organization, expectation_id=draft.pk) in text


def test_only_the_expectations_that_apply_to_the_people_over_the_cap_are_listed(tenant_a, hr, full_team):
    elsewhere = TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    EmployeeFactory(organization=tenant_a.organization, team=elsewhere)
    other_team = ExpectationFactory(organization=tenant_a.organization, teams=[elsewhere], title="Alleen Ontwikkeling")
    everyone = ExpectationFactory(organization=tenant_a.organization, title="Voor iedereen")
    Expectation.objects.filter(pk=full_team[0].pk).update(status=Status.RETIRED)  # four for the team, one for all
    draft = draft_expectation(tenant_a.organization, teams=[tenant_a.team])
    text = page(hr.get(detail(draft)))
    assert f'href="{detail(everyone)}"' in text
    assert detail(other_team) not in text and detail(full_team[0]) not in text
    assert "Ontwikkeling (" not in text


def test_retiring_one_of_the_listed_makes_room_and_the_draft_publishes(tenant_a, hr, full_team):
    draft = draft_expectation(tenant_a.organization, teams=[tenant_a.team])
    hr.post(url("expectations:retire", tenant_a.organization, expectation_id=full_team[0].pk))
    assert NEXT_STEP not in page(hr.get(detail(draft)))
    response = hr.post(publish(draft), follow=True)
    assert response.redirect_chain == [(detail(draft), 302)]
    assert Expectation.objects.get(pk=draft.pk).status == Status.PUBLISHED


def test_raising_the_maximum_makes_room_and_the_draft_publishes(tenant_a, hr, full_team):
    draft = draft_expectation(tenant_a.organization, teams=[tenant_a.team])
    assert hr.post(settings_url(tenant_a), {"cap": "6"}).status_code == 302
    assert NEXT_STEP not in page(hr.get(detail(draft)))
    hr.post(publish(draft))
    assert Expectation.objects.get(pk=draft.pk).status == Status.PUBLISHED


def test_at_the_highest_maximum_hr_is_not_sent_to_raise_it(tenant_a, hr, full_team):
    Organization.objects.filter(pk=tenant_a.organization.pk).update(expectation_cap=7)
    for n in (6, 7):
        ExpectationFactory(organization=tenant_a.organization, teams=[tenant_a.team], title=f"Teamgedrag {n}")
    draft = draft_expectation(tenant_a.organization, teams=[tenant_a.team])
    text = page(hr.get(detail(draft)))
    assert "The maximum is already 7, the highest allowed" in text
    assert settings_url(tenant_a) not in text


def test_a_published_or_retired_expectation_has_no_next_step(tenant_a, hr, full_team):
    for expectation in (full_team[0], ExpectationFactory(organization=tenant_a.organization, status=Status.RETIRED)):
        assert NEXT_STEP not in page(hr.get(detail(expectation)))


def test_the_next_step_reads_in_dutch(tenant_a, full_team):
    draft = draft_expectation(tenant_a.organization, teams=[tenant_a.team])
    text = page(client_for(tenant_a.hr, language="nl").get(detail(draft)))
    assert "Voordat dit gepubliceerd kan worden" in text
    assert "Of verhoog het maximum (nu 5, hoogstens 7):" in text
    assert "kies “Laten vervallen”" in text


# Who may


def test_a_member_of_another_organisation_gets_404_and_publishes_nothing(client, stranger, tenant_a, full_team):
    draft = draft_expectation(tenant_a.organization, teams=[tenant_a.team])
    assert_other_organisation_gets_404(client, stranger, detail(draft))
    assert_other_organisation_gets_404(client, stranger, publish(draft), "post")


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_publishes_even_the_proposing_manager_gets_403(client, tenant_a, full_team, role):
    draft = draft_expectation(tenant_a.organization, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    assert_role_forbidden(client, tenant_a.member(role), publish(draft), "post")


def test_the_next_step_costs_as_many_queries_for_2_teams_over_the_cap_as_for_40(tenant_a, hr):
    organization = tenant_a.organization
    for n in range(5):
        ExpectationFactory(organization=organization, title=f"Voor iedereen {n}")
    draft = draft_expectation(organization)  # for everyone: every team with people goes over

    def build(numbers):
        for number in numbers:
            team = TeamFactory(organization=organization, name=f"Team {number:02d}")
            EmployeeFactory(organization=organization, team=team)
            ExpectationFactory(organization=organization, teams=[team], title=f"Alleen team {number:02d}")

    response = assert_flat_queries(lambda: hr.get(detail(draft)), build)
    text = page(response)
    assert "Team 39 (1 person, would have 7)" in text
    assert f'href="{detail(Expectation.objects.get(current_version__title_nl="Alleen team 39"))}"' in text
