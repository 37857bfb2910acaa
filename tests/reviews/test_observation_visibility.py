"""What the employee sees: held observations stay hidden until their conversation is held or cancelled."""

import pytest

from cycles import services as cycle_services
from reviews.models import Observation
from reviews.selectors_observations import evidence_for, observations_visible
from tests.factories import ObservationFactory
from tests.kit import assert_nothing_changes, assert_refused, url

pytestmark = pytest.mark.django_db


def seen(client, organization):
    response = client.get(url("reviews:what_was_seen", organization))
    assert response.status_code == 200
    return [observation.pk for observation in response.context["page"].object_list]


@pytest.fixture
def held(assessment):
    tenant = assessment.tenant
    return ObservationFactory(
        employee=tenant.employee, author=tenant.manager, held_for=assessment.progress_conversation
    )


def test_a_held_observation_is_invisible_to_the_employee_until_the_conversation_is_held(employee, assessment, held):
    organization = assessment.tenant.organization
    shared = ObservationFactory(employee=assessment.tenant.employee, author=assessment.tenant.manager)

    assert seen(employee, organization) == [shared.pk]
    cycle_services.conversation_hold(conversation=assessment.progress_conversation, actor=assessment.tenant.manager)

    assert sorted(seen(employee, organization)) == sorted([shared.pk, held.pk])


def test_a_held_observation_shows_once_its_conversation_is_cancelled(employee, assessment, held):
    cycle_services.conversation_cancel(conversation=assessment.progress_conversation, actor=assessment.tenant.manager)

    assert seen(employee, assessment.tenant.organization) == [held.pk]


def test_the_employee_gets_404_for_a_held_observation_and_cannot_react(client, assessment, held):
    react = url("reviews:observation_react", assessment.tenant.organization, observation_id=held.pk)

    assert_refused(client, assessment.tenant.employee, react, 404, "post", {"reaction": "Klopt niet."})


def test_the_manager_and_hr_see_held_ones_on_the_person_page_marked_held(hr, manager, assessment, held):
    page = url("reviews:person_observations", assessment.tenant.organization, employee_id=assessment.tenant.employee.pk)

    for client in (manager, hr):
        response = client.get(page)
        rows = response.context["page"].object_list
        assert [row.pk for row in rows] == [held.pk] and rows[0].is_held
        assert "Held until the conversation" in response.content.decode()


def test_a_colleague_sees_only_what_they_wrote(assessment):
    tenant = assessment.tenant
    mine = ObservationFactory(employee=tenant.employee, author=tenant.outsider)
    ObservationFactory(employee=tenant.employee, author=tenant.manager)

    assert list(observations_visible(viewer=tenant.outsider, employee=tenant.employee)) == [mine]


def test_evidence_for_a_review_holds_the_cycles_observations_visible_or_not(assessment, held):
    tenant = assessment.tenant
    before_the_cycle = ObservationFactory(
        employee=tenant.employee, author=tenant.manager, observed_on=assessment.cycle.starts_on.replace(year=2000)
    )

    rows = list(evidence_for(review_employee=tenant.employee, cycle=assessment.cycle))

    assert rows == [held] and before_the_cycle not in rows


def test_the_employee_reacts_to_a_visible_observation(employee, assessment):
    observation = ObservationFactory(employee=assessment.tenant.employee, author=assessment.tenant.manager)
    react = url("reviews:observation_react", assessment.tenant.organization, observation_id=observation.pk)

    response = employee.post(react, {"reaction": "Dank je, ik ga het vaker doen."})

    observation.refresh_from_db()
    assert response.status_code == 302 and observation.reaction == "Dank je, ik ga het vaker doen."
    assert observation.reacted_at is not None


def test_a_reaction_with_htmx_swaps_the_card(employee, assessment):
    observation = ObservationFactory(employee=assessment.tenant.employee, author=assessment.tenant.manager)
    react = url("reviews:observation_react", assessment.tenant.organization, observation_id=observation.pk)

    response = employee.post(react, {"reaction": "Klopt."}, headers={"HX-Request": "true"})

    assert response.status_code == 200 and f'id="observation-{observation.pk}"' in response.content.decode()
    assert Observation.objects.get().reaction == "Klopt."


def test_a_reaction_of_ten_thousand_characters_is_refused(employee, assessment):
    observation = ObservationFactory(employee=assessment.tenant.employee, author=assessment.tenant.manager)
    react = url("reviews:observation_react", assessment.tenant.organization, observation_id=observation.pk)

    with assert_nothing_changes():
        response = employee.post(react, {"reaction": "x" * 10_000}, follow=True)

    assert any("2000" in str(message) for message in response.context["messages"])


def test_only_the_person_reacts(client, assessment):
    tenant = assessment.tenant
    observation = ObservationFactory(employee=tenant.employee, author=tenant.manager)
    react = url("reviews:observation_react", tenant.organization, observation_id=observation.pk)

    assert_refused(client, tenant.manager, react, 403, "post", {"reaction": "Namens Eva."})
    assert_refused(client, tenant.hr, react, 403, "post", {"reaction": "Namens Eva."})
    assert_refused(client, tenant.outsider, react, 404, "post", {"reaction": "Namens Eva."})
