"""Endorsing the current wording of a draft (“clear to me”), with htmx and without."""

import pytest
from django.urls import reverse
from django.utils import timezone

from expectations.models import Endorsement, Status
from tests.factories import EndorsementFactory, ExpectationFactory, TeamFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, organization, **kwargs):
    return reverse(f"expectations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def endorse(expectation):
    return url("endorse", expectation.organization, expectation_id=expectation.pk)


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def sharpening(tenant, closes_in=7, **kwargs):
    return ExpectationFactory(
        organization=tenant.organization,
        status=Status.SHARPENING,
        published_at=None,
        sharpening_closes_on=timezone.localdate() + timezone.timedelta(days=closes_in),
        **kwargs,
    )


@pytest.fixture
def employee(tenant_a, login):
    in_english(tenant_a.employee)
    return login(tenant_a.employee)


def test_a_member_of_another_organisation_gets_404_and_nothing_is_saved(tenant_a, tenant_b, login):
    assert login(tenant_b.employee).post(endorse(sharpening(tenant_a))).status_code == 404
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_a_person_outside_the_audience_gets_404_whatever_their_role(tenant_a, login, role):
    expectation = sharpening(tenant_a, teams=[TeamFactory(organization=tenant_a.organization)])
    assert login(tenant_a.member(role)).post(endorse(expectation)).status_code == 404
    assert login(tenant_a.member(role)).post(endorse(expectation), **HTMX).status_code == 404
    assert not Endorsement.objects.exists()


def test_no_role_is_refused_inside_the_audience_the_audience_is_the_rule(tenant_a, login):
    """There is no 403 here: everyone in the audience may endorse, anyone else gets 404 (above)."""
    expectation = sharpening(tenant_a)
    for person in (tenant_a.hr, tenant_a.manager, tenant_a.employee, tenant_a.outsider):
        assert login(person).post(endorse(expectation)).status_code == 302
    assert Endorsement.objects.filter(expectation=expectation).count() == 4


@pytest.mark.parametrize("expectation_id", ["abc", "0", "-1", "99999999999999999999999"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, employee, expectation_id):
    assert employee.post(url("endorse", tenant_a.organization, expectation_id=expectation_id)).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_get_405(tenant_a, employee, method):
    assert getattr(employee, method)(endorse(sharpening(tenant_a))).status_code == 405


def test_without_javascript_endorsing_redirects_back_to_the_page(tenant_a, employee):
    expectation = sharpening(tenant_a, teams=[tenant_a.team])
    response = employee.post(endorse(expectation), follow=True)
    detail = url("sharpening_detail", tenant_a.organization, expectation_id=expectation.pk)
    assert response.redirect_chain == [(detail, 302)]
    endorsement = Endorsement.objects.get()
    assert (endorsement.employee, endorsement.wording_revision) == (tenant_a.employee, 1)
    page = response.content.decode()
    assert "Thank you: you endorsed this wording as clear." in page
    assert "1 of 2 in the audience finds this wording clear." in page
    assert "You endorsed this wording</button>" in page


def test_endorsing_twice_keeps_one_endorsement(tenant_a, employee):
    expectation = sharpening(tenant_a)
    employee.post(endorse(expectation))
    employee.post(endorse(expectation))
    assert Endorsement.objects.filter(expectation=expectation).count() == 1


def test_with_htmx_only_the_support_block_comes_back(tenant_a, employee):
    expectation = sharpening(tenant_a, teams=[tenant_a.team])
    response = employee.post(endorse(expectation), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="support"')
    assert "<html" not in page and "<h1>" not in page
    assert "1 of 2 in the audience finds this wording clear." in page
    assert "You endorsed this wording</button>" in page
    assert Endorsement.objects.count() == 1


def test_after_the_closing_date_endorsing_is_refused_with_a_message(tenant_a, employee):
    expectation = sharpening(tenant_a, closes_in=-1)
    response = employee.post(endorse(expectation), follow=True)
    assert response.redirect_chain == [
        (url("sharpening_detail", tenant_a.organization, expectation_id=expectation.pk), 302)
    ]
    assert "This expectation is not open for suggestions." in response.content.decode()
    assert not Endorsement.objects.exists()


def test_after_the_closing_date_htmx_shows_the_refusal_in_the_support_block(tenant_a, employee):
    response = employee.post(endorse(sharpening(tenant_a, closes_in=-1)), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<ul class="errorlist nonfield" role="alert"><li>This expectation is not open for suggestions.</li></ul>'
        in page
    )
    assert ">Clear to me</button>" not in page
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.DRAFT, Status.RETIRED])
def test_endorsing_an_expectation_not_in_sharpening_is_refused_with_a_message(tenant_a, employee, status):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=status)
    response = employee.post(endorse(expectation), follow=True)
    assert response.redirect_chain == [(url("sharpening_list", tenant_a.organization), 302)]
    assert "This expectation is not open for suggestions." in response.content.decode()
    assert employee.post(endorse(expectation), **HTMX).status_code == 200
    assert not Endorsement.objects.exists()


def test_an_endorsement_of_an_earlier_wording_is_renewed_for_the_current_one(tenant_a, employee):
    expectation = sharpening(tenant_a)
    EndorsementFactory(expectation=expectation, employee=tenant_a.employee, wording_revision=0)
    employee.post(endorse(expectation))
    assert sorted(Endorsement.objects.values_list("wording_revision", flat=True)) == [0, 1]
