"""Recording an observation: whom one may record about, the form's checks, holding it until a conversation."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.translation import override

from cycles.models import Conversation, ConversationState
from reviews.models import Observation, Shows, Source
from tests.factories import ConversationFactory, EmployeeFactory, ExpectationFactory, MomentFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


def create_url(person):
    return url("reviews:observation_create", person.organization, employee_id=person.pk)


def observation_data(**changes):
    data = {
        "expectation": "",
        "observed_on": timezone.localdate().isoformat(),
        "situation": "Tijdens de oplevering bij klant Jansen.",
        "behaviour": "Je belde de klant op vrijdag en vroeg wat beter kon.",
        "effect": "De klant noemde twee verbeterpunten.",
        "shows": Shows.SHOWN,
    }
    data.update(changes)
    return data


def test_a_manager_records_an_observation_about_a_report_shared_at_once(manager, assessment):
    tenant = assessment.tenant
    expectation = assessment.expectations[0]

    response = manager.post(create_url(tenant.employee), observation_data(expectation=expectation.pk), follow=True)

    observation = Observation.objects.get()
    assert (observation.employee, observation.author, observation.source) == (
        tenant.employee,
        tenant.manager,
        Source.MANAGER,
    )
    assert observation.expectation == expectation and observation.held_for is None and observation.version == 1
    assert "The observation has been saved and shared with Eva" in shown_messages(response)[0]


def test_hr_records_about_anyone_in_the_organisation(hr, tenant_a):
    hr.post(create_url(tenant_a.outsider), observation_data())

    assert Observation.objects.get().source == Source.MANAGER


def test_an_employee_records_a_self_observation(employee, tenant_a):
    response = employee.post(create_url(tenant_a.employee), observation_data())

    observation = Observation.objects.get()
    assert observation.source == Source.SELF and observation.author == tenant_a.employee
    assert response.status_code == 302 and response["Location"] == url("reviews:what_was_seen", tenant_a.organization)


def test_the_self_observation_form_offers_no_hold(employee, tenant_a):
    response = employee.get(create_url(tenant_a.employee))

    assert response.status_code == 200 and "hold" not in response.context["form"].fields


def test_the_employee_cannot_record_about_someone_else(client, tenant_a):
    assert_role_forbidden(client, tenant_a.employee, create_url(tenant_a.outsider), "post", observation_data())


def test_a_manager_cannot_record_about_someone_who_is_not_their_report(client, tenant_a):
    assert_role_forbidden(client, tenant_a.manager, create_url(tenant_a.outsider), "post", observation_data())
    assert_role_forbidden(client, tenant_a.manager, create_url(tenant_a.outsider))


def test_another_organisations_member_gets_404(client, tenant_a, stranger):
    for page in (create_url(tenant_a.employee), url("reviews:observation_record", tenant_a.organization)):
        assert_other_organisation_gets_404(client, stranger, page)
    assert_other_organisation_gets_404(client, stranger, create_url(tenant_a.employee), "post", observation_data())


def test_a_person_of_another_organisation_is_a_404_in_ones_own(client, tenant_a, tenant_b):
    own_page_foreign_person = url("reviews:observation_create", tenant_b.organization, employee_id=tenant_a.employee.pk)
    bravo_hr = client_for(tenant_b.hr)
    with assert_nothing_changes():
        response = bravo_hr.post(own_page_foreign_person, observation_data())
    assert response.status_code == 404


def test_wrong_methods_get_405(manager, tenant_a):
    assert_method_not_allowed(manager, create_url(tenant_a.employee), ["put", "delete"])


def test_a_date_in_the_future_is_refused_and_nothing_saved(manager, tenant_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with assert_nothing_changes():
        response = manager.post(create_url(tenant_a.employee), observation_data(observed_on=tomorrow.isoformat()))

    assert response.status_code == 200
    assert field_error(response, "observed_on") == (
        "An observation is of something that happened: choose today or an earlier date."
    )


def test_a_date_more_than_five_years_back_is_refused(manager, tenant_a):
    with assert_nothing_changes():
        response = manager.post(create_url(tenant_a.employee), observation_data(observed_on="2001-01-01"))

    assert field_error(response, "observed_on").startswith("Choose a date on or after")


def test_a_text_of_ten_thousand_characters_is_refused_with_a_translated_message(manager, tenant_a):
    client_for(tenant_a.manager, language="nl")
    with assert_nothing_changes():
        response = manager.post(create_url(tenant_a.employee), observation_data(behaviour="x" * 10_000))

    assert response.status_code == 200
    with override("nl"):
        assert "2000" in field_error(response, "behaviour") and "tekens" in field_error(response, "behaviour")


def test_missing_texts_and_a_bad_date_are_field_errors(manager, tenant_a):
    with assert_nothing_changes():
        response = manager.post(create_url(tenant_a.employee), observation_data(situation="", observed_on="31-31-2020"))

    assert field_error(response, "situation") and field_error(response, "observed_on")


def test_an_expectation_that_does_not_apply_to_the_person_is_refused(manager, assessment):
    tenant = assessment.tenant
    other_team_only = ExpectationFactory(organization=tenant.organization, for_everyone=False)
    with assert_nothing_changes():
        response = manager.post(create_url(tenant.employee), observation_data(expectation=other_team_only.pk))

    assert field_error(response, "expectation")


def test_holding_stores_the_persons_next_open_conversation(manager, assessment):
    tenant = assessment.tenant

    response = manager.post(create_url(tenant.employee), observation_data(hold="on"), follow=True)

    assert Observation.objects.get().held_for == assessment.progress_conversation
    assert "sees it once this conversation is held" in shown_messages(response)[0]
    # The conversation is named with its cycle: the same moment comes back every year.
    assert f"of cycle {assessment.cycle.name} (" in shown_messages(response)[0]


def test_the_hold_box_can_be_ticked_only_when_there_is_a_conversation_to_hold_for(manager, assessment, tenant_a):
    def hold_box(person):
        page = manager.get(create_url(person)).content.decode()
        return re.search(r'<input type="checkbox" name="hold"[^>]*>', page).group(0)

    assert "disabled" not in hold_box(tenant_a.employee)
    nobody = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager)
    assert "disabled" in hold_box(nobody)


def test_holding_skips_a_conversation_still_open_from_before_the_last_one_held(manager, assessment):
    # The progress conversation was never held, the assessment was: an observation held for the progress
    # conversation would never reach the person. It waits for the next moment's conversation instead.
    tenant, day = assessment.tenant, datetime.timedelta(days=1)
    Conversation.objects.filter(pk=assessment.conversation.pk).update(
        state=ConversationState.HELD, scheduled_at=timezone.now() - day
    )
    page = manager.get(create_url(tenant.employee)).content.decode()
    assert "has no conversation still to come (an overdue one from before their last held conversation" in page

    later = MomentFactory(
        cycle=assessment.cycle, opens_on=timezone.localdate() + 60 * day, closes_on=timezone.localdate() + 90 * day
    )
    follow_up = ConversationFactory(moment=later, employee=tenant.employee)
    manager.post(create_url(tenant.employee), observation_data(hold="on"))
    assert Observation.objects.get().held_for == follow_up
    # The person's home still names the progress conversation as their next: it is still theirs to schedule.
    assert (
        client_for(tenant.employee).get(url("organizations:home", tenant.organization)).context["next_conversation"]
        == assessment.progress_conversation
    )


def test_holding_without_an_open_conversation_says_so_and_saves_nothing(manager, tenant_a):
    page = manager.get(create_url(tenant_a.employee))
    assert "has no conversation still to come" in page.content.decode()

    with assert_nothing_changes():
        response = manager.post(create_url(tenant_a.employee), observation_data(hold="on"))

    assert field_error(response, "hold") == (
        f"{tenant_a.employee.full_name} has no conversation still to come (an overdue one from before their last "
        "held conversation does not count), so there is nothing to hold it for."
    )


def test_the_coach_remarks_on_a_save_without_javascript_as_a_warning(manager, tenant_a):
    response = manager.post(
        create_url(tenant_a.employee), observation_data(behaviour="Je bent altijd lui."), follow=True
    )

    assert Observation.objects.count() == 1
    warnings = [text for text in shown_messages(response) if "language coach" in text]
    assert warnings and "altijd" in warnings[0] and "lui" in warnings[0]


def test_a_form_with_errors_shows_the_coach_on_the_text_as_typed(manager, tenant_a):
    response = manager.post(create_url(tenant_a.employee), observation_data(situation="", behaviour="You are lazy."))

    assert response.context["form"].coach_results["behaviour"]
    assert "lazy" in response.content.decode()


# --- choosing the person ----------------------------------------------------------------------------------------


def record_url(organization):
    return url("reviews:observation_record", organization)


def test_an_employee_choosing_goes_straight_to_their_self_observation(employee, tenant_a):
    response = employee.get(record_url(tenant_a.organization))

    assert response.status_code == 302 and response["Location"] == create_url(tenant_a.employee)


def test_a_manager_chooses_among_their_reports(manager, tenant_a):
    response = manager.get(record_url(tenant_a.organization))

    assert list(response.context["reports"].object_list) == [tenant_a.employee]
    assert create_url(tenant_a.employee) in response.content.decode()


def test_hr_searches_by_name_bounded_to_twenty_without_javascript(hr, tenant_a):
    for number in range(25):
        EmployeeFactory(organization=tenant_a.organization, first_name=f"Zeno{number}")

    response = hr.get(record_url(tenant_a.organization), {"q": "zeno"})

    assert response.status_code == 200 and len(response.context["results"]) == 20
    assert "type more of the name" in response.content.decode()


def test_hr_search_with_htmx_answers_the_results_only(hr, tenant_a):
    response = hr.get(record_url(tenant_a.organization), {"q": "Olaf"}, headers={"HX-Request": "true"})

    assert response.context["results"] == [tenant_a.outsider]
    assert "<h1" not in response.content.decode()


def test_a_name_search_of_another_organisation_finds_nobody_there(hr, tenant_a, tenant_b):
    response = hr.get(record_url(tenant_a.organization), {"q": tenant_b.employee.first_name})

    assert tenant_b.employee not in response.context["results"]


def test_the_person_record_service_refuses_a_manager_source_about_a_non_report(tenant_a, english):
    from django.core.exceptions import ValidationError

    from reviews.services_observations import observation_record

    with pytest.raises(ValidationError):
        observation_record(
            author=tenant_a.manager,
            employee=tenant_a.outsider,
            source=Source.MANAGER,
            observed_on=timezone.localdate(),
            situation="s",
            behaviour="b",
        )
    assert not Observation.objects.exists()
