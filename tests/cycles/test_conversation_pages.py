"""A manager's team grid and one conversation: who sees it (404 otherwise), who acts (403), scheduling, holding."""

import datetime
from datetime import UTC

import pytest
import time_machine

from cycles.models import Conversation, ConversationState, CycleStatus
from organizations.models import Role
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    client_for,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

D = datetime.date
HTMX = {"HX-Request": "true"}
IN_THE_CYCLE = datetime.datetime(2027, 3, 30, 12, 0, tzinfo=UTC)


def conversation_url(name, conversation, conversation_id=None):
    return url(f"cycles:{name}", conversation.organization, conversation_id=conversation_id or conversation.pk)


def team_grid(tenant):
    return url("cycles:team_grid", tenant.organization)


def stored(conversation):
    """The conversation as it is in the database now."""
    return Conversation.objects.get(pk=conversation.pk)


@pytest.fixture
def cycle(tenant_a):
    return CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)


@pytest.fixture
def conversation(tenant_a, cycle):
    moment = MomentFactory(
        cycle=cycle,
        name_en="Progress talk",
        purpose_en="Feedback on behaviour.",
        preparation_employee_en="Bring two examples.",
        preparation_manager_en="Read the observations.",
        opens_on=D(2027, 3, 1),
        closes_on=D(2027, 4, 30),
    )
    return ConversationFactory(moment=moment, employee=tenant_a.employee)


def schedule_data(**overrides):
    return {"date": "2027-03-29", "time": "10:00", "location": "Room 4", **overrides}


# --- the team grid -----------------------------------------------------------------------------


class TestTeamGrid:
    def test_another_organisations_member_gets_404(self, tenant_a, tenant_b, client):
        assert_other_organisation_gets_404(client, tenant_b.manager, team_grid(tenant_a))

    def test_an_employee_without_the_role_gets_403(self, tenant_a, client):
        assert_role_forbidden(client, tenant_a.employee, team_grid(tenant_a))

    def test_post_is_not_allowed(self, tenant_a, manager):
        assert_method_not_allowed(manager, team_grid(tenant_a), "post")

    def test_shows_reports_by_moment_with_state_and_local_time(self, tenant_a, conversation):
        other = MomentFactory(cycle=conversation.moment.cycle, name_en="Assessment talk")
        ConversationFactory(moment=other, employee=tenant_a.employee, state=ConversationState.HELD)
        Conversation.objects.filter(pk=conversation.pk).update(
            state=ConversationState.SCHEDULED, scheduled_at=datetime.datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
        )
        with time_machine.travel(datetime.datetime(2027, 3, 1, 12, 0, tzinfo=UTC)):
            response = client_for(tenant_a.manager).get(team_grid(tenant_a))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Progress talk" in body and "Assessment talk" in body
        assert tenant_a.employee.full_name in body
        assert tenant_a.outsider.full_name not in body
        assert "10:00" in body  # 08:00 UTC in Amsterdam summer time
        assert "Scheduled" in body and "Held" in body
        assert conversation_url("conversation_detail", conversation) in body
        assert '<th scope="col">' in body

    def test_an_overdue_conversation_is_highlighted(self, tenant_a, conversation):
        with time_machine.travel(datetime.datetime(2027, 5, 15, 12, 0, tzinfo=UTC)):
            body = client_for(tenant_a.manager).get(team_grid(tenant_a)).content.decode()
        assert '<span class="badge badge-bad">Overdue</span>' in body

    def test_another_managers_reports_are_not_shown(self, tenant_a, conversation):
        other_manager = EmployeeFactory(organization=tenant_a.organization, role=Role.MANAGER)
        body = client_for(other_manager).get(team_grid(tenant_a)).content.decode()
        assert tenant_a.employee.full_name not in body
        assert "Nobody reports to you yet" in body

    def test_empty_without_an_active_cycle(self, tenant_a, manager):
        CycleFactory(organization=tenant_a.organization, status=CycleStatus.DRAFT)
        body = manager.get(team_grid(tenant_a)).content.decode()
        assert "There is no active cycle yet" in body

    def test_query_count_does_not_grow_with_the_team(self, tenant_a, cycle, manager):
        moments = [MomentFactory(cycle=cycle) for _ in range(3)]

        def add_reports(numbers):
            for _ in numbers:
                report = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager)
                for moment in moments:
                    ConversationFactory(moment=moment, employee=report)

        # Eva reports to Mark too, without conversations: an empty cell in every row count.
        response = assert_flat_queries(lambda: manager.get(team_grid(tenant_a)), add_reports, few=2, many=29)
        assert len(response.context["grids"][0]["rows"]) == 30


# --- one conversation --------------------------------------------------------------------------


class TestDetail:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, client):
        assert_other_organisation_gets_404(client, tenant_b.hr, conversation_url("conversation_detail", conversation))

    @pytest.mark.parametrize("conversation_id", ["abc", "99999999999999999999999", "0", "-1"])
    def test_a_malformed_or_unknown_id_gets_404(self, conversation, manager, conversation_id):
        response = manager.get(conversation_url("conversation_detail", conversation, conversation_id))
        assert response.status_code == 404

    def test_another_employee_gets_404(self, tenant_a, conversation, client):
        assert_refused(client, tenant_a.outsider, conversation_url("conversation_detail", conversation), 404)

    def test_a_manager_who_is_not_the_persons_manager_gets_404(self, tenant_a, conversation, client):
        other_manager = EmployeeFactory(organization=tenant_a.organization, role=Role.MANAGER)
        assert_refused(client, other_manager, conversation_url("conversation_detail", conversation), 404)

    def test_post_is_not_allowed(self, conversation, manager):
        assert_method_not_allowed(manager, conversation_url("conversation_detail", conversation), "post")

    def test_the_person_sees_their_own_preparation_and_no_actions(self, conversation, employee):
        response = employee.get(conversation_url("conversation_detail", conversation))
        body = response.content.decode()
        assert response.status_code == 200
        assert body.count("<h1>") == 1
        assert "Progress talk" in body and "Feedback on behaviour." in body
        assert "Bring two examples." in body
        assert "Read the observations." not in body
        assert conversation_url("conversation_schedule", conversation) not in body
        assert conversation_url("conversation_cancel", conversation) not in body

    def test_the_manager_sees_their_preparation_and_the_forms(self, tenant_a, conversation):
        with time_machine.travel(IN_THE_CYCLE):  # before its cycle starts, an unscheduled one is not held yet
            body = client_for(tenant_a.manager).get(conversation_url("conversation_detail", conversation)).content
        body = body.decode()
        assert "Read the observations." in body
        assert "Bring two examples." not in body
        assert f'hx-post="{conversation_url("conversation_schedule", conversation)}"' in body
        assert conversation_url("conversation_cancel", conversation) in body
        assert conversation_url("conversation_hold", conversation) in body
        assert '<label for="id_time">' in body

    def test_hr_sees_both_preparations_but_no_actions(self, conversation, hr):
        body = hr.get(conversation_url("conversation_detail", conversation)).content.decode()
        assert "Read the observations." in body and "Bring two examples." in body
        assert conversation_url("conversation_schedule", conversation) not in body

    def test_time_and_agreements_are_shown_in_the_organisations_zone(self, conversation, employee):
        Conversation.objects.filter(pk=conversation.pk).update(
            state=ConversationState.HELD,
            scheduled_at=datetime.datetime(2027, 3, 26, 9, 0, tzinfo=UTC),
            location="Room 4",
            agreements="Course in June.",
        )
        body = employee.get(conversation_url("conversation_detail", conversation)).content.decode()
        assert "10:00" in body and "Room 4" in body and "Course in June." in body


class TestSchedule:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, client):
        page = conversation_url("conversation_schedule", conversation)
        assert_other_organisation_gets_404(client, tenant_b.manager, page, "post", schedule_data())

    def test_someone_who_may_not_see_it_gets_404(self, tenant_a, conversation, client):
        page = conversation_url("conversation_schedule", conversation)
        assert_refused(client, tenant_a.outsider, page, 404, "post", schedule_data())

    @pytest.mark.parametrize("role", ["employee", "hr"])
    def test_the_person_and_hr_may_see_but_not_schedule(self, tenant_a, conversation, client, role):
        page = conversation_url("conversation_schedule", conversation)
        assert_role_forbidden(client, tenant_a.member(role), page, "post", schedule_data())

    def test_get_is_not_allowed(self, conversation, manager):
        assert_method_not_allowed(manager, conversation_url("conversation_schedule", conversation), "get")

    def test_schedules_in_the_organisations_zone_and_redirects(self, conversation, manager):
        response = manager.post(conversation_url("conversation_schedule", conversation), schedule_data(), follow=True)
        assert response.redirect_chain == [(conversation_url("conversation_detail", conversation), 302)]
        assert shown_messages(response) == ["The conversation has been scheduled."]
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.SCHEDULED
        assert conversation.scheduled_at == datetime.datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
        assert conversation.location == "Room 4"
        assert conversation.agreements == ""

    def test_before_the_change_ten_oclock_is_nine_utc(self, conversation, manager):
        manager.post(conversation_url("conversation_schedule", conversation), schedule_data(date="2027-03-26"))
        conversation.refresh_from_db()
        assert conversation.scheduled_at == datetime.datetime(2027, 3, 26, 9, 0, tzinfo=UTC)

    def test_outside_the_window_is_saved_with_a_warning(self, conversation, manager):
        response = manager.post(
            conversation_url("conversation_schedule", conversation), schedule_data(date="2027-06-01"), follow=True
        )
        assert "This date is outside the moment's window (1 March 2027 – 30 April 2027)." in shown_messages(response)
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.SCHEDULED

    def test_with_htmx_the_whole_page_loads_again_with_the_warning(self, conversation, manager):
        """A new date changes the page's heading and whether it may be marked held, not only the card."""
        address = conversation_url("conversation_schedule", conversation)
        response = manager.post(address, schedule_data(date="2027-06-01"), headers=HTMX)
        assert response.status_code == 200
        assert response.headers["HX-Redirect"] == conversation_url("conversation_detail", conversation)
        page = manager.get(response.headers["HX-Redirect"]).content.decode()
        assert "outside the moment&#x27;s window" in page
        assert "Tuesday 1 June 2027, 10:00" in page

    def test_a_time_the_clocks_skip_is_refused_at_the_time_field(self, conversation, manager):
        with assert_nothing_changes():
            response = manager.post(
                conversation_url("conversation_schedule", conversation), schedule_data(date="2027-03-28", time="02:30")
            )
        assert response.status_code == 200
        assert field_error(response, "time") == (
            "02:30 does not exist on 28 March 2027: the clocks move forward that night. Choose another time."
        )

    def test_the_refusal_also_comes_back_in_the_card_with_htmx(self, conversation, manager):
        response = manager.post(
            conversation_url("conversation_schedule", conversation),
            schedule_data(date="2027-03-28", time="02:30"),
            headers=HTMX,
        )
        assert response.status_code == 200
        assert "does not exist on 28 March 2027" in field_error(response, "time")
        assert "<h1>" not in response.content.decode()

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            (schedule_data(date="2027-02-30"), "date", "Enter a valid date."),
            (schedule_data(date="not a date"), "date", "Enter a valid date."),
            (schedule_data(date=""), "date", "This field is required."),
            (schedule_data(time="25:00"), "time", "Enter a valid time."),
            (schedule_data(time="\x00"), "time", "Enter a valid time."),
            (
                schedule_data(location="x" * 301),
                "location",
                "Ensure this value has at most 300 characters (it has 301).",
            ),
        ],
    )
    def test_bad_input_is_a_field_error_and_nothing_is_saved(self, conversation, manager, data, field, message):
        with assert_nothing_changes():
            response = manager.post(conversation_url("conversation_schedule", conversation), data)
        assert response.status_code == 200
        assert field_error(response, field) == message

    def test_rescheduling_raises_the_sequence(self, conversation, manager):
        manager.post(conversation_url("conversation_schedule", conversation), schedule_data())
        manager.post(conversation_url("conversation_schedule", conversation), schedule_data(time="11:00"))
        conversation.refresh_from_db()
        assert conversation.sequence == 1
        assert conversation.scheduled_at == datetime.datetime(2027, 3, 29, 9, 0, tzinfo=UTC)

    def test_a_held_conversation_cannot_be_scheduled(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.HELD)
        with assert_nothing_changes():
            response = manager.post(conversation_url("conversation_schedule", conversation), schedule_data())
        assert response.status_code == 200


class TestCancel:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, client):
        page = conversation_url("conversation_cancel", conversation)
        assert_other_organisation_gets_404(client, tenant_b.manager, page, "post")

    @pytest.mark.parametrize("role", ["employee", "hr"])
    def test_only_the_manager_cancels(self, tenant_a, conversation, client, role):
        assert_role_forbidden(
            client, tenant_a.member(role), conversation_url("conversation_cancel", conversation), "post"
        )

    def test_put_is_not_allowed(self, conversation, manager):
        assert_method_not_allowed(manager, conversation_url("conversation_cancel", conversation), "put")

    def test_cancels_once_confirmed(self, conversation, manager):
        response = manager.post(conversation_url("conversation_cancel", conversation), {"confirm": "yes"}, follow=True)
        assert shown_messages(response) == ["The conversation has been cancelled."]
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.CANCELLED
        assert conversation.sequence == 1

    def test_a_held_conversation_is_not_cancelled(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.HELD)
        with assert_nothing_changes():
            response = manager.post(
                conversation_url("conversation_cancel", conversation), {"confirm": "yes"}, follow=True
            )
        assert shown_messages(response) == ["This conversation changed in the meantime; look again."]
        assert stored(conversation).state == ConversationState.HELD


class TestHold:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, client):
        page = conversation_url("conversation_hold", conversation)
        assert_other_organisation_gets_404(client, tenant_b.manager, page, "post")

    @pytest.mark.parametrize("role", ["employee", "hr"])
    def test_only_the_manager_marks_it_held(self, tenant_a, conversation, client, role):
        page = conversation_url("conversation_hold", conversation)
        assert_role_forbidden(client, tenant_a.member(role), page, "post", {"agreements": "x"})

    def test_put_is_not_allowed(self, conversation, manager):
        assert_method_not_allowed(manager, conversation_url("conversation_hold", conversation), "put")

    def test_marks_held_with_the_agreements_both_see(self, tenant_a, conversation, employee):
        with time_machine.travel(IN_THE_CYCLE):  # never scheduled: the step asks when it took place
            response = client_for(tenant_a.manager).post(
                conversation_url("conversation_hold", conversation),
                {"date": "2027-03-29", "time": "10:00", "agreements": "Course in June.", "confirm": "yes"},
                follow=True,
            )
        assert shown_messages(response) == ["The conversation has been marked as held."]
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.HELD
        assert conversation.agreements == "Course in June."
        body = employee.get(conversation_url("conversation_detail", conversation)).content.decode()
        assert "Course in June." in body

    def test_too_long_agreements_are_a_field_error(self, tenant_a, conversation):
        data = {"date": "2027-03-29", "time": "10:00", "agreements": "x" * 5001, "confirm": "yes"}
        with time_machine.travel(IN_THE_CYCLE):
            manager = client_for(tenant_a.manager)
            with assert_nothing_changes():
                response = manager.post(conversation_url("conversation_hold", conversation), data)
        assert field_error(response, "agreements") == "Ensure this value has at most 5000 characters (it has 5001)."

    def test_a_cancelled_conversation_cannot_be_held(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.CANCELLED)
        with assert_nothing_changes():
            response = manager.post(
                conversation_url("conversation_hold", conversation), {"agreements": "x", "confirm": "yes"}, follow=True
            )
        assert shown_messages(response) == ["This conversation changed in the meantime; look again."]
        assert (stored(conversation).state, stored(conversation).agreements) == (ConversationState.CANCELLED, "")


class TestAgreements:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, client):
        page = conversation_url("conversation_agreements", conversation)
        assert_other_organisation_gets_404(client, tenant_b.manager, page, "post")

    def test_the_person_may_not_edit_them(self, tenant_a, conversation, client):
        page = conversation_url("conversation_agreements", conversation)
        assert_role_forbidden(client, tenant_a.employee, page, "post", {"agreements": "mine"})

    def test_get_is_not_allowed(self, conversation, manager):
        assert_method_not_allowed(manager, conversation_url("conversation_agreements", conversation), "get")

    def test_corrects_the_agreements_of_a_held_conversation(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.HELD, agreements="Old")
        response = manager.post(
            conversation_url("conversation_agreements", conversation), {"agreements": "New"}, follow=True
        )
        assert shown_messages(response) == ["The agreements have been saved."]
        assert (stored(conversation).agreements, stored(conversation).state) == ("New", ConversationState.HELD)

    def test_a_cancelled_conversations_agreements_are_refused(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.CANCELLED)
        with assert_nothing_changes():
            response = manager.post(
                conversation_url("conversation_agreements", conversation), {"agreements": "x"}, follow=True
            )
        assert shown_messages(response) == ["This conversation was cancelled."]
        assert stored(conversation).agreements == ""
