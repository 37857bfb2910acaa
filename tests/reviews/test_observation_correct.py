"""Correcting (a new version; the history keeps the old text) and deleting (only while held) an observation."""

import pytest
from django.contrib.contenttypes.models import ContentType

from organizations.audit_models import AuditEntry
from reviews.models import Observation, Shows
from tests.factories import CoreValueFactory, ExpectationFactory, ObservationFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


def edit_url(observation):
    return url("reviews:observation_edit", observation.organization, observation_id=observation.pk)


def delete_url(observation):
    return url("reviews:observation_delete", observation.organization, observation_id=observation.pk)


def correction(observation, **changes):
    data = {
        "expectation": observation.expectation_id or "",
        "observed_on": observation.observed_on.isoformat(),
        "situation": observation.situation,
        "behaviour": "Je belde de klant op donderdag en vroeg wat beter kon.",
        "effect": observation.effect,
        "shows": Shows.SHOWN,
        "version": observation.version,
    }
    data.update(changes)
    return data


@pytest.fixture
def observation(tenant_a):
    return ObservationFactory(employee=tenant_a.employee, author=tenant_a.manager)


@pytest.fixture
def held(assessment):
    tenant = assessment.tenant
    return ObservationFactory(
        employee=tenant.employee, author=tenant.manager, held_for=assessment.progress_conversation
    )


def history(observation):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Observation), object_id=observation.pk
    ).order_by("pk")


def test_correcting_bumps_the_version_and_the_history_keeps_the_old_text(manager, observation):
    old = observation.behaviour

    response = manager.post(edit_url(observation), correction(observation), follow=True)

    observation.refresh_from_db()
    assert observation.version == 2 and observation.behaviour.startswith("Je belde de klant op donderdag")
    entry = history(observation).last()
    assert entry.changes["behaviour"] == [old, observation.behaviour]
    assert entry.changes["version"] == [1, 2]
    assert "Saved as version 2" in shown_messages(response)[0]


def test_a_correction_from_a_stale_page_is_refused(manager, observation):
    manager.post(edit_url(observation), correction(observation), follow=True)

    with assert_nothing_changes():
        response = manager.post(edit_url(observation), correction(observation, behaviour="Iets anders."), follow=True)

    assert "Someone changed this observation" in shown_messages(response)[0]


def test_a_correction_too_long_is_refused_and_nothing_saved(manager, observation):
    with assert_nothing_changes():
        response = manager.post(edit_url(observation), correction(observation, effect="x" * 10_000))

    assert "2000" in field_error(response, "effect")


def test_only_the_author_corrects(client, tenant_a, observation):
    assert_role_forbidden(client, tenant_a.hr, edit_url(observation), "post", correction(observation))
    assert_role_forbidden(client, tenant_a.hr, edit_url(observation))


def test_the_employee_may_not_correct_what_their_manager_wrote(client, tenant_a, observation):
    assert_role_forbidden(client, tenant_a.employee, edit_url(observation), "post", correction(observation))


def test_a_colleague_who_may_not_see_it_gets_404(client, tenant_a, observation):
    assert_refused(client, tenant_a.outsider, edit_url(observation), 404)
    assert_refused(client, tenant_a.outsider, delete_url(observation), 404, "post")


def test_another_organisations_member_gets_404_on_every_page(client, tenant_a, stranger, observation):
    person = tenant_a.employee
    for page in (
        edit_url(observation),
        delete_url(observation),
        url("reviews:what_was_seen", tenant_a.organization),
        url("reviews:person_observations", tenant_a.organization, employee_id=person.pk),
        url("reviews:observation_create", tenant_a.organization, employee_id=person.pk),
        url("reviews:observation_record", tenant_a.organization),
    ):
        assert_other_organisation_gets_404(client, stranger, page)
    for page in (
        url("reviews:observation_react", tenant_a.organization, observation_id=observation.pk),
        url("reviews:observation_coach", tenant_a.organization),
        delete_url(observation),
    ):
        assert_other_organisation_gets_404(client, stranger, page, "post", {"reaction": "x", "behaviour": "x"})


def test_the_author_deletes_a_held_observation_after_confirming(manager, held):
    confirm = manager.get(delete_url(held))
    assert confirm.status_code == 200 and "Delete the observation" in confirm.content.decode()

    response = manager.post(delete_url(held), follow=True)

    assert not Observation.objects.exists()
    assert "The observation has been deleted." in shown_messages(response)
    assert history(held).last().action == AuditEntry.Action.DELETE


def test_deleting_a_visible_observation_is_refused(manager, observation):
    with assert_nothing_changes():
        response = manager.post(delete_url(observation), follow=True)

    assert Observation.objects.filter(pk=observation.pk).exists()
    assert "cannot be deleted any more" in shown_messages(response)[0]


def test_the_confirmation_page_of_a_visible_observation_sends_the_author_back(manager, observation):
    response = manager.get(delete_url(observation))

    assert response.status_code == 302


def test_deleting_once_its_conversation_was_held_is_refused(manager, assessment, held):
    from cycles import services as cycle_services

    cycle_services.conversation_hold(conversation=assessment.progress_conversation, actor=assessment.tenant.manager)

    with assert_nothing_changes(Observation.objects.all()):
        manager.post(delete_url(held))


def test_only_the_author_deletes(client, tenant_a, held):
    assert_role_forbidden(client, tenant_a.hr, delete_url(held), "post")


def test_wrong_methods_get_405(manager, observation):
    assert_method_not_allowed(manager, edit_url(observation), ["put", "delete"])
    assert_method_not_allowed(manager, delete_url(observation), ["put", "delete"])
    react = url("reviews:observation_react", observation.organization, observation_id=observation.pk)
    assert_method_not_allowed(manager, react, ["get", "put"])


def test_the_correction_offers_the_expectations_in_the_order_of_the_form_that_recorded_it(manager, assessment):
    tenant = assessment.tenant
    first_value, second_value = (
        CoreValueFactory(organization=tenant.organization, order=1),
        CoreValueFactory(organization=tenant.organization, order=2),
    )
    # Made in the opposite order of their core values: the list follows the values, not the ids.
    later = ExpectationFactory(organization=tenant.organization, core_value=second_value, title="Zzz later")
    sooner = ExpectationFactory(organization=tenant.organization, core_value=first_value, title="Aaa sooner")
    observation = ObservationFactory(employee=tenant.employee, author=tenant.manager, expectation=later)
    create = url("reviews:observation_create", tenant.organization, employee_id=tenant.employee.pk)

    def offered(address):
        return [pk for pk, _ in manager.get(address).context["form"].fields["expectation"].choices if pk]

    recorded_with = offered(create)
    assert recorded_with.index(sooner.pk) < recorded_with.index(later.pk)
    assert offered(edit_url(observation)) == recorded_with
