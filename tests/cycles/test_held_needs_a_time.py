"""A conversation is marked held only once its time has come: one that was never scheduled is asked when it took
place (from its cycle's start until now, in the organisation's zone) and that time is stored with it; cancelling
says what is true about restoring, and a cancelled conversation shows the time it had.

No query-count test: the conversation page and its hold step show one person's conversation, nothing per report.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cycles import services
from cycles.models import Conversation, ConversationState, CycleStatus
from reviews.selectors_sheet import previous_held
from tests.cycles.test_conversation_confirmations import body, page, stored
from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import (
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    shown_messages,
    url,
    utc,
)

pytestmark = pytest.mark.django_db

D, T = datetime.date, datetime.time
# Tuesday 30 March 2027, 14:00 in Amsterdam (summer time): inside the cycle and the moment's window.
NOW = utc(2027, 3, 30, 12)
# Said of a cycle named 2027 that starts on 1 January 2027.
BEFORE_THE_CYCLE = "Cycle 2027 started on 1 January 2027: enter a day from then until today."
DAY_TO_COME = "This day is still to come: enter the day the conversation took place."
TIME_TO_COME = "This time is still to come today: enter the time it took place."
SKIPPED = "02:30 does not exist on 28 March 2027: the clocks move forward that night. Choose another time."
OUT_OF_REACH = "Enter a date between 30 March 2022 and 30 March 2032 (five years either side of today)."


def held_at(**fields):
    """What the confirmed held step posts: the agreements and when it took place."""
    return {"date": "2027-03-29", "time": "10:00", "agreements": "Course in June.", "confirm": "yes", **fields}


@pytest.fixture
def conversation(tenant_a):
    """Never scheduled; its moment's window is March and April 2027, in the cycle 2027."""
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, name_en="Progress talk", opens_on=D(2027, 3, 1), closes_on=D(2027, 4, 30))
    return ConversationFactory(moment=moment, employee=tenant_a.employee)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW)


@pytest.fixture
def manager(tenant_a, now):
    """The manager, logged in once the clock stands at NOW (a session of before would have expired)."""
    return client_for(tenant_a.manager)


# --- the held step asks when it took place ----------------------------------------------------------------------


class TestAsksTheTime:
    def test_the_conversation_page_says_the_next_page_asks_it(self, conversation, manager):
        text = body(manager.get(page("conversation_detail", conversation)))
        assert f'action="{page("conversation_hold", conversation)}"' in text
        assert "It was never scheduled, so that page also asks when it took place." in text

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_the_first_click_asks_the_date_and_time_without_complaining(self, conversation, manager, method):
        with assert_nothing_changes():
            response = getattr(manager, method)(page("conversation_hold", conversation), {"agreements": "Course."})
        assert response.status_code == 200
        text = body(response)
        assert (
            "It was never scheduled: enter below when it took place, from 1 January 2027 (when cycle 2027 started) "
            "until now. That becomes its date and time." in text
        )
        assert 'type="date" name="date"' in text and 'type="time" name="time"' in text
        assert 'min="2027-01-01"' in text and 'max="2027-03-30"' in text
        assert "In the organisation's time zone." in text
        assert "This field is required." not in text
        if method == "post":
            assert "Course.</textarea>" in text

    def test_a_scheduled_conversation_is_not_asked(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(
            state=ConversationState.SCHEDULED, scheduled_at=utc(2027, 3, 29, 8)
        )
        text = body(manager.get(page("conversation_hold", conversation)))
        assert 'name="date"' not in text and "never scheduled" not in text

    def test_a_crafted_time_does_not_move_a_scheduled_conversation(self, conversation, manager):
        Conversation.objects.filter(pk=conversation.pk).update(
            state=ConversationState.SCHEDULED, scheduled_at=utc(2027, 3, 29, 8)
        )
        manager.post(page("conversation_hold", conversation), held_at(date="2027-03-02", time="09:00"))
        row = stored(conversation)
        assert (row.state, row.scheduled_at) == (ConversationState.HELD, utc(2027, 3, 29, 8))


# --- what is refused, and that it saves nothing -----------------------------------------------------------------


class TestRefused:
    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            (held_at(date="2027-03-31"), "date", DAY_TO_COME),
            (held_at(date="2027-03-30", time="15:00"), "time", TIME_TO_COME),
            (held_at(date="2026-12-31", time="23:59"), "date", BEFORE_THE_CYCLE),
            (held_at(date="2027-03-28", time="02:30"), "time", SKIPPED),
            (held_at(date=""), "date", "This field is required."),
            (held_at(time=""), "time", "This field is required."),
            (held_at(date="not a date"), "date", "Enter a valid date."),
            (held_at(time="25:00"), "time", "Enter a valid time."),
            (held_at(date="9999-12-31"), "date", OUT_OF_REACH),
        ],
    )
    def test_bad_input_is_a_field_error_and_changes_nothing(self, conversation, manager, data, field, message):
        with assert_nothing_changes():
            response = manager.post(page("conversation_hold", conversation), data)
        assert response.status_code == 200
        assert field_error(response, field) == message
        assert 'name="confirm" value="yes"' in body(response)

    def test_before_its_cycle_started_no_button_and_a_crafted_post_is_refused(self, conversation, time_machine):
        time_machine.move_to(utc(2026, 12, 15, 12))
        manager = client_for(conversation.employee.manager)
        refusal = "Cycle 2027 starts on 1 January 2027; mark this conversation held once it has taken place."
        text = body(manager.get(page("conversation_detail", conversation)))
        assert f'action="{page("conversation_hold", conversation)}"' not in text
        assert refusal in text
        with assert_nothing_changes():
            response = manager.post(page("conversation_hold", conversation), held_at(date="2026-12-14"), follow=True)
        assert shown_messages(response) == [refusal]

    def test_the_service_refuses_a_time_before_the_cycle_or_to_come(self, conversation, now, english):
        for day, at in ((D(2026, 12, 31), T(10)), (D(2027, 3, 30), T(15))):
            with pytest.raises(ValidationError):
                services.conversation_hold(conversation=conversation, day=day, at=at)
        row = stored(conversation)
        assert (row.state, row.scheduled_at, row.held_at) == (ConversationState.TO_SCHEDULE, None, None)

    def test_the_service_does_not_overwrite_a_time_set_meanwhile(self, conversation, now, english):
        services.conversation_schedule(conversation=conversation, day=D(2027, 3, 29), at=T(9))
        with pytest.raises(ValidationError, match="changed in the meantime"):
            services.conversation_hold(conversation=conversation, day=D(2027, 3, 2), at=T(10))
        assert stored(conversation).state == ConversationState.SCHEDULED


# --- a valid time: held, with that time ----------------------------------------------------------------------


def test_a_time_gone_by_marks_it_held_and_stores_the_time(conversation, manager, tenant_a):
    response = manager.post(page("conversation_hold", conversation), held_at(), follow=True)
    assert shown_messages(response) == ["The conversation has been marked as held."]
    row = stored(conversation)
    # 10:00 in Amsterdam on 29 March 2027 (summer time) is 08:00 UTC.
    assert (row.state, row.scheduled_at, row.agreements) == (
        ConversationState.HELD,
        utc(2027, 3, 29, 8),
        "Course in June.",
    )
    assert row.held_at == row.scheduled_at  # when it took place, so the person's history keeps its order
    assert "Monday 29 March 2027, 10:00" in body(manager.get(page("conversation_detail", conversation)))
    grid = body(manager.get(url("cycles:team_grid", tenant_a.organization)))
    assert "Held" in grid and "29 March, 10:00" in grid


def test_the_first_day_of_the_cycle_is_allowed(conversation, manager):
    manager.post(page("conversation_hold", conversation), held_at(date="2027-01-01", time="00:00"))
    assert stored(conversation).scheduled_at == utc(2026, 12, 31, 23)


def test_earlier_today_is_allowed(conversation, manager):
    manager.post(page("conversation_hold", conversation), held_at(date="2027-03-30", time="13:30"))
    assert stored(conversation).scheduled_at == utc(2027, 3, 30, 11, 30)


# --- who may ------------------------------------------------------------------------------------------------


def test_another_organisations_member_gets_404(tenant_b, conversation, client, now):
    assert_other_organisation_gets_404(
        client, tenant_b.manager, page("conversation_hold", conversation), "post", held_at()
    )


def test_the_employee_gets_403(tenant_a, conversation, client, now):
    assert_role_forbidden(client, tenant_a.employee, page("conversation_hold", conversation), "post", held_at())


# --- cancelling says what is true ---------------------------------------------------------------------------


class TestCancelled:
    @pytest.fixture
    def scheduled(self, conversation):
        """Scheduled for 15 April 2027, 10:00 in Amsterdam: after NOW."""
        services.conversation_schedule(conversation=conversation, day=D(2027, 4, 15), at=T(10))
        return stored(conversation)

    def test_the_confirmation_says_it_keeps_a_date_still_to_come(self, scheduled, manager):
        text = body(manager.get(page("conversation_cancel", scheduled)))
        assert "Its reminders stop; while it is cancelled, it cannot be scheduled or marked held." in text
        assert (
            "You can restore it until 30 April 2027, the day its window closes; restored before 15 April 2027, "
            "10:00, it keeps that date and time." in text
        )
        assert "cannot be scheduled again" not in text

    def test_without_a_date_it_only_says_until_when(self, conversation, manager):
        text = body(manager.get(page("conversation_cancel", conversation)))
        assert "You can restore it until 30 April 2027, the day its window closes." in text
        assert "keeps that date" not in text

    def test_the_cancelled_page_shows_the_time_it_had(self, scheduled, manager):
        services.conversation_cancel(conversation=scheduled)
        text = body(manager.get(page("conversation_detail", scheduled)))
        assert "was: Thursday 15 April 2027, 10:00" in text
        assert "Not scheduled" not in text

    def test_a_cancelled_conversation_that_never_had_a_time_is_not_scheduled(self, conversation, manager):
        services.conversation_cancel(conversation=conversation)
        text = body(manager.get(page("conversation_detail", conversation)))
        assert "Not scheduled" in text and "was:" not in text


def test_a_conversation_entered_afterwards_takes_its_place_in_the_persons_history(conversation, manager):
    """Entered on 30 March as held on 29 March at 10:00, it comes after the one held on 15 March and before the one
    held on 29 March at 14:00: the sheet's "previous conversation" follows when they took place."""

    def held(opens_on, closes_on, at):
        moment = MomentFactory(cycle=conversation.moment.cycle, opens_on=opens_on, closes_on=closes_on)
        return ConversationFactory(
            moment=moment, employee=conversation.employee, state=ConversationState.HELD, scheduled_at=at, held_at=at
        )

    earlier = held(D(2027, 3, 1), D(2027, 3, 20), utc(2027, 3, 15, 9))
    afterwards = held(D(2027, 3, 21), D(2027, 4, 30), utc(2027, 3, 29, 12))
    manager.post(page("conversation_hold", conversation), held_at(), follow=True)
    assert previous_held(conversation=stored(conversation)) == earlier
    assert previous_held(conversation=stored(afterwards)) == stored(conversation)
