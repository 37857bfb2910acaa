"""Deactivating a person and deleting a team ask first, on a page saying what will happen to whom, with counts.

The first click (a GET, or the POST of the button on the person's or the team's page) changes nothing; only a POST
with ``confirm=yes`` acts; a crafted POST without it changes nothing. The counts come from organizations and from
the apps above it (cycles, expectations), in a fixed number of queries.
"""

import html

import pytest

from cycles import services as calendar
from cycles.models import ConversationState, CycleStatus, ReminderStatus
from expectations.models import Status
from organizations.models import Employee, Team
from tests.cycles.test_reminder_pages import make_reminder
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, ExpectationFactory, MomentFactory
from tests.kit import (
    assert_flat_queries,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

CONFIRM = {"confirm": "yes"}


def deactivate(person):
    return url("organizations:person_deactivate", person.organization, employee_id=person.pk)


def delete(team):
    return url("organizations:team_delete", team.organization, team_id=team.pk)


def text(response):
    """The page as a person reads it: entities unescaped, so a name like 's Gravensande reads as written."""
    return html.unescape(response.content.decode())


@pytest.fixture
def active_cycle(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    calendar.reminder_rules_default(cycle=cycle)
    MomentFactory(cycle=cycle)
    return cycle


# --- deactivating a person ----------------------------------------------------------------------------------------


class TestDeactivatingAsksFirst:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_the_first_click_changes_nothing_and_says_what_happens_to_whom(self, tenant_a, hr, active_cycle, method):
        mark = tenant_a.manager
        moment = active_cycle.moments.get()
        ConversationFactory(moment=moment, employee=mark)
        ConversationFactory(moment=MomentFactory(cycle=active_cycle), employee=mark, state=ConversationState.HELD)
        rule = active_cycle.reminder_rules.first()
        make_reminder(rule, mark, status=ReminderStatus.PLANNED, moment=moment)
        calendar.feed_for(employee=mark)
        EmployeeFactory(organization=tenant_a.organization, manager=mark, first_name="Wim", is_active=False)
        with assert_nothing_changes():
            response = getattr(hr, method)(deactivate(mark))
        assert response.status_code == 200
        page, name = text(response), mark.full_name
        assert f"Deactivate {name}" in page
        assert f"{name} loses access to this organisation at once" in page
        assert f"{name} has 1 open conversation in an active cycle; it is kept, but no reminders go out" in page
        assert f"1 planned reminder to {name} will not be sent." in page
        assert f"The calendar address of {name} stops working for good" in page
        # Only the active report counts; they keep Mark as their manager (the service does not touch them).
        assert f"1 person reports to {name}. They keep {name} as their manager until you choose another" in page
        assert tenant_a.employee.full_name in page and "Wim" not in page
        assert 'name="confirm" value="yes"' in page

    def test_someone_without_conversations_reports_or_calendar_is_told_so(self, tenant_a, hr):
        page = text(hr.get(deactivate(tenant_a.outsider)))
        name = tenant_a.outsider.full_name
        assert f"{name} has no open conversations in an active cycle." in page
        assert "reports to" not in page and "calendar address" not in page

    def test_a_crafted_post_without_the_confirmation_changes_nothing(self, tenant_a, hr):
        with assert_nothing_changes():
            hr.post(deactivate(tenant_a.employee), {"confirm": "no"})
        assert Employee.objects.get(pk=tenant_a.employee.pk).is_active

    def test_the_confirmed_post_deactivates(self, tenant_a, hr):
        response = hr.post(deactivate(tenant_a.employee), CONFIRM, follow=True)
        assert not Employee.objects.get(pk=tenant_a.employee.pk).is_active
        assert shown_messages(response) == [
            f"{tenant_a.employee.full_name} has been deactivated and no longer has access to this organisation. "
            "Their history is kept."
        ]

    def test_the_first_click_on_oneself_is_refused_at_once(self, tenant_a, hr):
        with assert_nothing_changes():
            response = hr.get(deactivate(tenant_a.hr), follow=True)
        assert shown_messages(response) == ["You cannot deactivate yourself; ask another HR admin."]

    def test_someone_already_deactivated_gets_no_confirmation(self, tenant_a, hr):
        hr.post(deactivate(tenant_a.outsider), CONFIRM, follow=True)  # its message is shown here
        with assert_nothing_changes():
            response = hr.get(deactivate(tenant_a.outsider), follow=True)
        assert shown_messages(response) == [f"{tenant_a.outsider.full_name} has already been deactivated."]

    @pytest.mark.parametrize("role", ["manager", "employee"])
    def test_a_member_without_the_hr_role_gets_403(self, client, tenant_a, role):
        assert_role_forbidden(client, tenant_a.member(role), deactivate(tenant_a.outsider))

    def test_another_organisations_hr_gets_404(self, client, tenant_a, stranger):
        assert_other_organisation_gets_404(client, stranger, deactivate(tenant_a.employee))

    def test_the_page_asks_as_many_queries_for_40_reports_as_for_2(self, tenant_a, hr, active_cycle):
        boss = EmployeeFactory(organization=tenant_a.organization)
        moment = active_cycle.moments.get()

        def build(numbers):
            for _number in numbers:
                EmployeeFactory(organization=tenant_a.organization, manager=boss)
                ConversationFactory(moment=MomentFactory(cycle=active_cycle), employee=boss)
            make_reminder(active_cycle.reminder_rules.first(), boss, status=ReminderStatus.PLANNED, moment=moment)

        response = assert_flat_queries(lambda: hr.get(deactivate(boss)), build)
        assert "40 people report to" in text(response) and "and 20 more" in text(response)


# --- deleting a team ----------------------------------------------------------------------------------------------


class TestDeletingATeamAsksFirst:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_the_first_click_changes_nothing_and_counts_members_expectations_and_cycles(self, tenant_a, hr, method):
        team, other = tenant_a.team, Team.objects.create(organization=tenant_a.organization, name="Sales")
        ExpectationFactory(organization=tenant_a.organization, teams=[team])
        ExpectationFactory(organization=tenant_a.organization, teams=[team, other])
        ExpectationFactory(organization=tenant_a.organization, teams=[team], status=Status.RETIRED)
        ExpectationFactory(organization=tenant_a.organization, teams=[other])
        CycleFactory(organization=tenant_a.organization, teams=[team])
        with assert_nothing_changes():
            response = getattr(hr, method)(delete(team))
        assert response.status_code == 200
        page = text(response)
        assert "Delete team Klantenservice" in page
        assert "2 members of Klantenservice lose their team; they stay in the organisation, without a team." in page
        assert tenant_a.manager.full_name in page and tenant_a.employee.full_name in page
        assert "2 expectations are aimed at this team; the team is taken off them" in page
        assert "1 of them is aimed at this team only and then applies to nobody." in page
        assert "1 cycle is for this team; the team is taken off it" in page
        assert "1 of them is for this team only and then has nobody in its scope." in page

    def test_a_team_without_members_or_audience_says_so(self, tenant_a, hr):
        team = Team.objects.create(organization=tenant_a.organization, name="Leeg")
        points = hr.get(delete(team)).context["points"]
        assert points == [
            "Team Leeg has no members.",
            "This cannot be undone; a new team with the same name is a new team.",
        ]

    def test_a_crafted_post_without_the_confirmation_changes_nothing(self, tenant_a, hr):
        with assert_nothing_changes():
            hr.post(delete(tenant_a.team))
        assert Team.objects.filter(pk=tenant_a.team.pk).exists()

    def test_the_confirmed_post_deletes(self, tenant_a, hr):
        response = hr.post(delete(tenant_a.team), CONFIRM, follow=True)
        assert not Team.objects.filter(pk=tenant_a.team.pk).exists()
        done = "Team Klantenservice has been deleted; its 2 members no longer have a team."
        assert shown_messages(response) == [done]

    @pytest.mark.parametrize("role", ["manager", "employee"])
    def test_a_member_without_the_hr_role_gets_403(self, client, tenant_a, role):
        assert_role_forbidden(client, tenant_a.member(role), delete(tenant_a.team))

    def test_another_organisations_hr_gets_404(self, client, tenant_a, stranger):
        assert_other_organisation_gets_404(client, stranger, delete(tenant_a.team))

    def test_the_page_asks_as_many_queries_for_40_members_as_for_2(self, tenant_a, hr):
        def build(numbers):
            for _number in numbers:
                EmployeeFactory(organization=tenant_a.organization, team=tenant_a.team)
                ExpectationFactory(organization=tenant_a.organization, teams=[tenant_a.team])
                CycleFactory(organization=tenant_a.organization, teams=[tenant_a.team])

        response = assert_flat_queries(lambda: hr.get(delete(tenant_a.team)), build)
        assert "42 members of Klantenservice lose their team" in text(response)
