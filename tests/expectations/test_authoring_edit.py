"""Changing an expectation: drafts in place, published ones as a new version; who may edit what."""

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from expectations.models import Expectation, ExpectationVersion, Status
from tests.factories import CoreValueFactory, EmployeeFactory, ExpectationFactory, TeamFactory, draft_expectation
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    nonfield_errors,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


def edit(expectation):
    return url("expectations:edit", expectation.organization, expectation_id=expectation.pk)


def form_data(expectation, **changes):
    """What the form shows for ``expectation``, with ``changes``."""
    version = Expectation.objects.get(pk=expectation.pk).current_version
    data = {
        name: getattr(version, name)
        for name in (
            "title_nl",
            "title_en",
            "behaviour_nl",
            "behaviour_en",
            "examples_yes_nl",
            "examples_yes_en",
            "examples_not_yet_nl",
            "examples_not_yet_en",
        )
    }
    teams = [team.pk for team in expectation.teams.all()]
    data.update(
        core_value=expectation.core_value_id,
        strategic_goal=version.strategic_goal_id or "",
        weight=version.weight,
        audience="everyone" if expectation.for_everyone else "teams",
        teams=teams,
    )
    data.update(changes)
    return data


def assert_forbidden_to(client, member, expectation):
    """``member`` may neither open nor save the edit page of ``expectation``."""
    assert_role_forbidden(client, member, edit(expectation))
    assert_role_forbidden(client, member, edit(expectation), "post", form_data(expectation, title_nl="Anders"))


def test_a_member_of_another_organisation_gets_404(client, stranger, tenant_a):
    expectation = draft_expectation(tenant_a.organization)
    assert_other_organisation_gets_404(client, stranger, edit(expectation))
    data = form_data(expectation, title_nl="Overgenomen")
    assert_other_organisation_gets_404(client, stranger, edit(expectation), "post", data)


@pytest.mark.parametrize("expectation_id", ["abc", "0", "-1", "99999999999999999999999", "1.5"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, hr, expectation_id):
    assert hr.get(url("expectations:edit", tenant_a.organization, expectation_id=expectation_id)).status_code == 404


def test_an_employee_gets_403(client, tenant_a):
    assert_forbidden_to(client, tenant_a.employee, draft_expectation(tenant_a.organization))


def test_a_manager_gets_403_for_someone_elses_expectation(client, tenant_a):
    assert_forbidden_to(client, tenant_a.manager, draft_expectation(tenant_a.organization, teams=[tenant_a.team]))


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.RETIRED])
def test_a_manager_cannot_edit_their_proposal_once_published(client, tenant_a, status):
    expectation = ExpectationFactory(
        organization=tenant_a.organization, status=status, proposed_by=tenant_a.manager, teams=[tenant_a.team]
    )
    assert_forbidden_to(client, tenant_a.manager, expectation)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_get_405(tenant_a, hr, method):
    assert_method_not_allowed(hr, edit(draft_expectation(tenant_a.organization)), method)


def test_the_form_starts_with_the_current_wording_weight_and_audience(tenant_a, hr):
    expectation = draft_expectation(tenant_a.organization, teams=[tenant_a.team], weight=35, title="Huidig")
    form = hr.get(edit(expectation)).context["form"]
    assert form["title_nl"].value() == "Huidig"
    assert form["weight"].value() == 35
    assert form["audience"].value() == "teams"
    assert form["teams"].value() == [tenant_a.team.pk]
    assert form["core_value"].value() == expectation.core_value_id


def test_hr_edits_a_draft_in_place(tenant_a, hr):
    expectation = draft_expectation(tenant_a.organization)
    other_value = CoreValueFactory(organization=tenant_a.organization)
    response = hr.post(
        edit(expectation),
        form_data(
            expectation,
            behaviour_nl="Je belt de klant binnen vijf werkdagen.",
            weight=40,
            core_value=other_value.pk,
            audience="teams",
            teams=[tenant_a.team.pk],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == url("expectations:detail", tenant_a.organization, expectation_id=expectation.pk)
    expectation.refresh_from_db()
    assert expectation.versions.count() == 1
    assert expectation.current_version.behaviour_nl == "Je belt de klant binnen vijf werkdagen."
    assert expectation.current_version.weight == 40
    assert expectation.core_value == other_value
    assert (expectation.for_everyone, list(expectation.teams.all())) == (False, [tenant_a.team])
    assert expectation.wording_revision == 2
    assert expectation.status == Status.DRAFT


def test_saving_a_draft_without_changing_the_wording_keeps_its_endorsements_current(tenant_a, hr):
    expectation = draft_expectation(tenant_a.organization)
    hr.post(edit(expectation), form_data(expectation, weight=45))
    expectation.refresh_from_db()
    assert (expectation.wording_revision, expectation.current_version.weight) == (1, 45)


def test_editing_a_published_expectation_says_it_creates_a_new_version_and_does(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization, title="Versie een")
    version_1 = model_to_dict(expectation.current_version)
    page = hr.get(edit(expectation)).content.decode()
    assert "Saving creates version 2, in force at once; version 1 stays readable." in page
    response = hr.post(edit(expectation), form_data(expectation, title_nl="Versie twee"), follow=True)
    assert "Saved as version 2, in force now; version 1 stays readable." in shown_messages(response)
    expectation.refresh_from_db()
    assert expectation.status == Status.PUBLISHED
    assert (expectation.current_version.number, expectation.current_version.title_nl) == (2, "Versie twee")
    assert model_to_dict(ExpectationVersion.objects.get(expectation=expectation, number=1)) == version_1


def test_a_published_edit_without_behaviour_is_refused_at_the_field(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    with assert_nothing_changes():
        response = hr.post(edit(expectation), form_data(expectation, behaviour_nl="", behaviour_en=""))
    assert response.status_code == 200
    assert field_error(response, "behaviour_nl") == "Describe the observable behaviour before publishing."


def test_a_published_edit_that_widens_the_audience_past_the_cap_is_refused_naming_the_team(tenant_a, hr):
    for _ in range(5):
        ExpectationFactory(organization=tenant_a.organization, teams=[tenant_a.team])
    other = TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    EmployeeFactory(organization=tenant_a.organization, team=other)
    expectation = ExpectationFactory(organization=tenant_a.organization, teams=[other])
    with assert_nothing_changes():
        response = hr.post(edit(expectation), form_data(expectation, audience="everyone", teams=[]))
    assert response.status_code == 200
    [refusal] = nonfield_errors(response)
    assert "Klantenservice (2 people, would have 6)" in refusal


def test_a_retired_expectation_is_not_changed_and_hr_is_told_why(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=Status.RETIRED)
    with assert_nothing_changes():
        response = hr.post(edit(expectation), form_data(expectation, title_nl="Anders"), follow=True)
    detail = url("expectations:detail", tenant_a.organization, expectation_id=expectation.pk)
    assert response.redirect_chain == [(detail, 302)]
    assert shown_messages(response) == ["A retired expectation cannot be changed."]
    assert hr.get(edit(expectation)).status_code == 302


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight": "150"}, "weight", "Ensure this value is less than or equal to 100."),
        ({"weight": "-1"}, "weight", "Ensure this value is greater than or equal to 0."),
        ({"weight": "abc"}, "weight", "Enter a whole number."),
        ({"title_nl": ""}, "title_nl", "Fill this in, in the organisation's language."),
        ({"behaviour_nl": "x" * 1001}, "behaviour_nl", "Ensure this value has at most 1000 characters (it has 1001)."),
        (
            {"core_value": "abc"},
            "core_value",
            "Select a valid choice. That choice is not one of the available choices.",
        ),  # noqa: E501
        ({"audience": "teams", "teams": []}, "teams", "Choose at least one team, or the whole organisation."),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(tenant_a, hr, changes, field, message):
    expectation = draft_expectation(tenant_a.organization)
    with assert_nothing_changes():
        response = hr.post(edit(expectation), form_data(expectation, **changes))
    assert response.status_code == 200
    assert field_error(response, field) == message


def test_a_team_or_core_value_of_another_organisation_is_refused(tenant_a, tenant_b, hr):
    expectation = draft_expectation(tenant_a.organization)
    foreign_value = CoreValueFactory(organization=tenant_b.organization)
    with assert_nothing_changes():
        response = hr.post(
            edit(expectation),
            form_data(expectation, core_value=foreign_value.pk, audience="teams", teams=[tenant_b.team.pk]),
        )
    assert field_error(response, "core_value") == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert field_error(response, "teams") == (
        f"Select a valid choice. {tenant_b.team.pk} is not one of the available choices."
    )


def test_a_manager_edits_their_own_draft_and_it_stays_for_their_team(tenant_a, manager):
    expectation = draft_expectation(tenant_a.organization, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    page = manager.get(edit(expectation)).content.decode()
    assert 'name="audience"' not in page
    response = manager.post(edit(expectation), form_data(expectation, title_nl="Beter", audience="everyone"))
    assert response.status_code == 302
    expectation.refresh_from_db()
    assert expectation.current_version.title_nl == "Beter"
    assert (expectation.for_everyone, list(expectation.teams.all())) == (False, [tenant_a.team])


def test_a_manager_edits_their_proposal_in_sharpening_and_is_told_about_endorsements(tenant_a, manager):
    expectation = ExpectationFactory(
        organization=tenant_a.organization,
        status=Status.SHARPENING,
        published_at=None,
        sharpening_closes_on=timezone.localdate(),
        proposed_by=tenant_a.manager,
        teams=[tenant_a.team],
    )
    page = manager.get(edit(expectation)).content.decode()
    assert "Changing its wording asks everyone to endorse the new wording again." in page
