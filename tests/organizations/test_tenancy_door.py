"""The door to /o/<slug>/: who gets in, and what the rest of the request sees."""

import datetime

import pytest
from django.urls import reverse

from organizations import services
from tests.factories import EmployeeFactory, OrganizationFactory
from tests.kit import assert_other_organisation_gets_404, assert_refused, client_for, url

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_the_login_page_and_back(client, tenant_a):
    home = url("organizations:home", tenant_a.organization)
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={home}"


def test_a_member_of_another_organisation_gets_the_same_404_as_for_an_unknown_organisation(client, stranger, tenant_a):
    other = assert_other_organisation_gets_404(client, stranger, url("organizations:home", tenant_a.organization))
    unknown = client.get("/o/does-not-exist/")
    assert unknown.status_code == 404
    assert tenant_a.organization.name not in other.content.decode()


def test_a_deactivated_member_gets_404(client, tenant_a):
    services.person_deactivate(employee=tenant_a.employee, actor=tenant_a.hr)
    tenant_a.employee.user.refresh_from_db()
    tenant_a.employee.user.is_active = True  # a consultant whose login still works elsewhere
    tenant_a.employee.user.save(update_fields=["is_active"])
    # Still a row in Alfa's people, so not "another organisation": the door refuses the closed membership.
    assert_refused(client, tenant_a.employee, url("organizations:home", tenant_a.organization), 404)


def test_home_shows_the_employee_their_manager(tenant_a, employee):
    response = employee.get(url("organizations:home", tenant_a.organization))
    assert response.status_code == 200
    assert tenant_a.manager.full_name in response.content.decode()


def test_pages_show_times_in_the_organisations_time_zone(tenant_a):
    organization = OrganizationFactory(slug="new-york", time_zone="America/New_York", language="en")
    hr = EmployeeFactory(organization=organization, hr=True)
    person = EmployeeFactory(organization=organization, is_active=False)
    # 03:00 on 1 January in UTC is still 31 December in New York.
    person.deactivated_at = datetime.datetime(2027, 1, 1, 3, 0, tzinfo=datetime.UTC)
    person.save(update_fields=["deactivated_at"])
    page = url("organizations:person_detail", organization, employee_id=person.pk)
    response = client_for(hr, language=None).get(page)  # Hanna never chose: the organisation's English
    assert response.status_code == 200
    assert "31 December 2026" in response.content.decode()
