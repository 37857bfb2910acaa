"""Links about a person on their page (organizations.extensions, filled by reviews.views_coverage): their
observations and recording one, shown exactly to those the observations' rules let through."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations import extensions
from organizations.models import Role
from tests.factories import EmployeeFactory
from tests.kit import client_for, url

pytestmark = pytest.mark.django_db


def detail(person):
    return url("organizations:person_detail", person.organization, employee_id=person.pk)


def links_on(client, person):
    response = client.get(detail(person))
    assert response.status_code == 200
    # pay adds its own links (tests/pay/test_mine_page.py); these are the observations' links.
    return {link.label: link.url for link in response.context["links"] if "/pay/" not in link.url}


def observations_of(person):
    return url("reviews:person_observations", person.organization, employee_id=person.pk)


def record_about(person):
    return url("reviews:observation_create", person.organization, employee_id=person.pk)


def ask_about(person):
    return url("reviews:request_create", person.organization, employee_id=person.pk)


def test_a_manager_sees_both_links_on_a_reports_page(tenant_a, manager):
    eva = tenant_a.employee
    assert links_on(manager, eva) == {
        "Observations": observations_of(eva),
        "Record an observation": record_about(eva),
        "Ask a colleague for an observation": ask_about(eva),
    }
    page = manager.get(detail(eva)).content.decode()
    assert f'href="{observations_of(eva)}"' in page and f'href="{record_about(eva)}"' in page
    assert "More about Eva" in page


def test_hr_sees_both_links_on_anyones_page(tenant_a, hr):
    olaf = tenant_a.outsider
    assert links_on(hr, olaf) == {
        "Observations": observations_of(olaf),
        "Record an observation": record_about(olaf),
        "Ask a colleague for an observation": ask_about(olaf),
    }


def test_the_person_is_offered_what_was_seen_on_their_own_page(tenant_a, employee):
    assert links_on(employee, tenant_a.employee) == {
        "What was seen": url("reviews:what_was_seen", tenant_a.organization)
    }


def test_a_managers_own_manager_sees_the_links_on_their_page(tenant_a):
    boss = EmployeeFactory(organization=tenant_a.organization, role=Role.MANAGER)
    tenant_a.manager.manager = boss
    tenant_a.manager.save(update_fields=["manager"])
    assert links_on(client_for(boss), tenant_a.manager) == {
        "Observations": observations_of(tenant_a.manager),
        "Record an observation": record_about(tenant_a.manager),
        "Ask a colleague for an observation": ask_about(tenant_a.manager),
    }


def test_nobody_is_offered_to_record_about_a_deactivated_person(tenant_a, hr):
    gone = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager, is_active=False)
    assert links_on(hr, gone) == {"Observations": observations_of(gone)}


def test_the_links_cost_at_most_the_pay_settings_query(tenant_a, manager):
    manager.get(detail(tenant_a.employee))
    with CaptureQueriesContext(connection) as with_links:
        manager.get(detail(tenant_a.employee))
    saved, extensions._providers[:] = list(extensions._providers), []
    try:
        with CaptureQueriesContext(connection) as without:
            manager.get(detail(tenant_a.employee))
    finally:
        extensions._providers[:] = saved
    # reviews' links cost nothing; pay's link for a manager reads whether the organisation lets managers see their
    # reports' figures (pay.rules.organization_lets_managers_see): one query.
    assert len(with_links) <= len(without) + 1
