"""Every date a person enters is bounded (cycles.bounds): absurd years are field errors, never a 500 or a saved row.

A cycle starts and ends within five years of today and lasts at most two years;
a moment's window lies inside its cycle and within reach; a conversation lies
inside its cycle, or at most 30 days before or after it. Both doors check: the
pages (forms) and the services. "Today" is pinned with time-machine.
"""

import datetime
import zoneinfo
from datetime import UTC

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cycles import services
from cycles.models import Conversation, ConversationState, Cycle, CycleStatus, MomentChange
from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import assert_nothing_changes, field_error, moment_data, url

pytestmark = pytest.mark.django_db

D = datetime.date
T = datetime.time
TODAY = D(2026, 6, 15)
REACH = "Enter a date between 15 June 2021 and 15 June 2031 (five years either side of today)."


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=UTC), tick=False):
        yield


def cycle_data(**overrides):
    return {"name": "2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "audience": "everyone", **overrides}


# --- cycles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"ends_on": "9027-12-31"}, "ends_on", REACH),
        ({"ends_on": "9999-12-31"}, "ends_on", REACH),
        ({"starts_on": "0001-01-01"}, "starts_on", REACH),
        ({"starts_on": "2021-06-14", "ends_on": "2021-12-31"}, "starts_on", REACH),
        ({"starts_on": "2031-01-01", "ends_on": "2031-06-16"}, "ends_on", REACH),
        (
            {"starts_on": "2027-01-01", "ends_on": "2029-01-01"},
            "ends_on",
            "A cycle lasts at most two years: let it end on or before 31 December 2028.",
        ),
        ({"starts_on": "2027-12-31", "ends_on": "2027-01-01"}, "ends_on", "The cycle ends before it starts."),
    ],
)
def test_a_cycle_out_of_bounds_gets_a_field_error_and_nothing_is_saved(tenant_a, hr, data, field, message):
    with assert_nothing_changes():
        response = hr.post(url("cycles:cycle_create", tenant_a.organization), cycle_data(**data))
    assert response.status_code == 200
    assert field_error(response, field) == message


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [("2021-06-15", "2021-12-31"), ("2027-01-01", "2028-12-31"), ("2030-01-01", "2031-06-15")],
)
def test_a_cycle_of_up_to_two_years_within_five_years_of_today_is_created(tenant_a, hr, starts_on, ends_on):
    response = hr.post(
        url("cycles:cycle_create", tenant_a.organization), cycle_data(starts_on=starts_on, ends_on=ends_on)
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get()
    assert (cycle.starts_on.isoformat(), cycle.ends_on.isoformat()) == (starts_on, ends_on)


def test_the_date_inputs_tell_the_browser_the_reach(tenant_a, hr):
    page = hr.get(url("cycles:cycle_create", tenant_a.organization)).content.decode()
    assert page.count('min="2021-06-15"') == 2 and page.count('max="2031-06-15"') == 2


def test_editing_a_draft_to_a_far_end_is_refused(tenant_a, hr):
    cycle = CycleFactory(organization=tenant_a.organization, name="2027")
    with assert_nothing_changes():
        response = hr.post(
            url("cycles:cycle_edit", tenant_a.organization, cycle_id=cycle.pk), cycle_data(ends_on="9999-12-31")
        )
    assert field_error(response, "ends_on") == REACH


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        (D(2027, 1, 1), D(9027, 12, 31), "ends_on"),
        (D(1, 1, 1), D(2, 1, 1), "starts_on"),
        (D(2027, 1, 1), D(2029, 6, 1), "ends_on"),
    ],
)
def test_the_services_refuse_a_cycle_out_of_bounds_too(tenant_a, english, starts_on, ends_on, field):
    with pytest.raises(ValidationError) as refused:
        services.cycle_create(organization=tenant_a.organization, name="Far", starts_on=starts_on, ends_on=ends_on)
    assert field in refused.value.error_dict
    draft = CycleFactory(organization=tenant_a.organization, name="2027")
    with pytest.raises(ValidationError) as refused:
        services.cycle_update(
            cycle=draft, name="Far", starts_on=starts_on, ends_on=ends_on, for_everyone=True, teams=[]
        )
    assert field in refused.value.error_dict
    assert list(Cycle.objects.values_list("name", "starts_on", "ends_on")) == [("2027", D(2027, 1, 1), D(2027, 12, 31))]


# --- moment windows ----------------------------------------------------------------------------


@pytest.fixture
def legacy(tenant_a):
    """A cycle stored before the bounds existed, reaching to 9999 (the form would refuse it today)."""
    cycle = CycleFactory(
        organization=tenant_a.organization, name="Forever", starts_on=D(2026, 1, 1), ends_on=D(9999, 12, 31)
    )
    MomentFactory(cycle=cycle, name_en="Progress talk", opens_on=D(2026, 6, 1), closes_on=D(2026, 6, 30))
    return cycle


@pytest.mark.parametrize(("field", "value"), [("closes_on", "9999-12-31"), ("opens_on", "0001-01-01")])
def test_a_window_out_of_reach_is_refused_even_inside_a_legacy_cycle(tenant_a, hr, legacy, field, value):
    page = url("cycles:moment_create", tenant_a.organization, cycle_id=legacy.pk)
    with assert_nothing_changes():
        response = hr.post(page, moment_data(**{"opens_on": "2026-09-01", "closes_on": "2026-09-30", field: value}))
    assert response.status_code == 200
    assert field_error(response, field) == REACH


def test_the_moment_service_refuses_a_far_window_of_a_legacy_cycle(tenant_a, legacy, english):
    fields = {"name_nl": "Gesprek", "purpose_nl": "Doel.", "opens_on": D(9999, 1, 1), "closes_on": D(9999, 12, 31)}
    with pytest.raises(ValidationError) as refused:
        services.moment_save(cycle=legacy, **fields)
    assert refused.value.message_dict == {"opens_on": [REACH], "closes_on": [REACH]}


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "field", "message"),
    [
        ("2026-07-01", "9999-12-31", "closes_on", REACH),
        ("0001-01-01", "2026-07-31", "opens_on", REACH),
    ],
)
def test_moving_a_window_keeps_to_the_bounds(tenant_a, hr, legacy, opens_on, closes_on, field, message):
    Cycle.objects.filter(pk=legacy.pk).update(status=CycleStatus.ACTIVE)
    moment = legacy.moments.get()
    post = {"opens_on": opens_on, "closes_on": closes_on, "reason": "Later"}
    with assert_nothing_changes():
        response = hr.post(url("cycles:moment_move", tenant_a.organization, moment_id=moment.pk), post)
    assert response.status_code == 200
    assert field_error(response, field) == message


def test_the_move_service_refuses_a_window_out_of_reach(tenant_a, legacy, english):
    Cycle.objects.filter(pk=legacy.pk).update(status=CycleStatus.ACTIVE)
    legacy.refresh_from_db()
    moment = legacy.moments.get()
    with pytest.raises(ValidationError) as refused:
        services.moment_move(
            moment=moment, opens_on=D(2026, 7, 1), closes_on=D(9027, 12, 31), reason="Later", actor=tenant_a.hr
        )
    assert refused.value.message_dict == {"closes_on": [REACH]}
    assert not MomentChange.objects.exists()


# --- conversations -----------------------------------------------------------------------------


@pytest.fixture
def conversation(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)  # 2027-01-01 – 2027-12-31
    moment = MomentFactory(cycle=cycle, opens_on=D(2027, 3, 1), closes_on=D(2027, 4, 30))
    return ConversationFactory(moment=moment, employee=tenant_a.employee)


SLACK = (
    "Choose a date between 2 December 2026 and 30 January 2028: during the cycle, "
    "or at most 30 days before or after it."
)


@pytest.mark.parametrize(
    ("day", "at", "message"),
    [
        ("0001-01-01", "00:00", REACH),
        ("0001-01-01", "00:30", REACH),
        ("9999-12-31", "23:30", REACH),
        ("2026-12-01", "10:00", SLACK),
        ("2028-01-31", "10:00", SLACK),
    ],
)
def test_scheduling_out_of_bounds_is_a_field_error_and_saves_nothing(conversation, manager, day, at, message):
    with assert_nothing_changes():
        response = manager.post(
            url("cycles:conversation_schedule", conversation.organization, conversation_id=conversation.pk),
            {"date": day, "time": at, "location": "Room 4"},
        )
    assert response.status_code == 200
    assert field_error(response, "date") == message


@pytest.mark.parametrize("day", [D(2026, 12, 2), D(2028, 1, 30)])
def test_thirty_days_before_or_after_the_cycle_is_allowed(conversation, day):
    services.conversation_schedule(conversation=conversation, day=day, at=T(10, 0))
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.SCHEDULED
    assert conversation.scheduled_at.astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam")).date() == day


@pytest.mark.parametrize("day", [D(1, 1, 1), D(9999, 12, 31), D(2028, 3, 1)])
def test_the_schedule_service_refuses_a_day_out_of_bounds_too(conversation, english, day):
    with pytest.raises(ValidationError) as refused:
        services.conversation_schedule(conversation=conversation, day=day, at=T(23, 30))
    assert list(refused.value.message_dict) == ["date"]
    assert Conversation.objects.get().scheduled_at is None


@pytest.mark.parametrize(
    ("day", "at", "zone"),
    [
        (D(9999, 12, 31), T(23, 30), "America/New_York"),  # 04:30 UTC on 1 January 10000
        (D(1, 1, 1), T(0, 0), "Europe/Amsterdam"),  # 23:40:28 UTC on 31 December of year 0
    ],
)
def test_a_local_time_beyond_what_a_datetime_holds_is_a_field_error(english, day, at, zone):
    with pytest.raises(ValidationError) as refused:
        services.local_datetime(day=day, at=at, zone=zoneinfo.ZoneInfo(zone))
    assert refused.value.message_dict == {"date": ["This date cannot be used; choose a date close to today."]}
