"""cycles.rules decides once: each page offers an action exactly when its POST is accepted, and the menu offers
Cycles and My team exactly to those the pages admit.

Every case asks the page (is the form there?), the POST (did anything change?) and the rule, and all three must
agree; so a template, view or service that decides on its own fails here.
"""

import datetime

import pytest
from django.utils import timezone

from cycles.models import Conversation, ConversationState, Cycle, CycleStatus, Moment, ReminderRule
from cycles.rules import (
    ACTIVATE_CYCLE,
    ADD_NEWCOMERS,
    CANCEL_CONVERSATION,
    CHANGE_MOMENTS,
    CHANGE_REMINDER_RULES,
    EDIT_CYCLE,
    MARK_HELD,
    MOVE_WINDOWS,
    RECORD_AGREEMENTS,
    RESTORE_CONVERSATION,
    SCHEDULE_CONVERSATION,
)
from organizations.permissions import can
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import client_for, moment_data, tables_changed, url

pytestmark = pytest.mark.django_db

D = datetime.date
ROLES = ("hr", "manager", "employee")


def conversation_row(conversation):
    """Everything the conversation's POSTs can write."""
    row = Conversation.objects.get(pk=conversation.pk)
    return (row.state, row.scheduled_at, row.location, row.agreements, row.sequence)


def in_state(tenant, state):
    cycle = CycleFactory(organization=tenant.organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, opens_on=D(2027, 3, 1), closes_on=D(2027, 4, 30))
    fields = {"state": state, "agreements": "Old words"}
    if state != ConversationState.TO_SCHEDULE:
        fields["scheduled_at"] = datetime.datetime(2027, 3, 15, 9, 0, tzinfo=datetime.UTC)
    if state == ConversationState.HELD:
        fields["held_at"] = timezone.now()
    return ConversationFactory(moment=moment, employee=tenant.employee, **fields)


# action -> (the rule, the form the page offers it with, what is posted: the steps that ask first, confirmed)
CONVERSATION_ACTIONS = {
    "conversation_schedule": (SCHEDULE_CONVERSATION, {"date": "2027-03-29", "time": "11:00", "location": "Room 4"}),
    "conversation_cancel": (CANCEL_CONVERSATION, {"confirm": "yes"}),
    "conversation_restore": (RESTORE_CONVERSATION, {"confirm": "yes"}),
    # The date and time are asked only of an unscheduled one, once its cycle (2027) has started.
    "conversation_hold": (
        MARK_HELD,
        {"agreements": "New words", "date": "2027-01-01", "time": "00:00", "confirm": "yes"},
    ),
    "conversation_agreements": (RECORD_AGREEMENTS, {"agreements": "New words"}),
}


@pytest.mark.parametrize("action", list(CONVERSATION_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(ConversationState))
def test_a_conversation_page_offers_an_action_exactly_when_its_post_changes_the_conversation(
    tenant_a, state, role, action
):
    conversation = in_state(tenant_a, state)
    person = tenant_a.member(role)
    rule, data = CONVERSATION_ACTIONS[action]
    client = client_for(person)
    action_url = url(f"cycles:{action}", tenant_a.organization, conversation_id=conversation.pk)

    page = client.get(url("cycles:conversation_detail", tenant_a.organization, conversation_id=conversation.pk))
    assert page.status_code == 200
    offered = f'action="{action_url}"' in page.content.decode()

    allowed = can(person, rule, conversation)
    before = conversation_row(conversation)
    response = client.post(action_url, data)
    assert response.status_code in (200, 302, 403), response.status_code
    accepted = conversation_row(conversation) != before

    assert accepted == allowed, f"{role} posting {action} on a {state} conversation"
    if action == "conversation_agreements" and can(person, MARK_HELD, conversation):
        # While it is open, the agreements are written with "mark as held": one form, not two.
        assert not offered
    else:
        assert offered == allowed, f"{role} is {'' if offered else 'not '}offered {action} on a {state} one"


def cycle_in(tenant, status):
    cycle = CycleFactory(organization=tenant.organization, status=status)
    moment = MomentFactory(cycle=cycle, opens_on=D(2027, 6, 1), closes_on=D(2027, 6, 30))
    ConversationFactory(moment=moment, employee=tenant.employee)
    EmployeeFactory(organization=tenant.organization)  # a newcomer to add
    return cycle, moment


# action -> (the rule, the page that offers it, the address, what is posted)
CYCLE_ACTIONS = {
    "edit the cycle": (
        EDIT_CYCLE,
        "cycles:cycle_detail",
        lambda cycle, moment: ("cycles:cycle_edit", {"cycle_id": cycle.pk}),
        {"name": "Renamed", "starts_on": "2027-01-01", "ends_on": "2027-12-31", "audience": "everyone"},
    ),
    "add a moment": (
        CHANGE_MOMENTS,
        "cycles:cycle_detail",
        lambda cycle, moment: ("cycles:moment_create", {"cycle_id": cycle.pk}),
        moment_data(),
    ),
    "edit a moment": (
        CHANGE_MOMENTS,
        "cycles:cycle_detail",
        lambda cycle, moment: ("cycles:moment_edit", {"moment_id": moment.pk}),
        moment_data(),
    ),
    "remove a moment": (
        CHANGE_MOMENTS,
        "cycles:cycle_detail",
        lambda cycle, moment: ("cycles:moment_delete", {"moment_id": moment.pk}),
        {"confirm": "yes"},  # the button's first POST only asks (views_cycles.moment_delete_page)
    ),
    "move a window": (
        MOVE_WINDOWS,
        "cycles:cycle_detail",
        lambda cycle, moment: ("cycles:moment_move", {"moment_id": moment.pk}),
        {"opens_on": "2027-06-08", "closes_on": "2027-07-08", "reason": "Summer holidays."},
    ),
    "add a reminder rule": (
        CHANGE_REMINDER_RULES,
        "cycles:reminders",
        lambda cycle, moment: ("cycles:reminder_rule_create", {"cycle_id": cycle.pk}),
        {"anchor": "window_opens", "days": "3", "direction": "before", "time_of_day": "08:30", "audience": "employee"},
    ),
}


@pytest.mark.parametrize("action", list(CYCLE_ACTIONS))
@pytest.mark.parametrize("status", list(CycleStatus))
def test_a_cycle_page_offers_a_change_exactly_when_hr_may_make_it_in_the_cycles_status(tenant_a, status, action):
    cycle, moment = cycle_in(tenant_a, status)
    rule, page_name, address, data = CYCLE_ACTIONS[action]
    name, kwargs = address(cycle, moment)
    action_url = url(name, tenant_a.organization, **kwargs)
    hr = client_for(tenant_a.hr)

    page = hr.get(url(page_name, tenant_a.organization, cycle_id=cycle.pk)).content.decode()
    offered = f'"{action_url}"' in page
    allowed = can(tenant_a.hr, rule, cycle)

    # Everything HR's cycle pages can write.
    with tables_changed(
        Cycle.objects.all(), Moment.objects.all(), Conversation.objects.all(), ReminderRule.objects.all()
    ) as changed:
        response = hr.post(action_url, data)
    assert response.status_code in (200, 302), response.status_code
    accepted = bool(changed)

    assert (offered, accepted) == (allowed, allowed), f"{action} in a {status} cycle"


@pytest.mark.parametrize("status", list(CycleStatus))
def test_activation_and_newcomers_are_offered_exactly_when_the_cycles_status_takes_them(tenant_a, status):
    cycle, _moment = cycle_in(tenant_a, status)
    may_activate, may_add = can(tenant_a.hr, ACTIVATE_CYCLE, cycle), can(tenant_a.hr, ADD_NEWCOMERS, cycle)
    hr = client_for(tenant_a.hr)
    page = hr.get(url("cycles:cycle_detail", tenant_a.organization, cycle_id=cycle.pk)).content.decode()
    conversations = Conversation.objects.count()

    hr.post(url("cycles:cycle_activate", tenant_a.organization, cycle_id=cycle.pk), {"confirm": "yes"})
    hr.post(url("cycles:newcomers_add", tenant_a.organization, cycle_id=cycle.pk), {"confirm": "yes"})
    cycle.refresh_from_db()

    activated = status == CycleStatus.DRAFT and cycle.status == CycleStatus.ACTIVE
    newcomers_added = status == CycleStatus.ACTIVE and Conversation.objects.count() > conversations
    assert ("Activate the cycle" in page, activated) == (may_activate, may_activate)
    assert ("Add newcomers" in page, newcomers_added) == (may_add, may_add)
    assert may_activate or may_add or Conversation.objects.count() == conversations


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_offers_cycles_and_my_team_exactly_to_those_the_pages_admit(tenant_a, role):
    client = client_for(tenant_a.member(role))
    menu = client.get(url("organizations:home", tenant_a.organization)).content.decode()
    for page in ("cycles:cycle_list", "cycles:team_grid"):
        address = url(page, tenant_a.organization)
        admitted = client.get(address).status_code == 200
        # HR may open My team, which the menu offers them only while someone reports to them (nobody does here:
        # tests/home/test_menu_marks_the_section.py).
        offered = admitted and not (role == "hr" and page == "cycles:team_grid")
        assert (f'href="{address}"' in menu) == offered, f"{role} and {page}"
