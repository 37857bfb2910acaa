"""The team grid shows the time a cancelled conversation had, as the conversation page does; and the schedule form's
date picker offers exactly the days the service accepts (cycles.bounds.conversation_range), not five years either
side of today.

The Dutch of "was: %(when)s" is not compiled yet, so the grid is checked in English only.
"""

import datetime
import re

import pytest
import time_machine

from cycles.models import Conversation, ConversationState, CycleStatus
from tests.cycles.test_calendar_grid_cells import cells
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import assert_flat_queries, assert_nothing_changes, client_for, field_error, url, utc

pytestmark = pytest.mark.django_db

D = datetime.date
# Tuesday 30 March 2027, 14:00 in Amsterdam; the cycle 2027 (the factory's dates) is under way.
NOW = datetime.datetime(2027, 3, 30, 12, tzinfo=datetime.UTC)
# The cycle 2027 with 30 days either side.
FIRST_DAY, LAST_DAY = "2026-12-02", "2028-01-30"


@pytest.fixture
def cycle(tenant_a):
    return CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)


@pytest.fixture
def moment(cycle):
    return MomentFactory(cycle=cycle, name_en="Planning talk", opens_on=D(2027, 1, 1), closes_on=D(2027, 4, 30))


def cancelled(moment, employee, scheduled_at=None):
    return ConversationFactory(
        moment=moment, employee=employee, state=ConversationState.CANCELLED, scheduled_at=scheduled_at
    )


def team_grid(tenant):
    return url("cycles:team_grid", tenant.organization)


# --- the grid -----------------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_cancelled_conversation_shows_the_time_it_had(tenant_a, moment):
    cancelled(moment, tenant_a.employee, scheduled_at=utc(2026, 12, 8, 12, 45))  # 13:45 in Amsterdam in winter
    response = client_for(tenant_a.manager).get(team_grid(tenant_a))
    eva = tenant_a.employee.full_name
    assert {row[0]: row[1:] for row in cells(response)}[eva] == [
        f"Cancelled was: 8 December, 13:45 Open Planning talk, {eva}"
    ]
    assert '<span class="badge">Cancelled</span>' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_cancelled_conversation_that_never_had_a_time_shows_none(tenant_a, moment):
    cancelled(moment, tenant_a.employee)
    response = client_for(tenant_a.manager).get(team_grid(tenant_a))
    eva = tenant_a.employee.full_name
    assert {row[0]: row[1:] for row in cells(response)}[eva] == [f"Cancelled Open Planning talk, {eva}"]


@time_machine.travel(NOW, tick=False)
def test_former_times_do_not_add_queries(tenant_a, moment):
    manager = client_for(tenant_a.manager)

    def add_reports(numbers):
        for number in numbers:
            report = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager)
            cancelled(moment, report, scheduled_at=utc(2027, 2, 1 + number % 28, 9, number % 60))

    response = assert_flat_queries(lambda: manager.get(team_grid(tenant_a)), add_reports, few=2, many=30)
    assert response.content.decode().count("was: ") == 30


# --- the schedule form's date picker ------------------------------------------------------------------------------


def date_input(response) -> str:
    found = re.findall(r'<input type="date" name="date"[^>]*>', response.content.decode())
    assert len(found) == 1, found
    return found[0]


def schedule(manager, conversation, day):
    address = url("cycles:conversation_schedule", conversation.organization, conversation_id=conversation.pk)
    return manager.post(address, {"date": day, "time": "10:00", "location": "Room 4"})


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("scheduled_at", [None, utc(2027, 3, 29, 8)], ids=["unscheduled", "scheduled"])
def test_the_picker_offers_the_cycle_and_its_30_days(tenant_a, moment, scheduled_at):
    conversation = ConversationFactory(
        moment=moment,
        employee=tenant_a.employee,
        state=ConversationState.SCHEDULED if scheduled_at else ConversationState.TO_SCHEDULE,
        scheduled_at=scheduled_at,
    )
    page = client_for(tenant_a.manager).get(
        url("cycles:conversation_detail", tenant_a.organization, conversation_id=conversation.pk)
    )
    field = date_input(page)
    assert f'min="{FIRST_DAY}"' in field and f'max="{LAST_DAY}"' in field


@time_machine.travel(NOW, tick=False)
def test_the_picker_stops_where_the_five_years_stop(tenant_a):
    """A cycle stored before the bounds existed, ending past the reach: the picker stops at the reach, as the
    service does."""
    cycle = CycleFactory(
        organization=tenant_a.organization, status=CycleStatus.ACTIVE, starts_on=D(2032, 1, 1), ends_on=D(2032, 12, 31)
    )
    moment = MomentFactory(cycle=cycle, opens_on=D(2032, 1, 1), closes_on=D(2032, 12, 31))
    conversation = ConversationFactory(moment=moment, employee=tenant_a.employee)
    page = client_for(tenant_a.manager).get(
        url("cycles:conversation_detail", tenant_a.organization, conversation_id=conversation.pk)
    )
    field = date_input(page)
    assert 'min="2031-12-02"' in field and 'max="2032-03-30"' in field


@time_machine.travel(NOW, tick=False)
def test_the_first_and_last_day_offered_are_accepted(tenant_a, moment):
    manager = client_for(tenant_a.manager)
    for day in (FIRST_DAY, LAST_DAY):
        conversation = ConversationFactory(
            moment=moment, employee=EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager)
        )
        response = schedule(manager, conversation, day)
        assert response.status_code == 302
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.SCHEDULED


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("day", ["2026-12-01", "2028-01-31"], ids=["day-before-first", "day-after-last"])
def test_a_day_outside_is_refused_and_the_form_keeps_its_range(tenant_a, moment, day):
    conversation = ConversationFactory(moment=moment, employee=tenant_a.employee)
    with assert_nothing_changes(Conversation.objects.filter(pk=conversation.pk)):
        response = schedule(client_for(tenant_a.manager), conversation, day)
    assert response.status_code == 200
    assert field_error(response, "date", form="schedule_form") == (
        "Choose a date between 2 December 2026 and 30 January 2028: during the cycle, or at most 30 days "
        "before or after it."
    )
    field = date_input(response)
    assert f'min="{FIRST_DAY}"' in field and f'max="{LAST_DAY}"' in field
