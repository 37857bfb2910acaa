"""Finding the way: asking a colleague from a person's pages, the home counters as links, the rule page's ways
on, and the wording a tester found ambiguous (self-observations, requests, "observations about")."""

import datetime

import pytest
from django.utils import timezone

from cycles.models import ConversationState
from expectations.models import ExpectationVersion
from reviews.models import ObservationRequest
from tests.factories import ConversationFactory, EmployeeFactory, ObservationFactory, ReviewFactory
from tests.kit import url

pytestmark = pytest.mark.django_db


def ask_about(person):
    return f'href="{url("reviews:request_create", person.organization, employee_id=person.pk)}"'


def page_of(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def home(organization):
    return url("organizations:home", organization)


# --- asking a colleague about a report ---------------------------------------------------------------------------


def test_the_manager_is_offered_to_ask_a_colleague_on_the_reports_observations_and_on_the_team_grid(
    assessment, manager
):
    eva = assessment.tenant.employee
    observations = page_of(manager, url("reviews:person_observations", eva.organization, employee_id=eva.pk))
    assert ask_about(eva) in observations
    assert f"Observations about {eva.full_name}" in observations and "Observations of" not in observations
    # On the team grid: in the evidence per person, which the grid loads after itself.
    evidence = url("reviews:team_coverage", eva.organization, cycle_id=assessment.cycle.pk)
    assert evidence in page_of(manager, url("cycles:team_grid", eva.organization))
    assert ask_about(eva) in manager.get(evidence, HTTP_HX_REQUEST="true").content.decode()


def test_nobody_is_offered_to_ask_about_a_deactivated_person(assessment, hr):
    gone = EmployeeFactory(organization=assessment.tenant.organization, manager=assessment.tenant.manager)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    page = page_of(hr, url("reviews:person_observations", gone.organization, employee_id=gone.pk))
    assert ask_about(gone) not in page


def test_the_picker_says_observations_about_them(assessment, manager):
    page = page_of(manager, url("reviews:observation_record", assessment.tenant.organization))
    assert "observations about them" in page and "their observations" not in page


# --- wording ---------------------------------------------------------------------------------------------------


def test_a_self_observation_asks_what_you_did_and_a_managers_what_the_person_did(assessment, employee, manager):
    eva = assessment.tenant.employee
    own = page_of(employee, url("reviews:observation_create", eva.organization, employee_id=eva.pk))
    assert "What you did" in own and "What you did or said" in own
    assert "What the person did" not in own and "what the person did" not in own
    about = page_of(manager, url("reviews:observation_create", eva.organization, employee_id=eva.pk))
    assert "What the person did" in about and "What you did" not in about


def test_a_request_one_asked_names_whom_it_was_asked_of_and_whom_it_is_about(assessment, manager):
    tenant = assessment.tenant
    expectation = assessment.expectations[0]
    ObservationRequest.objects.create(
        organization=tenant.organization,
        cycle=assessment.cycle,
        employee=tenant.employee,
        colleague=tenant.outsider,
        asked_by=tenant.manager,
        expectation=expectation,
        expectation_version=ExpectationVersion.objects.get(pk=expectation.current_version_id),
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    page = page_of(manager, url("reviews:request_list", tenant.organization))
    assert f"Asked of {tenant.outsider.full_name}, about {tenant.employee.full_name}:" in page


# --- the home page ---------------------------------------------------------------------------------------------


def test_the_employees_home_and_what_was_seen_lead_to_your_reviews(assessment, employee):
    organization = assessment.tenant.organization
    link = f'href="{url("reviews:my_reviews", organization)}"'
    assert link in page_of(employee, home(organization))
    assert link in page_of(employee, url("reviews:what_was_seen", organization))


def test_the_managers_counters_link_to_the_reviews_they_write_and_to_their_requests(assessment, manager):
    organization = assessment.tenant.organization
    page = page_of(manager, home(organization))
    team = url("reviews:team_reviews", organization)
    assert f'href="{team}#to-write"' in page and f'href="{team}#to-sign"' in page
    assert f'href="{url("reviews:request_list", organization)}"' in page


def test_hr_without_reports_gets_no_team_card_and_counts_that_open_the_cycles_reviews(assessment, hr):
    organization = assessment.tenant.organization
    response = hr.get(home(organization))
    page = response.content.decode()
    assert "Observations and reviews of your team" not in page
    assert response.context["reviews_home"]["active_cycles"] == [(assessment.cycle.pk, assessment.cycle.name)]
    cycle_reviews = url("reviews:cycle_reviews", organization, cycle_id=assessment.cycle.pk)
    assert f'href="{cycle_reviews}?state=shared"' in page and f'href="{cycle_reviews}?state=draft"' in page
    # Recording and what HR asked for stay within reach without the team's card.
    assert f'href="{url("reviews:observation_record", organization)}"' in page


def test_hr_with_reports_gets_the_team_card(assessment, hr):
    tenant = assessment.tenant
    report = EmployeeFactory(organization=tenant.organization, manager=tenant.hr)
    ReviewFactory(conversation=ConversationFactory(moment=assessment.assessment, employee=report), state="draft")
    page = page_of(hr, home(tenant.organization))
    assert "Observations and reviews of your team" in page
    assert f'href="{url("reviews:team_reviews", tenant.organization)}#to-write"' in page


def test_the_employee_reads_their_reviews_state_about_themselves(assessment, employee):
    conversation = assessment.conversation
    type(conversation).objects.filter(pk=conversation.pk).update(state=ConversationState.HELD)
    ReviewFactory(conversation=conversation, state="manager_signed")
    page = page_of(employee, home(assessment.tenant.organization))
    assert "Your manager has signed it; your signature is still needed." in page


# --- the rule page -----------------------------------------------------------------------------------------------


def test_the_rule_page_leads_home_and_to_what_is_expected_of_me(assessment, employee):
    organization = assessment.tenant.organization
    page = page_of(employee, url("reviews:outcome_rule", organization))
    assert f'href="{home(organization)}"' in page
    assert f'href="{url("expectations:mine", organization)}"' in page


# --- ways back from a person's observations and the observation form ------------------------------------------


def test_a_persons_observations_lead_back_to_the_team_for_their_manager_and_to_the_persons_page_for_hr(
    assessment, manager, hr
):
    eva = assessment.tenant.employee
    address = url("reviews:person_observations", eva.organization, employee_id=eva.pk)
    team_grid = url("cycles:team_grid", eva.organization)
    by_manager = page_of(manager, address)
    assert f'<a href="{team_grid}">Back to my team</a>' in by_manager
    by_hr = page_of(hr, address)
    person_page = url("organizations:person_detail", eva.organization, employee_id=eva.pk)
    assert f'<a href="{person_page}">Back to {eva.full_name}</a>' in by_hr and "Back to my team" not in by_hr


def test_the_observation_form_cancels_to_where_saving_would_return(assessment, manager, employee):
    eva = assessment.tenant.employee
    about_eva = page_of(manager, url("reviews:observation_create", eva.organization, employee_id=eva.pk))
    observations = url("reviews:person_observations", eva.organization, employee_id=eva.pk)
    assert f'<a href="{observations}">Cancel</a>' in about_eva
    own = page_of(employee, url("reviews:observation_create", eva.organization, employee_id=eva.pk))
    assert f'<a href="{url("reviews:what_was_seen", eva.organization)}">Cancel</a>' in own


def test_a_correction_is_offered_in_words_that_say_what_it_corrects(assessment, manager):
    eva = assessment.tenant.employee
    seen = ObservationFactory(employee=eva, author=assessment.tenant.manager)
    page = page_of(manager, url("reviews:person_observations", eva.organization, employee_id=eva.pk))
    edit = url("reviews:observation_edit", eva.organization, observation_id=seen.pk)
    assert f'href="{edit}">Correct this observation</a>' in page and ">Correct<" not in page
