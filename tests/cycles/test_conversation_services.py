"""Scheduling, cancelling and holding a conversation: the organisation's time zone, sequence and state rules."""

import datetime
from datetime import UTC

import pytest
from django.core.exceptions import ValidationError

from cycles import services
from cycles.models import ConversationState, CycleStatus
from cycles.services import NonexistentTime
from tests.factories import ConversationFactory, CycleFactory, MomentFactory

pytestmark = pytest.mark.django_db

D, T = datetime.date, datetime.time


@pytest.fixture
def conversation(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, opens_on=D(2027, 3, 1), closes_on=D(2027, 11, 30))
    return ConversationFactory(moment=moment, employee=tenant_a.employee)


def utc(conversation):
    conversation.refresh_from_db()
    return conversation.scheduled_at.astimezone(UTC).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2027, 3, 26), datetime.datetime(2027, 3, 26, 9, 0)),  # winter time: UTC+1
        (D(2027, 3, 29), datetime.datetime(2027, 3, 29, 8, 0)),  # summer time: UTC+2
        (D(2027, 10, 29), datetime.datetime(2027, 10, 29, 8, 0)),  # still summer time
        (D(2027, 10, 31), datetime.datetime(2027, 10, 31, 9, 0)),  # back to winter time that night
    ],
)
def test_ten_oclock_in_amsterdam_is_stored_in_utc_on_both_sides_of_the_change(conversation, day, expected):
    services.conversation_schedule(conversation=conversation, day=day, at=T(10, 0), location="Room 1")
    assert utc(conversation) == expected
    assert conversation.state == ConversationState.SCHEDULED
    assert conversation.location == "Room 1"


def test_a_time_the_clocks_skip_is_refused_not_shifted(conversation, english):
    with pytest.raises(NonexistentTime) as refused:
        services.conversation_schedule(conversation=conversation, day=D(2027, 3, 28), at=T(2, 30))
    assert refused.value.message_dict["time"] == [
        "02:30 does not exist on 28 March 2027: the clocks move forward that night. Choose another time."
    ]
    conversation.refresh_from_db()
    assert conversation.scheduled_at is None
    assert conversation.state == ConversationState.TO_SCHEDULE


def test_rescheduling_raises_the_sequence_but_saving_the_same_time_does_not(conversation):
    services.conversation_schedule(conversation=conversation, day=D(2027, 6, 1), at=T(10, 0))
    assert conversation.sequence == 0
    services.conversation_schedule(conversation=conversation, day=D(2027, 6, 1), at=T(10, 0), location="Teams")
    conversation.refresh_from_db()
    assert conversation.sequence == 0
    services.conversation_schedule(conversation=conversation, day=D(2027, 6, 2), at=T(10, 0))
    conversation.refresh_from_db()
    assert conversation.sequence == 1
    assert utc(conversation) == datetime.datetime(2027, 6, 2, 8, 0)


def test_cancelling_raises_the_sequence(conversation):
    services.conversation_schedule(conversation=conversation, day=D(2027, 6, 1), at=T(10, 0))
    services.conversation_cancel(conversation=conversation)
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.CANCELLED
    assert conversation.sequence == 1


def test_holding_records_the_agreements(conversation):
    services.conversation_hold(conversation=conversation, agreements="  Course in June.  ")
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.HELD
    assert conversation.agreements == "Course in June."
    assert conversation.held_at is not None


@pytest.mark.parametrize("state", [ConversationState.HELD, ConversationState.CANCELLED])
def test_a_held_or_cancelled_conversation_cannot_be_scheduled(tenant_a, state):
    conversation = ConversationFactory(
        moment=MomentFactory(cycle=CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)),
        employee=tenant_a.employee,
        state=state,
    )
    with pytest.raises(ValidationError):
        services.conversation_schedule(conversation=conversation, day=D(2027, 6, 1), at=T(10, 0))
    conversation.refresh_from_db()
    assert conversation.state == state
    assert conversation.scheduled_at is None


def test_a_held_conversation_cannot_be_cancelled_or_held_again(conversation):
    services.conversation_hold(conversation=conversation)
    with pytest.raises(ValidationError):
        services.conversation_cancel(conversation=conversation)
    with pytest.raises(ValidationError):
        services.conversation_hold(conversation=conversation, agreements="other")
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.HELD


def test_a_date_outside_the_window_is_saved_with_a_warning(conversation, english):
    warnings = services.conversation_schedule(conversation=conversation, day=D(2027, 12, 10), at=T(10, 0))
    assert warnings == ["This date is outside the moment's window (1 March 2027 – 30 November 2027)."]
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.SCHEDULED


def test_a_date_inside_the_window_gives_no_warning(conversation):
    assert services.conversation_schedule(conversation=conversation, day=D(2027, 6, 1), at=T(10, 0)) == []


def test_agreements_can_be_corrected_after_holding_but_not_on_a_cancelled_conversation(conversation):
    services.conversation_hold(conversation=conversation, agreements="First")
    services.conversation_agreements_save(conversation=conversation, agreements="Second")
    conversation.refresh_from_db()
    assert conversation.agreements == "Second"
    other = ConversationFactory(
        moment=MomentFactory(cycle=conversation.moment.cycle),
        employee=conversation.employee,
        state=ConversationState.CANCELLED,
    )
    with pytest.raises(ValidationError):
        services.conversation_agreements_save(conversation=other, agreements="x")
