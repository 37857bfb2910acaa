"""Observation requests through their pages: asking a colleague, the colleague's list, answering, declining,
withdrawing, and who may do which.

tenant_a's Eva (the employee) takes part in an active cycle around today (tests/reviews/conftest.py); her
manager Mark asks Olaf (the outsider, a colleague in the same organisation) for an observation.
"""

import datetime

import pytest
from django.utils import timezone

from cycles.models import PlanRequest
from reviews.models import VISIBLE_TO_EMPLOYEE, Observation, ObservationRequest, Source
from reviews.selectors_requests import home_card
from tests.factories import EmployeeFactory, ExpectationFactory, ObservationFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    client_for,
    field_error,
    nonfield_errors,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

OPEN = ObservationRequest.State.OPEN


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def ask(tenant, expectation, **changes):
    """What the manager posts to ask Olaf about Eva."""
    data = {
        "colleague": tenant.outsider.pk,
        "expectation": expectation.pk,
        "due_on": in_days(7).isoformat(),
        "message": "Kijk vooral naar de oplevering bij Jansen.",
    }
    data.update(changes)
    return data


def make_request(assessment, *, colleague=None, asked_by=None, employee=None, **fields):
    tenant = assessment.tenant
    expectation = assessment.expectations[0]
    return ObservationRequest.objects.create(
        organization=tenant.organization,
        cycle=assessment.cycle,
        employee=employee or tenant.employee,
        colleague=colleague or tenant.outsider,
        asked_by=asked_by or tenant.manager,
        expectation=expectation,
        expectation_version=expectation.current_version,
        due_on=fields.pop("due_on", in_days(7)),
        message=fields.pop("message", "Kijk vooral naar de oplevering bij Jansen."),
        **fields,
    )


def answer_data(**changes):
    data = {
        "observed_on": timezone.localdate().isoformat(),
        "situation": "Bij de oplevering aan klant Jansen op dinsdag.",
        "behaviour": "Eva belde de klant een dag later en vroeg wat beter kon.",
        "effect": "De klant noemde twee punten die we dezelfde week oppakten.",
        "shows": "shown",
    }
    data.update(changes)
    return data


def create_url(tenant, person=None):
    return url("reviews:request_create", tenant.organization, employee_id=(person or tenant.employee).pk)


def answer_url(request):
    return url("reviews:request_answer", request.organization, request_id=request.pk)


# --- Asking ---------------------------------------------------------------------------------------------------


def test_the_manager_asks_a_colleague_and_the_request_is_saved_for_the_active_cycle(assessment, manager):
    tenant = assessment.tenant
    expectation = assessment.expectations[1]

    response = manager.post(create_url(tenant), ask(tenant, expectation), follow=True)

    asked = ObservationRequest.objects.get()
    assert (asked.employee, asked.colleague, asked.asked_by) == (tenant.employee, tenant.outsider, tenant.manager)
    assert asked.cycle == assessment.cycle and asked.state == OPEN
    assert asked.expectation == expectation and asked.expectation_version == expectation.current_version
    assert asked.due_on == in_days(7) and asked.message == "Kijk vooral naar de oplevering bij Jansen."
    assert f"{tenant.outsider.full_name} has been asked for an observation" in shown_messages(response)[0]
    # Its reminders follow through the outbox, like every change the reminders follow.
    assert PlanRequest.objects.filter(cycle=assessment.cycle).count() == 1


def test_an_employee_asks_a_colleague_about_themselves(assessment, employee):
    tenant = assessment.tenant

    response = employee.post(create_url(tenant), ask(tenant, assessment.expectations[0]))

    assert response.status_code == 302
    assert ObservationRequest.objects.get().asked_by == tenant.employee


def test_hr_asks_about_anyone_in_a_cycle(assessment, hr):
    tenant = assessment.tenant

    assert hr.post(create_url(tenant), ask(tenant, assessment.expectations[0])).status_code == 302
    assert ObservationRequest.objects.get().asked_by == tenant.hr


@pytest.mark.parametrize("who", ["other organisation", "the person", "deactivated", "not joined", "nonsense"])
def test_a_colleague_outside_the_organisation_or_the_person_is_refused(assessment, tenant_b, manager, who):
    tenant = assessment.tenant
    colleague = {
        "other organisation": lambda: tenant_b.employee.pk,
        "the person": lambda: tenant.employee.pk,
        "deactivated": lambda: EmployeeFactory(organization=tenant.organization, is_active=False).pk,
        "not joined": lambda: EmployeeFactory(organization=tenant.organization, joined_at=None).pk,
        "nonsense": lambda: 2**70,
    }[who]()

    with assert_nothing_changes():
        response = manager.post(create_url(tenant), ask(tenant, assessment.expectations[0], colleague=colleague))

    assert response.status_code == 200
    assert field_error(response, "colleague") in {
        "Choose a colleague from this organisation, other than the person the request is about.",
        "Ensure this value is less than or equal to 9223372036854775807.",
    }


def test_a_due_date_after_the_cycle_or_in_the_past_is_refused(assessment, manager):
    tenant = assessment.tenant
    for day in (in_days(-1), assessment.cycle.ends_on + datetime.timedelta(days=1)):
        with assert_nothing_changes():
            response = manager.post(create_url(tenant), ask(tenant, assessment.expectations[0], due_on=day))
        assert field_error(response, "due_on").startswith("Choose a date from today to the end of the cycle")


def test_an_expectation_that_does_not_apply_is_refused(assessment, tenant_b, manager):
    tenant = assessment.tenant
    elsewhere = ExpectationFactory(organization=tenant_b.organization)

    with assert_nothing_changes():
        response = manager.post(create_url(tenant), ask(tenant, elsewhere))

    assert field_error(response, "expectation").startswith("Select a valid choice")


def test_a_person_in_no_active_cycle_cannot_be_asked_about(assessment, hr):
    tenant = assessment.tenant
    page = hr.get(create_url(tenant, tenant.manager))  # Mark has no conversation in the cycle
    assert "Requests for an observation need an active cycle" in page.content.decode()

    with assert_nothing_changes():
        response = hr.post(create_url(tenant, tenant.manager), ask(tenant, assessment.expectations[0]))

    assert nonfield_errors(response) == [
        f"Requests for an observation need an active cycle, and {tenant.manager.full_name} is in none."
    ]


def test_someone_who_is_not_the_person_their_manager_or_hr_gets_404(client, assessment, stranger):
    tenant = assessment.tenant
    data = ask(tenant, assessment.expectations[0])
    for method in ("get", "post"):
        assert_refused(client, tenant.outsider, create_url(tenant), 404, method, data)
        assert_other_organisation_gets_404(client, stranger, create_url(tenant), method, data)
    assert_method_not_allowed(client_for(tenant.manager), create_url(tenant), ["put", "delete"])


def test_the_colleague_search_finds_by_name_at_most_20_and_not_the_person(assessment, manager):
    tenant = assessment.tenant
    for number in range(25):
        EmployeeFactory(organization=tenant.organization, last_name=f"Jansen {number}")

    page = manager.get(create_url(tenant), {"q": "jansen"})
    found = manager.get(create_url(tenant), {"q": tenant.employee.first_name}, headers={"HX-Request": "true"})

    assert len(page.context["results"]) == 20 and "Only the first 20 names are shown" in page.content.decode()
    assert "<html" not in found.content.decode() and tenant.employee not in found.context["results"]
    assert 'type="radio" name="colleague"' in page.content.decode()


# --- The colleague: the list, the answer ----------------------------------------------------------------------


def test_the_colleague_sees_only_the_request_and_the_expectations_wording(assessment, outsider):
    tenant = assessment.tenant
    asked = make_request(assessment)
    ObservationFactory(employee=tenant.employee, author=tenant.manager, behaviour="Geheim: te laat op de stand-up.")

    listing = outsider.get(url("reviews:request_list", tenant.organization)).content.decode()
    page = outsider.get(answer_url(asked)).content.decode()

    assert answer_url(asked) in listing
    version = asked.expectation_version
    for shown in (version.title_en, version.behaviour_en, asked.message, tenant.manager.full_name):
        assert shown in page
    assert "Geheim" not in page and "Geheim" not in listing
    person = url("reviews:person_observations", tenant.organization, employee_id=tenant.employee.pk)
    assert person not in page and person not in listing


def test_the_answer_becomes_a_colleague_observation_the_person_sees(assessment, outsider):
    tenant = assessment.tenant
    asked = make_request(assessment)

    response = outsider.post(answer_url(asked), answer_data(), follow=True)

    observation = Observation.objects.get()
    assert (observation.author, observation.employee, observation.source) == (
        tenant.outsider,
        tenant.employee,
        Source.COLLEAGUE,
    )
    assert observation.request == asked and observation.expectation == asked.expectation
    assert Observation.objects.filter(VISIBLE_TO_EMPLOYEE, employee=tenant.employee).get() == observation
    asked.refresh_from_db()
    assert asked.state == ObservationRequest.State.ANSWERED and asked.closed_at is not None
    assert "Your observation has been shared" in shown_messages(response)[0]


def test_answering_twice_or_a_withdrawn_request_is_refused_with_a_message(assessment, outsider):
    asked = make_request(assessment)
    withdrawn = make_request(assessment, state=ObservationRequest.State.WITHDRAWN)
    outsider.post(answer_url(asked), answer_data(), follow=True)  # reads the success message

    for request in (asked, withdrawn):
        with assert_nothing_changes(Observation.objects.all(), ObservationRequest.objects.all()):
            response = outsider.post(answer_url(request), answer_data(), follow=True)
        assert shown_messages(response) == [
            "This request is no longer open: it has been answered, declined or withdrawn."
        ]
    assert Observation.objects.count() == 1


def test_a_bad_answer_gets_a_field_error_and_saves_nothing(assessment, outsider):
    asked = make_request(assessment)

    with assert_nothing_changes():
        response = outsider.post(answer_url(asked), answer_data(behaviour="  ", observed_on=in_days(3).isoformat()))

    assert field_error(response, "behaviour") == "This field is required."
    assert field_error(response, "observed_on").startswith("An observation is of something that happened")


def test_the_colleague_declines(assessment, outsider):
    asked = make_request(assessment)

    outsider.post(answer_url(asked), {"decline": "1", "confirm": "yes"})

    asked.refresh_from_db()
    assert asked.state == ObservationRequest.State.DECLINED and not Observation.objects.exists()


def test_others_who_see_the_request_may_not_answer_it(client, assessment, stranger):
    tenant = assessment.tenant
    asked = make_request(assessment)
    for member in (tenant.manager, tenant.hr, tenant.employee):
        assert "Send my observation" not in client_for(member).get(answer_url(asked)).content.decode()
        assert_role_forbidden(client, member, answer_url(asked), "post", answer_data())
    other = EmployeeFactory(organization=tenant.organization)
    assert_refused(client, other, answer_url(asked), 404)
    assert_other_organisation_gets_404(client, stranger, answer_url(asked))


# --- Withdrawing ------------------------------------------------------------------------------------------------


def test_the_asker_withdraws_an_open_request(assessment, manager):
    asked = make_request(assessment)

    response = manager.post(
        url("reviews:request_withdraw", asked.organization, request_id=asked.pk), {"confirm": "yes"}, follow=True
    )

    asked.refresh_from_db()
    assert asked.state == ObservationRequest.State.WITHDRAWN
    assert shown_messages(response) == ["The request has been withdrawn."]
    assert "Send my observation" not in client_for(assessment.tenant.outsider).get(answer_url(asked)).content.decode()


def test_the_colleague_cannot_withdraw_and_a_stranger_gets_404(client, assessment, stranger):
    tenant = assessment.tenant
    asked = make_request(assessment)
    withdraw = url("reviews:request_withdraw", asked.organization, request_id=asked.pk)

    assert_role_forbidden(client, tenant.outsider, withdraw, "post")
    assert_refused(client, EmployeeFactory(organization=tenant.organization), withdraw, 404, "post")
    assert_other_organisation_gets_404(client, stranger, withdraw, "post")
    assert_method_not_allowed(client_for(tenant.manager), withdraw, ["put"])


# --- Lists and the home card ------------------------------------------------------------------------------------


def test_the_request_list_makes_the_same_number_of_queries_for_2_and_40_requests(assessment, outsider):
    tenant = assessment.tenant
    askers = [tenant.manager, tenant.hr]

    def build(numbers):
        for number in numbers:
            make_request(assessment, asked_by=askers[number % 2], due_on=in_days(1 + number % 20))
            make_request(assessment, colleague=tenant.hr, asked_by=tenant.outsider, employee=tenant.outsider)

    response = assert_flat_queries(lambda: outsider.get(url("reviews:request_list", tenant.organization)), build)

    assert len(response.context["to_answer"]) == 40 and len(response.context["asked"]) == 40


def test_the_home_card_counts_the_open_requests_and_the_nearest_due_date(assessment):
    tenant = assessment.tenant
    make_request(assessment, due_on=in_days(9))
    make_request(assessment, due_on=in_days(4))
    make_request(assessment, due_on=in_days(2), state=ObservationRequest.State.ANSWERED)

    card = home_card(employee=tenant.outsider)

    assert card == {"count": 2, "due_on": in_days(4), "url": url("reviews:request_list", tenant.organization)}
    assert home_card(employee=tenant.employee)["count"] == 0
