"""The home page of the organisation area (home.views.home): what each role sees, and the next conversation."""

import datetime

import pytest
import time_machine

from cycles import services
from cycles.models import CycleStatus
from organizations.models import Role
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import assert_method_not_allowed, assert_other_organisation_gets_404, client_for, url

pytestmark = pytest.mark.django_db


def home(organization):
    # The page belongs to the home app but keeps its old name, so bookmarks and every reverse still work.
    return url("organizations:home", organization)


def test_an_employee_sees_their_job_title_team_and_manager_but_no_reports_or_numbers(tenant_a, employee):
    response = employee.get(home(tenant_a.organization))
    assert response.status_code == 200
    page = response.content.decode()
    assert tenant_a.employee.job_title in page
    assert tenant_a.team.name in page
    assert tenant_a.manager.full_name in page
    assert "People who report to you" not in page
    assert "Organisation overview" not in page


def test_a_manager_sees_their_active_direct_reports_only(tenant_a, manager):
    gone = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager, is_active=False)
    indirect = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.employee)
    page = manager.get(home(tenant_a.organization)).content.decode()
    assert "People who report to you" in page
    assert url("organizations:person_detail", tenant_a.organization, employee_id=tenant_a.employee.pk) in page
    assert gone.full_name not in page
    assert indirect.full_name not in page
    assert "Organisation overview" not in page


def test_a_manager_without_reports_is_told_nobody_reports_to_them(tenant_a, manager):
    tenant_a.employee.manager = None
    tenant_a.employee.save(update_fields=["manager"])
    assert "Nobody reports to you yet." in manager.get(home(tenant_a.organization)).content.decode()


def test_an_hr_admin_sees_the_organisations_numbers(tenant_a, hr):
    EmployeeFactory(organization=tenant_a.organization, is_active=False)
    response = hr.get(home(tenant_a.organization))
    # hr, manager, employee and outsider are active; one is deactivated.
    assert response.context["counts"] == {"active": 4, "inactive": 1, "managers": 1, "without_manager": 3, "teams": 1}
    assert "Organisation overview" in response.content.decode()


def test_the_navigation_offers_people_and_teams_to_hr_only(tenant_a, hr, manager, employee):
    people = f'href="{url("organizations:people_list", tenant_a.organization)}"'
    assert people in hr.get(home(tenant_a.organization)).content.decode()
    for member in (manager, employee):
        assert people not in member.get(home(tenant_a.organization)).content.decode()


def test_a_member_of_another_organisation_gets_404(client, tenant_a, tenant_b):
    for role in ("hr", "manager", "employee"):
        assert_other_organisation_gets_404(client, tenant_b.member(role), home(tenant_a.organization))


def test_home_answers_only_get(tenant_a, employee):
    assert_method_not_allowed(employee, home(tenant_a.organization), ["post", "put", "delete"])


def test_every_role_may_open_home(tenant_a):
    for role in Role:
        member = EmployeeFactory(organization=tenant_a.organization, role=role)
        assert client_for(member).get(home(tenant_a.organization)).status_code == 200


@time_machine.travel(datetime.datetime(2027, 6, 10, 12, tzinfo=datetime.UTC))
def test_home_shows_the_next_scheduled_conversation_with_its_purpose(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    conversation = ConversationFactory(moment=MomentFactory(cycle=cycle), employee=tenant_a.employee)
    services.conversation_schedule(
        conversation=conversation, day=datetime.date(2027, 6, 15), at=datetime.time(10, 0), location="Kamer 2"
    )
    # In Dutch, the language the moment's purpose is written in.
    page = client_for(tenant_a.employee, language="nl").get(home(tenant_a.organization)).content.decode()
    assert "Feedback op gedrag en bijsturen." in page
    assert "10:00" in page and "Kamer 2" in page


def test_home_says_so_when_no_conversation_is_planned(tenant_a, employee):
    response = employee.get(home(tenant_a.organization))
    assert response.status_code == 200
    assert response.context["next_conversation"] is None
    assert "No conversation is planned for you in an active cycle." in response.content.decode()


def test_another_persons_conversation_never_shows_on_my_home(tenant_a, employee):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    ConversationFactory(moment=MomentFactory(cycle=cycle), employee=tenant_a.outsider)
    assert employee.get(home(tenant_a.organization)).context["next_conversation"] is None
