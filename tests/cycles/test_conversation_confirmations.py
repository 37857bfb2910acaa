"""Cancelling and marking held ask first, on a page of their own; a cancelled conversation can be restored while
its window is open; a conversation scheduled for a time to come is not marked held."""

import datetime
import html

import pytest
from django.contrib.contenttypes.models import ContentType

from cycles import services
from cycles.models import Conversation, ConversationState, CycleStatus, PlanRequest
from organizations.audit_models import AuditEntry
from tests.factories import ConversationFactory, CycleFactory, MomentFactory, ObservationFactory
from tests.kit import (
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    shown_messages,
    url,
    utc,
)

pytestmark = pytest.mark.django_db

D = datetime.date
# Before the window of the moment below (1 March – 30 April 2027), and after it.
BEFORE = datetime.datetime(2027, 2, 1, 9, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2027, 5, 3, 9, tzinfo=datetime.UTC)


def page(name, conversation):
    return url(f"cycles:{name}", conversation.organization, conversation_id=conversation.pk)


def stored(conversation):
    return Conversation.objects.get(pk=conversation.pk)


def body(response):
    """The page as a person reads it: entities unescaped, so a name like 's Gravensande reads as written."""
    return html.unescape(response.content.decode())


@pytest.fixture
def conversation(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, name_en="Progress talk", opens_on=D(2027, 3, 1), closes_on=D(2027, 4, 30))
    return ConversationFactory(moment=moment, employee=tenant_a.employee)


@pytest.fixture
def scheduled(conversation):
    """Scheduled for 15 March 2027, 10:00 in Amsterdam."""
    Conversation.objects.filter(pk=conversation.pk).update(
        state=ConversationState.SCHEDULED, scheduled_at=utc(2027, 3, 15, 9)
    )
    return stored(conversation)


@pytest.fixture
def cancelled(scheduled):
    services.conversation_cancel(conversation=scheduled)
    return stored(scheduled)


# --- cancelling ---------------------------------------------------------------------------------------------


class TestCancelAsksFirst:
    @pytest.fixture(autouse=True)
    def _now(self, time_machine):
        time_machine.move_to(BEFORE)

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_the_first_click_changes_nothing_and_says_what_will_happen(self, scheduled, manager, tenant_a, method):
        with assert_nothing_changes():
            response = getattr(manager, method)(page("conversation_cancel", scheduled))
        assert response.status_code == 200
        text = body(response)
        name = tenant_a.employee.full_name
        assert f"Cancel the conversation with {name}" in text
        assert f"“Progress talk” with {name} on 15 March 2027, 10:00 will be cancelled" in text
        assert "Its reminders stop; while it is cancelled, it cannot be scheduled or marked held." in text
        assert (
            "You can restore it until 30 April 2027, the day its window closes; restored before 15 March 2027, "
            "10:00, it keeps that date and time." in text
        )
        assert 'name="confirm" value="yes"' in text

    def test_the_page_counts_the_observations_it_releases(self, scheduled, manager, tenant_a):
        for _ in range(2):
            ObservationFactory(employee=tenant_a.employee, author=tenant_a.manager, held_for=scheduled)
        text = body(manager.get(page("conversation_cancel", scheduled)))
        assert f"2 observations held for this conversation become visible to {tenant_a.employee.full_name}." in text

    def test_a_post_without_the_confirmation_changes_nothing(self, scheduled, manager):
        with assert_nothing_changes():
            manager.post(page("conversation_cancel", scheduled), {"confirm": "no"})
        assert stored(scheduled).state == ConversationState.SCHEDULED

    def test_the_confirmed_post_cancels(self, scheduled, manager):
        response = manager.post(page("conversation_cancel", scheduled), {"confirm": "yes"}, follow=True)
        assert shown_messages(response) == ["The conversation has been cancelled."]
        assert stored(scheduled).state == ConversationState.CANCELLED

    def test_the_confirmation_of_a_conversation_no_longer_open_sends_back_with_a_message(self, cancelled, manager):
        with assert_nothing_changes():
            response = manager.get(page("conversation_cancel", cancelled), follow=True)
        assert shown_messages(response) == ["This conversation changed in the meantime; look again."]

    @pytest.mark.parametrize("role", ["employee", "hr"])
    def test_only_the_manager_sees_the_confirmation(self, tenant_a, scheduled, client, role):
        assert_role_forbidden(client, tenant_a.member(role), page("conversation_cancel", scheduled))

    def test_another_organisations_member_gets_404(self, tenant_b, scheduled, client):
        assert_other_organisation_gets_404(client, tenant_b.manager, page("conversation_cancel", scheduled))


def test_after_the_window_the_confirmation_says_it_cannot_be_undone(scheduled, manager, time_machine):
    time_machine.move_to(AFTER)
    manager.force_login(manager.employee.user)
    text = body(manager.get(page("conversation_cancel", scheduled)))
    assert "Its window has closed, so this cannot be undone." in text
    assert "You can restore it" not in text
    # Nothing temporary about it, and a date gone by is in nobody's calendar any more.
    assert "Its reminders stop, and it can no longer be scheduled or marked held." in text
    assert "while it is cancelled" not in text and "disappears from both calendars" not in text


# --- restoring ----------------------------------------------------------------------------------------------


class TestRestore:
    @pytest.fixture(autouse=True)
    def _now(self, time_machine):
        time_machine.move_to(BEFORE)

    def test_the_conversation_page_offers_it_with_the_last_day(self, cancelled, manager):
        text = body(manager.get(page("conversation_detail", cancelled)))
        assert f'action="{page("conversation_restore", cancelled)}"' in text
        assert "You can restore it until 30 April 2027, the day its window closes." in text

    def test_the_first_click_changes_nothing_and_says_what_will_happen(self, cancelled, manager, tenant_a):
        with assert_nothing_changes():
            response = manager.post(page("conversation_restore", cancelled))
        text = body(response)
        assert f"Restore the conversation with {tenant_a.employee.full_name}" in text
        assert "is scheduled again for 15 March 2027, 10:00 and comes back in both calendars; its reminders" in text

    def test_restores_to_scheduled_replans_and_is_in_the_history(self, cancelled, manager):
        plans = PlanRequest.objects.count()
        response = manager.post(page("conversation_restore", cancelled), {"confirm": "yes"}, follow=True)
        assert shown_messages(response) == ["The conversation has been restored."]
        row = stored(cancelled)
        assert (row.state, row.scheduled_at, row.sequence) == (ConversationState.SCHEDULED, utc(2027, 3, 15, 9), 2)
        assert PlanRequest.objects.count() == plans + 1
        content_type = ContentType.objects.get_for_model(Conversation)
        entry = AuditEntry.objects.filter(content_type=content_type, object_id=row.pk).order_by("pk").last()
        assert entry.changes["state"] == [ConversationState.CANCELLED, ConversationState.SCHEDULED]
        assert entry.actor_employee == manager.employee

    def test_a_date_gone_by_makes_it_to_be_scheduled_again(self, cancelled, manager, time_machine):
        time_machine.move_to(datetime.datetime(2027, 3, 20, 9, tzinfo=datetime.UTC))
        manager.force_login(manager.employee.user)  # the session of long ago has expired
        manager.post(page("conversation_restore", cancelled), {"confirm": "yes"})
        row = stored(cancelled)
        assert (row.state, row.scheduled_at) == (ConversationState.TO_SCHEDULE, None)

    def test_a_post_without_the_confirmation_changes_nothing(self, cancelled, manager):
        with assert_nothing_changes():
            manager.post(page("conversation_restore", cancelled), {"confirm": "1"})

    def test_an_open_conversation_is_not_restored(self, scheduled, manager):
        with assert_nothing_changes():
            response = manager.post(page("conversation_restore", scheduled), {"confirm": "yes"}, follow=True)
        assert shown_messages(response) == ["This conversation is not cancelled; there is nothing to restore."]

    @pytest.mark.parametrize("role", ["employee", "hr"])
    def test_only_the_manager_restores(self, tenant_a, cancelled, client, role):
        assert_role_forbidden(
            client, tenant_a.member(role), page("conversation_restore", cancelled), "post", {"confirm": "yes"}
        )

    def test_another_organisations_member_gets_404(self, tenant_b, cancelled, client):
        target = page("conversation_restore", cancelled)
        assert_other_organisation_gets_404(client, tenant_b.manager, target, "post", {"confirm": "yes"})


def test_after_the_window_closed_restoring_is_refused(cancelled, manager, time_machine):
    time_machine.move_to(AFTER)
    manager.force_login(manager.employee.user)
    assert page("conversation_restore", cancelled) not in body(manager.get(page("conversation_detail", cancelled)))
    with assert_nothing_changes():
        response = manager.post(page("conversation_restore", cancelled), {"confirm": "yes"}, follow=True)
    assert shown_messages(response) == [
        "The window of this moment closed on 30 April 2027; a cancelled conversation can no longer be restored."
    ]
    assert stored(cancelled).state == ConversationState.CANCELLED


# --- marking held -------------------------------------------------------------------------------------------


class TestHoldAsksFirst:
    @pytest.fixture(autouse=True)
    def _now(self, time_machine):
        time_machine.move_to(datetime.datetime(2027, 3, 15, 12, tzinfo=datetime.UTC))

    def test_the_first_click_changes_nothing_and_keeps_the_agreements(self, scheduled, manager, tenant_a):
        with assert_nothing_changes():
            response = manager.post(page("conversation_hold", scheduled), {"agreements": "Course in June."})
        text = body(response)
        assert f"Mark the conversation with {tenant_a.employee.full_name} as held" in text
        assert "This cannot be undone" in text
        assert "Course in June.</textarea>" in text and 'name="confirm" value="yes"' in text

    def test_the_confirmed_post_marks_it_held(self, scheduled, manager):
        manager.post(page("conversation_hold", scheduled), {"agreements": "Course in June.", "confirm": "yes"})
        assert (stored(scheduled).state, stored(scheduled).agreements) == (ConversationState.HELD, "Course in June.")

    def test_a_post_without_the_confirmation_changes_nothing(self, scheduled, manager):
        with assert_nothing_changes():
            manager.post(page("conversation_hold", scheduled), {"agreements": "x", "confirm": ""})


class TestNotHeldBeforeItTookPlace:
    @pytest.fixture(autouse=True)
    def _now(self, time_machine):
        time_machine.move_to(datetime.datetime(2027, 3, 15, 8, tzinfo=datetime.UTC))

    REFUSAL = "This conversation is scheduled for 15 March 2027, 10:00; mark it held once it has taken place."

    def test_the_page_says_so_instead_of_offering_it(self, scheduled, manager):
        text = body(manager.get(page("conversation_detail", scheduled)))
        assert f'action="{page("conversation_hold", scheduled)}"' not in text
        assert self.REFUSAL in text

    def test_the_confirmed_post_is_refused(self, scheduled, manager):
        with assert_nothing_changes():
            response = manager.post(page("conversation_hold", scheduled), {"confirm": "yes"}, follow=True)
        assert shown_messages(response) == [self.REFUSAL]

    def test_the_confirmation_page_is_not_shown(self, scheduled, manager):
        response = manager.get(page("conversation_hold", scheduled), follow=True)
        assert shown_messages(response) == [self.REFUSAL]

    def test_the_service_refuses_too(self, scheduled):
        with pytest.raises(Exception, match="mark it held once it has taken place"):
            services.conversation_hold(conversation=scheduled)
