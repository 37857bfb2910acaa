"""The progress page's columns partition each moment's conversations: to be scheduled and scheduled (while the
window is open), overdue, held and cancelled add up to the total, per moment and per team, and an overdue
conversation is counted in no other column. "Overdue" is measured against the organisation's own date, and the
progress page, the overdue list and HR's home card count the same conversations."""

import datetime
import re

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cycles import selectors
from cycles.models import Conversation, ConversationState, CycleStatus
from tests.cycles.overdue_world import JULY, list_url
from tests.factories import CycleFactory, EmployeeFactory, MomentFactory, TeamFactory
from tests.kit import client_for, url

pytestmark = pytest.mark.django_db

COLUMNS = ("on_time_to_schedule", "on_time_scheduled", "overdue", "held", "cancelled")
TODAY = datetime.date(2027, 7, 15)


def progress_url(tenant, cycle):
    return url("cycles:cycle_progress", tenant.organization, cycle_id=cycle.pk)


def cells(page, moment_name):
    """The numbers of a moment's row in the per-moment table, in column order (window dates left out)."""
    row = re.search(rf"<tr[^>]*>\s*<th scope=\"row\"><a [^>]*>{re.escape(moment_name)}</a></th>(.*?)</tr>", page, re.S)
    assert row, f"no row for {moment_name}"
    tds = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)[1:]  # the first is the window
    return [int(re.sub(r"<[^>]+>", "", td).split()[0]) for td in tds]


# A conversation's state and how far its window's closing lies from today (negative: closed).
conversations = st.lists(
    st.tuples(st.sampled_from(list(ConversationState)), st.sampled_from([-20, -1, 0, 1, 30])), min_size=0, max_size=12
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=conversations)
def test_the_columns_add_up_to_the_total_and_overdue_overlaps_no_other(tenant_a, rows):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    team = TeamFactory(organization=tenant_a.organization)
    moments = {}
    for state, offset in rows:
        if offset not in moments:
            closes = TODAY + datetime.timedelta(days=offset)
            moments[offset] = MomentFactory(
                cycle=cycle, name_en=f"M{offset:+d}", opens_on=closes - datetime.timedelta(days=30), closes_on=closes
            )
        person = EmployeeFactory(organization=tenant_a.organization, team=team)
        Conversation.objects.create(
            organization=tenant_a.organization, moment=moments[offset], employee=person, state=state
        )
    with time_machine.travel(JULY):
        hr = client_for(tenant_a.hr)
        response = hr.get(progress_url(tenant_a, cycle))
        chosen = response.context["chosen"]
        teams = hr.get(response.context["teams_part_url"], HTTP_HX_REQUEST="true").context["teams"] if chosen else None
    page = response.content.decode()
    for item in response.context["progress"]:
        mine = [(state, offset) for state, offset in rows if moments.get(offset) == item.moment]
        open_ = {ConversationState.TO_SCHEDULE, ConversationState.SCHEDULED}
        expected = {
            "overdue": sum(1 for state, offset in mine if state in open_ and offset < 0),
            "on_time_to_schedule": sum(1 for state, offset in mine if state == "to_schedule" and offset >= 0),
            "on_time_scheduled": sum(1 for state, offset in mine if state == "scheduled" and offset >= 0),
            "held": sum(1 for state, _offset in mine if state == "held"),
            "cancelled": sum(1 for state, _offset in mine if state == "cancelled"),
        }
        assert {column: getattr(item, column) for column in COLUMNS} == expected
        assert sum(expected.values()) == item.total == len(mine)
        shown = cells(page, item.moment.local_name)
        assert sum(shown[:-1]) == shown[-1] == item.total  # the five columns, then the total
        assert item.overdue + item.on_time_to_schedule + item.on_time_scheduled == item.open
    if teams is not None:
        for team_row in teams.object_list:
            assert sum(team_row[column] for column in COLUMNS) == sum(
                team_row[state] for state in selectors.PROGRESS_STATES
            )


@pytest.mark.parametrize(
    ("utc_time", "overdue"),
    [
        (datetime.datetime(2027, 6, 30, 21, 59, tzinfo=datetime.UTC), 0),  # 23:59 on 30 June in Amsterdam
        (datetime.datetime(2027, 6, 30, 22, 1, tzinfo=datetime.UTC), 1),  # 00:01 on 1 July in Amsterdam
    ],
)
def test_overdue_starts_the_day_after_the_window_closes_in_the_organisations_zone(tenant_a, utc_time, overdue):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    june = MomentFactory(cycle=cycle, name_en="June talk")  # closes 30 June
    Conversation.objects.create(organization=tenant_a.organization, moment=june, employee=tenant_a.employee)
    with time_machine.travel(utc_time, tick=False):
        hr = client_for(tenant_a.hr)
        progress = hr.get(progress_url(tenant_a, cycle))
        listed = hr.get(list_url(tenant_a, cycle))
        home = hr.get(url("organizations:home", tenant_a.organization))
    [item] = progress.context["progress"]
    assert (item.overdue, item.on_time_to_schedule) == (overdue, 1 - overdue)
    assert listed.context["overdue"].paginator.count == overdue == len(listed.context["overdue"].object_list)
    assert [cycle.overdue for cycle in home.context["overdue_home"]] == [overdue]
