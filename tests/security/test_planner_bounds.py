"""The reminder planner never fails on stored data: dates near year 1 or 9999, and cycles that end centuries away.

The forms now refuse such dates (cycles.bounds), but rows saved before that,
or through another door, stay in the database; they are made here directly,
bypassing forms and services, as they would be found.
"""

import datetime
import logging
import time
from datetime import UTC

import pytest

from cycles.models import (
    Conversation,
    ConversationState,
    CycleStatus,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
)
from cycles.planning import MAX_DIGEST_WEEKS, reminders_plan
from cycles.reminder_rules import reminder_rules_default
from organizations.models import Role
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("january_2027")]

D, T = datetime.date, datetime.time
MARCH = ((D(2027, 3, 1), D(2027, 3, 31)),)
NEW_YEAR_2027 = D(2027, 1, 1)


def stored_cycle(tenant, ends_on, windows=MARCH, starts_on=NEW_YEAR_2027):
    """An active cycle as it might sit in the database, with the default rules and Eva's conversation per window."""
    cycle = CycleFactory(
        organization=tenant.organization, starts_on=starts_on, ends_on=ends_on, status=CycleStatus.ACTIVE
    )
    reminder_rules_default(cycle=cycle)
    moments = [MomentFactory(cycle=cycle, opens_on=opens, closes_on=closes) for opens, closes in windows]
    conversations = [ConversationFactory(moment=moment, employee=tenant.employee) for moment in moments]
    return cycle, conversations


def digests(cycle):
    return Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.OVERDUE_WEEKLY)


def window_reminders(cycle):
    return Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.WINDOW_OPENS)


@pytest.mark.parametrize("ends_on", [D(9027, 12, 31), D(9999, 12, 31)])
def test_a_cycle_ending_centuries_away_plans_its_reminders_and_two_years_of_weekly_digests(tenant_a, ends_on):
    cycle, _conversations = stored_cycle(tenant_a, ends_on)
    started = time.monotonic()

    counts = reminders_plan(cycle=cycle)

    assert time.monotonic() - started < 10
    # Eva and her manager Mark are told the window opens; HR gets the weekly digest, for two years at most.
    assert {r.recipient_id for r in window_reminders(cycle)} == {tenant_a.employee.pk, tenant_a.manager.pk}
    weeks = sorted(digests(cycle).filter(recipient=tenant_a.hr).values_list("occasion", flat=True))
    assert len(weeks) == MAX_DIGEST_WEEKS == 105
    assert weeks[0] == D(2027, 4, 5)  # the first Monday after the window closed
    assert weeks[-1] == weeks[0] + datetime.timedelta(weeks=104)
    assert counts["created"] == Reminder.objects.filter(cycle=cycle).count() < 200


def test_weekly_digests_still_stop_when_a_short_cycle_ends(tenant_a):
    cycle, _conversations = stored_cycle(tenant_a, D(2027, 12, 31))

    reminders_plan(cycle=cycle)

    weeks = sorted(digests(cycle).filter(recipient=tenant_a.hr).values_list("occasion", flat=True))
    assert (weeks[0], weeks[-1], len(weeks)) == (D(2027, 4, 5), D(2027, 12, 27), 39)


def test_a_window_at_the_end_of_year_9999_plans_what_fits_and_logs_what_cannot_exist(tenant_a, caplog):
    last = (D(9999, 12, 1), D(9999, 12, 31))
    cycle, (conversation,) = stored_cycle(tenant_a, D(9999, 12, 31), windows=[last], starts_on=D(9999, 1, 1))
    ReminderRule.objects.create(
        organization=cycle.organization,
        cycle=cycle,
        anchor=ReminderAnchor.WINDOW_CLOSES,
        offset_days=7,  # a week after 9999-12-31: no such day
        time_of_day=T(9, 0),
        audience=ReminderAudience.MANAGER,
    )

    with caplog.at_level(logging.WARNING, logger="cycles.planning"):
        reminders_plan(cycle=cycle)

    opening = datetime.datetime(9999, 12, 1, 8, tzinfo=UTC)  # 09:00 in Amsterdam
    assert {r.due_at for r in window_reminders(cycle)} == {opening}
    closing = Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.WINDOW_CLOSES)
    assert {(r.rule.offset_days, r.due_at) for r in closing} == {(-7, datetime.datetime(9999, 12, 24, 8, tzinfo=UTC))}
    assert not digests(cycle).exists()  # they would start on 10000-01-01, after the cycle: nothing is lost
    assert f"Cycle {cycle.pk}: 1 reminder(s) not planned" in caplog.text


@pytest.mark.parametrize(
    ("zone", "planned"),
    [
        # 23:30 in Amsterdam is 22:30 UTC: both conversation reminders fall in December 9999.
        ("Europe/Amsterdam", {datetime.datetime(9999, 12, day, 8, tzinfo=UTC) for day in (17, 29)}),
        # The same stored time is 07:30 on 10000-01-01 in Tokyo: there is no such local day to count back from.
        ("Asia/Tokyo", set()),
    ],
)
def test_a_conversation_at_9999_12_31_never_breaks_the_planning_of_its_cycle(tenant_a, caplog, zone, planned):
    tenant_a.organization.time_zone = zone
    tenant_a.organization.save()
    cycle, (conversation,) = stored_cycle(tenant_a, D(9999, 12, 31))
    Conversation.objects.filter(pk=conversation.pk).update(
        state=ConversationState.SCHEDULED, scheduled_at=datetime.datetime(9999, 12, 31, 22, 30, tzinfo=UTC)
    )

    with caplog.at_level(logging.WARNING, logger="cycles.planning"):
        reminders_plan(cycle=cycle)
        reminders_plan(cycle=cycle, conversation_ids=[conversation.pk])

    about_it = Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.CONVERSATION)
    assert {r.due_at for r in about_it} == planned
    assert window_reminders(cycle).exists()  # the rest of the cycle is planned all the same
    assert ("not planned" in caplog.text) == (not planned)


def test_a_window_in_year_1_gives_no_reminders_and_no_error(tenant_a):
    cycle, _conversations = stored_cycle(
        tenant_a, D(2027, 12, 31), windows=[(D(1, 1, 1), D(1, 1, 31))], starts_on=D(1, 1, 1)
    )
    tenant_a.organization.time_zone = "America/New_York"  # 09:00 local is later in UTC, -14 days is before year 1
    tenant_a.organization.save()
    ReminderRule.objects.filter(cycle=cycle, anchor=ReminderAnchor.WINDOW_OPENS).update(offset_days=-14)

    assert reminders_plan(cycle=cycle)["created"] == 0  # everything lies in the past, so nothing to plan


def test_a_cycle_ending_in_9999_is_planned_for_every_hr_admin_within_the_bound(tenant_a):
    more_hr = [EmployeeFactory(organization=tenant_a.organization, role=Role.HR_ADMIN) for _ in range(2)]
    cycle, _conversations = stored_cycle(tenant_a, D(9999, 12, 31))

    reminders_plan(cycle=cycle)

    per_hr = {hr.pk: digests(cycle).filter(recipient=hr).count() for hr in [tenant_a.hr, *more_hr]}
    assert per_hr == {hr.pk: MAX_DIGEST_WEEKS for hr in [tenant_a.hr, *more_hr]}
