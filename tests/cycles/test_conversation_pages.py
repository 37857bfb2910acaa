"""A manager's team grid and one conversation: who sees it (404 otherwise), who acts (403), scheduling, holding."""

import datetime
import html
import re
from datetime import UTC

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles.models import Conversation, ConversationState, CycleStatus
from organizations.models import Role
from tests.cycles.pages import in_english, shown_messages, url
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory

pytestmark = pytest.mark.django_db

D = datetime.date
HTMX = {"HX-Request": "true"}


def conversation_url(name, conversation, conversation_id=None):
    return url(name, conversation.organization, conversation_id=conversation_id or conversation.pk)


def field_error(response, field):
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()) if match else None


def stored(conversation):
    """Everything the conversation pages can write."""
    row = Conversation.objects.get(pk=conversation.pk)
    return (row.state, row.scheduled_at, row.location, row.agreements, row.sequence, row.held_at)


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


@pytest.fixture
def manager(tenant_a, login):
    in_english(tenant_a.manager)
    return login(tenant_a.manager)


def schedule_data(**overrides):
    return {"date": "2027-03-29", "time": "10:00", "location": "Room 4", **overrides}


# --- the team grid -----------------------------------------------------------------------------


class TestTeamGrid:
    def test_another_organisations_member_gets_404(self, tenant_a, tenant_b, login):
        assert login(tenant_b.manager).get(url("team_grid", tenant_a.organization)).status_code == 404

    def test_an_employee_without_the_role_gets_403(self, tenant_a, login):
        assert login(tenant_a.employee).get(url("team_grid", tenant_a.organization)).status_code == 403

    def test_post_is_not_allowed(self, tenant_a, manager):
        assert manager.post(url("team_grid", tenant_a.organization)).status_code == 405

    def test_shows_reports_by_moment_with_state_and_local_time(self, tenant_a, conversation, login):
        other = MomentFactory(cycle=conversation.moment.cycle, name_en="Assessment talk")
        ConversationFactory(moment=other, employee=tenant_a.employee, state=ConversationState.HELD)
        Conversation.objects.filter(pk=conversation.pk).update(
            state=ConversationState.SCHEDULED, scheduled_at=datetime.datetime(2027, 3, 29, 8, 0, tzinfo=UTC)
        )
        in_english(tenant_a.manager)
        with time_machine.travel(datetime.datetime(2027, 3, 1, 12, 0, tzinfo=UTC)):
            response = login(tenant_a.manager).get(url("team_grid", tenant_a.organization))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Progress talk" in body and "Assessment talk" in body
        assert tenant_a.employee.full_name in body
        assert tenant_a.outsider.full_name not in body
        assert "10:00" in body  # 08:00 UTC in Amsterdam summer time
        assert "Scheduled" in body and "Held" in body
        assert conversation_url("conversation_detail", conversation) in body
        assert '<th scope="col">' in body

    def test_an_overdue_conversation_is_highlighted(self, tenant_a, conversation, login):
        in_english(tenant_a.manager)
        with time_machine.travel(datetime.datetime(2027, 5, 15, 12, 0, tzinfo=UTC)):
            body = login(tenant_a.manager).get(url("team_grid", tenant_a.organization)).content.decode()
        assert '<span class="badge badge-bad">Overdue</span>' in body

    def test_another_managers_reports_are_not_shown(self, tenant_a, conversation, login):
        other_manager = EmployeeFactory(organization=tenant_a.organization, role=Role.MANAGER)
        in_english(other_manager)
        body = login(other_manager).get(url("team_grid", tenant_a.organization)).content.decode()
        assert tenant_a.employee.full_name not in body
        assert "Nobody reports to you yet" in body

    def test_empty_without_an_active_cycle(self, tenant_a, manager):
        CycleFactory(organization=tenant_a.organization, status=CycleStatus.DRAFT)
        body = manager.get(url("team_grid", tenant_a.organization)).content.decode()
        assert "There is no active cycle yet" in body

    def test_query_count_does_not_grow_with_the_team(self, tenant_a, cycle, manager):
        moments = [MomentFactory(cycle=cycle) for _ in range(3)]

        reports = [tenant_a.employee]  # has no conversations: an empty cell

        def queries_for(size):
            while len(reports) < size:
                reports.append(EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager))
                for moment in moments:
                    ConversationFactory(moment=moment, employee=reports[-1])
            with CaptureQueriesContext(connection) as queries:
                response = manager.get(url("team_grid", tenant_a.organization))
            assert response.status_code == 200
            assert len(response.context["grids"][0]["rows"]) == size
            return len(queries)

        assert queries_for(3) == queries_for(30)


# --- one conversation --------------------------------------------------------------------------


class TestDetail:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, login):
        assert login(tenant_b.hr).get(conversation_url("conversation_detail", conversation)).status_code == 404

    @pytest.mark.parametrize("conversation_id", ["abc", "99999999999999999999999", "0", "-1"])
    def test_a_malformed_or_unknown_id_gets_404(self, conversation, manager, conversation_id):
        response = manager.get(conversation_url("conversation_detail", conversation, conversation_id))
        assert response.status_code == 404

    def test_another_employee_gets_404(self, tenant_a, conversation, login):
        assert login(tenant_a.outsider).get(conversation_url("conversation_detail", conversation)).status_code == 404

    def test_a_manager_who_is_not_the_persons_manager_gets_404(self, tenant_a, conversation, login):
        other_manager = EmployeeFactory(organization=tenant_a.organization, role=Role.MANAGER)
        response = login(other_manager).get(conversation_url("conversation_detail", conversation))
        assert response.status_code == 404

    def test_post_is_not_allowed(self, conversation, manager):
        assert manager.post(conversation_url("conversation_detail", conversation)).status_code == 405

    def test_the_person_sees_their_own_preparation_and_no_actions(self, tenant_a, conversation, login):
        in_english(tenant_a.employee)
        response = login(tenant_a.employee).get(conversation_url("conversation_detail", conversation))
        body = response.content.decode()
        assert response.status_code == 200
        assert body.count("<h1>") == 1
        assert "Progress talk" in body and "Feedback on behaviour." in body
        assert "Bring two examples." in body
        assert "Read the observations." not in body
        assert conversation_url("conversation_schedule", conversation) not in body
        assert conversation_url("conversation_cancel", conversation) not in body

    def test_the_manager_sees_their_preparation_and_the_forms(self, conversation, manager):
        body = manager.get(conversation_url("conversation_detail", conversation)).content.decode()
        assert "Read the observations." in body
        assert "Bring two examples." not in body
        assert f'hx-post="{conversation_url("conversation_schedule", conversation)}"' in body
        assert conversation_url("conversation_cancel", conversation) in body
        assert conversation_url("conversation_hold", conversation) in body
        assert '<label for="id_time">' in body

    def test_hr_sees_both_preparations_but_no_actions(self, tenant_a, conversation, login):
        in_english(tenant_a.hr)
        body = login(tenant_a.hr).get(conversation_url("conversation_detail", conversation)).content.decode()
        assert "Read the observations." in body and "Bring two examples." in body
        assert conversation_url("conversation_schedule", conversation) not in body

    def test_time_and_agreements_are_shown_in_the_organisations_zone(self, tenant_a, conversation, login):
        Conversation.objects.filter(pk=conversation.pk).update(
            state=ConversationState.HELD,
            scheduled_at=datetime.datetime(2027, 3, 26, 9, 0, tzinfo=UTC),
            location="Room 4",
            agreements="Course in June.",
        )
        in_english(tenant_a.employee)
        body = login(tenant_a.employee).get(conversation_url("conversation_detail", conversation)).content.decode()
        assert "10:00" in body and "Room 4" in body and "Course in June." in body


class TestSchedule:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, login):
        before = stored(conversation)
        response = login(tenant_b.manager).post(
            conversation_url("conversation_schedule", conversation), schedule_data()
        )
        assert response.status_code == 404
        assert stored(conversation) == before

    def test_someone_who_may_not_see_it_gets_404(self, tenant_a, conversation, login):
        response = login(tenant_a.outsider).post(
            conversation_url("conversation_schedule", conversation), schedule_data()
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("role", ["employee", "hr"])
    def test_the_person_and_hr_may_see_but_not_schedule(self, tenant_a, conversation, login, role):
        before = stored(conversation)
        response = login(tenant_a.member(role)).post(
            conversation_url("conversation_schedule", conversation), schedule_data()
        )
        assert response.status_code == 403
        assert stored(conversation) == before

    def test_get_is_not_allowed(self, conversation, manager):
        assert manager.get(conversation_url("conversation_schedule", conversation)).status_code == 405

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
        assert "This date is outside the moment's window (2027-03-01 – 2027-04-30)." in shown_messages(response)
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.SCHEDULED

    def test_with_htmx_only_the_card_comes_back_with_the_warning(self, conversation, manager):
        response = manager.post(
            conversation_url("conversation_schedule", conversation), schedule_data(date="2027-06-01"), headers=HTMX
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "<h1>" not in body
        assert 'id="conversation-card"' in body
        assert "outside the moment&#x27;s window" in body
        assert "Tuesday 1 June 2027, 10:00" in body

    def test_a_time_the_clocks_skip_is_refused_at_the_time_field(self, conversation, manager):
        before = stored(conversation)
        response = manager.post(
            conversation_url("conversation_schedule", conversation), schedule_data(date="2027-03-28", time="02:30")
        )
        assert response.status_code == 200
        assert field_error(response, "time") == (
            "02:30 does not exist on 2027-03-28: the clocks move forward that night. Choose another time."
        )
        assert stored(conversation) == before

    def test_the_refusal_also_comes_back_in_the_card_with_htmx(self, conversation, manager):
        response = manager.post(
            conversation_url("conversation_schedule", conversation),
            schedule_data(date="2027-03-28", time="02:30"),
            headers=HTMX,
        )
        assert response.status_code == 200
        assert "does not exist on 2027-03-28" in response.content.decode()
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
        before = stored(conversation)
        response = manager.post(conversation_url("conversation_schedule", conversation), data)
        assert response.status_code == 200
        assert field_error(response, field) == message
        assert stored(conversation) == before

    def test_rescheduling_raises_the_sequence(self, conversation, manager):
        manager.post(conversation_url("conversation_schedule", conversation), schedule_data())
        manager.post(conversation_url("conversation_schedule", conversation), schedule_data(time="11:00"))
        conversation.refresh_from_db()
        assert conversation.sequence == 1
        assert conversation.scheduled_at == datetime.datetime(2027, 3, 29, 9, 0, tzinfo=UTC)

    def test_a_held_conversation_cannot_be_scheduled(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.HELD)
        before = stored(conversation)
        response = manager.post(conversation_url("conversation_schedule", conversation), schedule_data())
        assert response.status_code == 200
        assert stored(conversation) == before


class TestCancel:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, login):
        assert login(tenant_b.manager).post(conversation_url("conversation_cancel", conversation)).status_code == 404

    @pytest.mark.parametrize("role", ["employee", "hr"])
    def test_only_the_manager_cancels(self, tenant_a, conversation, login, role):
        response = login(tenant_a.member(role)).post(conversation_url("conversation_cancel", conversation))
        assert response.status_code == 403
        assert stored(conversation)[0] == ConversationState.TO_SCHEDULE

    def test_get_is_not_allowed(self, conversation, manager):
        assert manager.get(conversation_url("conversation_cancel", conversation)).status_code == 405

    def test_cancels(self, conversation, manager):
        response = manager.post(conversation_url("conversation_cancel", conversation), follow=True)
        assert shown_messages(response) == ["The conversation has been cancelled."]
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.CANCELLED
        assert conversation.sequence == 1

    def test_a_held_conversation_is_not_cancelled(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.HELD)
        response = manager.post(conversation_url("conversation_cancel", conversation), follow=True)
        assert shown_messages(response) == ["This conversation changed in the meantime; look again."]
        assert stored(conversation)[0] == ConversationState.HELD


class TestHold:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, login):
        assert login(tenant_b.manager).post(conversation_url("conversation_hold", conversation)).status_code == 404

    @pytest.mark.parametrize("role", ["employee", "hr"])
    def test_only_the_manager_marks_it_held(self, tenant_a, conversation, login, role):
        response = login(tenant_a.member(role)).post(
            conversation_url("conversation_hold", conversation), {"agreements": "x"}
        )
        assert response.status_code == 403
        assert stored(conversation)[0] == ConversationState.TO_SCHEDULE

    def test_get_is_not_allowed(self, conversation, manager):
        assert manager.get(conversation_url("conversation_hold", conversation)).status_code == 405

    def test_marks_held_with_the_agreements_both_see(self, tenant_a, conversation, manager, login):
        response = manager.post(
            conversation_url("conversation_hold", conversation), {"agreements": "Course in June."}, follow=True
        )
        assert shown_messages(response) == ["The conversation has been marked as held."]
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.HELD
        assert conversation.agreements == "Course in June."
        body = login(tenant_a.employee).get(conversation_url("conversation_detail", conversation)).content.decode()
        assert "Course in June." in body

    def test_too_long_agreements_are_a_field_error(self, conversation, manager):
        before = stored(conversation)
        response = manager.post(conversation_url("conversation_hold", conversation), {"agreements": "x" * 5001})
        assert field_error(response, "agreements") == "Ensure this value has at most 5000 characters (it has 5001)."
        assert stored(conversation) == before

    def test_a_cancelled_conversation_cannot_be_held(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.CANCELLED)
        response = manager.post(conversation_url("conversation_hold", conversation), {"agreements": "x"}, follow=True)
        assert shown_messages(response) == ["This conversation changed in the meantime; look again."]
        assert stored(conversation)[0] == ConversationState.CANCELLED
        assert stored(conversation)[3] == ""


class TestAgreements:
    def test_another_organisations_member_gets_404(self, tenant_b, conversation, login):
        response = login(tenant_b.manager).post(conversation_url("conversation_agreements", conversation))
        assert response.status_code == 404

    def test_the_person_may_not_edit_them(self, tenant_a, conversation, login):
        response = login(tenant_a.employee).post(
            conversation_url("conversation_agreements", conversation), {"agreements": "mine"}
        )
        assert response.status_code == 403

    def test_get_is_not_allowed(self, conversation, manager):
        assert manager.get(conversation_url("conversation_agreements", conversation)).status_code == 405

    def test_corrects_the_agreements_of_a_held_conversation(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.HELD, agreements="Old")
        response = manager.post(
            conversation_url("conversation_agreements", conversation), {"agreements": "New"}, follow=True
        )
        assert shown_messages(response) == ["The agreements have been saved."]
        assert stored(conversation)[3] == "New"
        assert stored(conversation)[0] == ConversationState.HELD

    def test_a_cancelled_conversations_agreements_are_refused(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.CANCELLED)
        response = manager.post(
            conversation_url("conversation_agreements", conversation), {"agreements": "x"}, follow=True
        )
        assert shown_messages(response) == ["This conversation was cancelled."]
        assert stored(conversation)[3] == ""
