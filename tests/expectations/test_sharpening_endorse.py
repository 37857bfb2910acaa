"""Endorsing the current wording of a draft (“clear to me”), with htmx and without."""

import pytest

from expectations.models import Endorsement, Status
from tests.factories import EndorsementFactory, ExpectationFactory, TeamFactory, sharpening_expectation
from tests.kit import (
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def endorse(expectation):
    return url("expectations:endorse", expectation.organization, expectation_id=expectation.pk)


def test_a_member_of_another_organisation_gets_404_and_nothing_is_saved(client, tenant_a, tenant_b):
    expectation = sharpening_expectation(tenant_a.organization)
    assert_other_organisation_gets_404(client, tenant_b.employee, endorse(expectation), "post")


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_a_person_outside_the_audience_gets_404_whatever_their_role(tenant_a, login, role):
    expectation = sharpening_expectation(tenant_a.organization, teams=[TeamFactory(organization=tenant_a.organization)])
    assert login(tenant_a.member(role)).post(endorse(expectation)).status_code == 404
    assert login(tenant_a.member(role)).post(endorse(expectation), **HTMX).status_code == 404
    assert not Endorsement.objects.exists()


def test_no_role_is_refused_inside_the_audience_the_audience_is_the_rule(tenant_a, login):
    """There is no 403 here: everyone in the audience may endorse, anyone else gets 404 (above)."""
    expectation = sharpening_expectation(tenant_a.organization)
    for person in (tenant_a.hr, tenant_a.manager, tenant_a.employee, tenant_a.outsider):
        assert login(person).post(endorse(expectation)).status_code == 302
    assert Endorsement.objects.filter(expectation=expectation).count() == 4


@pytest.mark.parametrize("expectation_id", ["abc", "0", "-1", "99999999999999999999999"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, employee, expectation_id):
    address = url("expectations:endorse", tenant_a.organization, expectation_id=expectation_id)
    assert employee.post(address).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_get_405(tenant_a, employee, method):
    assert_method_not_allowed(employee, endorse(sharpening_expectation(tenant_a.organization)), method)


def test_without_javascript_endorsing_redirects_back_to_the_page(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization, teams=[tenant_a.team])
    response = employee.post(endorse(expectation), follow=True)
    detail = url("expectations:sharpening_detail", tenant_a.organization, expectation_id=expectation.pk)
    assert response.redirect_chain == [(detail, 302)]
    endorsement = Endorsement.objects.get()
    assert (endorsement.employee, endorsement.wording_revision) == (tenant_a.employee, 1)
    assert shown_messages(response) == ["Thank you: you endorsed this wording as clear."]
    page = response.content.decode()
    assert "1 of 2 in the audience finds this wording clear." in page
    assert "You endorsed this wording</button>" in page


def test_endorsing_twice_keeps_one_endorsement(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization)
    employee.post(endorse(expectation))
    employee.post(endorse(expectation))
    assert Endorsement.objects.filter(expectation=expectation).count() == 1


def test_with_htmx_only_the_support_block_comes_back(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization, teams=[tenant_a.team])
    response = employee.post(endorse(expectation), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="support"')
    assert "<html" not in page and "<h1>" not in page
    assert "1 of 2 in the audience finds this wording clear." in page
    assert "You endorsed this wording</button>" in page
    assert Endorsement.objects.count() == 1


def test_after_the_closing_date_endorsing_is_refused_with_a_message(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization, closes_in=-1)
    response = employee.post(endorse(expectation), follow=True)
    assert response.redirect_chain == [
        (url("expectations:sharpening_detail", tenant_a.organization, expectation_id=expectation.pk), 302)
    ]
    assert shown_messages(response) == ["This expectation is not open for suggestions."]
    assert not Endorsement.objects.exists()


def test_after_the_closing_date_htmx_shows_the_refusal_in_the_support_block(tenant_a, employee):
    response = employee.post(endorse(sharpening_expectation(tenant_a.organization, closes_in=-1)), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<div role="alert"><ul class="errorlist nonfield">'
        "<li>This expectation is not open for suggestions.</li></ul></div>" in page
    )
    assert ">Clear to me</button>" not in page
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.DRAFT, Status.RETIRED])
def test_endorsing_an_expectation_not_in_sharpening_is_refused_with_a_message(tenant_a, employee, status):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=status)
    response = employee.post(endorse(expectation), follow=True)
    assert response.redirect_chain == [(url("expectations:sharpening_list", tenant_a.organization), 302)]
    assert shown_messages(response) == ["This expectation is not open for suggestions."]
    assert employee.post(endorse(expectation), **HTMX).status_code == 200
    assert not Endorsement.objects.exists()


def test_an_endorsement_of_an_earlier_wording_is_renewed_for_the_current_one(tenant_a, employee):
    expectation = sharpening_expectation(tenant_a.organization)
    EndorsementFactory(expectation=expectation, employee=tenant_a.employee, wording_revision=0)
    employee.post(endorse(expectation))
    assert sorted(Endorsement.objects.values_list("wording_revision", flat=True)) == [0, 1]
