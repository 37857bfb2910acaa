"""Planning reminders: who gets what, idempotence, following the calendar, rules, local time and DST.

The calendar services hand their changes to the planner after commit
(``services.changed`` → the ``plan_reminders`` task, eager in tests), so
those tests run the on-commit hooks with ``django_capture_on_commit_callbacks``.
"""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.core import mail as django_mail
from django.core.exceptions import ValidationError

from cycles import services
from cycles.dispatch import reminders_dispatch
from cycles.models import (
    Conversation,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
    ReminderStatus,
)
from cycles.planning import reminders_plan
from cycles.reminder_rules import reminder_rule_save
from cycles.wanted import DEACTIVATED
from organizations.services import person_deactivate
from tests.factories import EmployeeFactory
from tests.kit import JANUARY_4_2027, activated_cycle, utc

# Plan from a fixed day before every window, so that no reminder is in the past by accident.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("january_2027")]

D, T = datetime.date, datetime.time


def rule_of(cycle, anchor, offset=None):
    rules = ReminderRule.objects.filter(cycle=cycle, anchor=anchor)
    if offset is not None:
        rules = rules.filter(offset_days=offset)
    return rules.get()


def conversation_of(cycle, employee):
    return Conversation.objects.get(moment__cycle=cycle, employee=employee)


def target(reminder):
    if reminder.conversation_id:
        return "conversation"
    return "moment" if reminder.moment_id else "week"


def summary(cycle, **filters):
    """(anchor, offset, recipient, target, due in UTC) of every reminder of the cycle, without the weekly digests."""
    return {
        (r.rule.anchor, r.rule.offset_days, r.recipient_id, target(r), r.due_at)
        for r in Reminder.objects.filter(cycle=cycle, **filters).exclude(rule__anchor=ReminderAnchor.OVERDUE_WEEKLY)
    }


def conversation_reminders(cycle, **filters):
    return {
        (r.rule.offset_days, r.recipient_id): (r.due_at, r.status)
        for r in Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.CONVERSATION, **filters)
    }


def mark_sent(reminder):
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.SENT, sent_at=JANUARY_4_2027)


TWO_PM = T(14, 0)


def schedule(capture, conversation, day, at=TWO_PM):
    with capture(execute=True):
        services.conversation_schedule(conversation=conversation, day=day, at=at)


# Activation: who gets what


def test_activation_plans_the_default_rules_reminders_for_each_audience(
    tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    opens, closes = utc(2027, 3, 1, 8), utc(2027, 3, 24, 8)  # 09:00 in Amsterdam, winter time
    everyone = (a.hr, a.manager, a.employee, a.outsider)
    assert summary(cycle) == {
        # Each person in scope about their own conversation...
        *((ReminderAnchor.WINDOW_OPENS, 0, person.pk, "conversation", opens) for person in everyone),
        # ...and the one manager once for the moment, covering all their reports.
        (ReminderAnchor.WINDOW_OPENS, 0, a.manager.pk, "moment", opens),
        # A week before the window closes, the manager of people not yet scheduled.
        (ReminderAnchor.WINDOW_CLOSES, -7, a.manager.pk, "moment", closes),
    }
    # Nothing is scheduled yet, so the conversation rules have nothing to say.
    assert not Reminder.objects.filter(rule__anchor=ReminderAnchor.CONVERSATION).exists()

    weekly = list(Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.OVERDUE_WEEKLY).order_by("due_at"))
    assert {r.recipient_id for r in weekly} == {a.hr.pk}
    # Every Monday from the first after the window closed (Thursday 1 April) until the cycle ends.
    assert [r.occasion for r in weekly] == [D(2027, 4, 5) + datetime.timedelta(weeks=n) for n in range(39)]
    assert weekly[0].due_at == utc(2027, 4, 5, 7)  # summer time
    assert weekly[-1].due_at == utc(2027, 12, 27, 8)  # winter time
    assert all(r.due_at.astimezone(a.organization.zone).time() == T(9, 0) for r in weekly)

    every = Reminder.objects.all()
    assert every.count() == 6 + 39
    assert {r.organization_id for r in every} == {a.organization.pk}
    assert all(r.status == ReminderStatus.PLANNED and r.next_try_at == r.due_at for r in every)
    assert not Reminder.objects.filter(recipient__organization=tenant_b.organization).exists()


def test_planning_twice_creates_no_new_rows(tenant_a, django_capture_on_commit_callbacks):
    cycle = activated_cycle(tenant_a.organization, capture=django_capture_on_commit_callbacks)
    before = set(Reminder.objects.values_list("pk", "key", "due_at"))

    assert reminders_plan(cycle=cycle) == {"created": 0, "moved": 0, "removed": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cycle_activate(cycle=cycle) == 0  # "add newcomers" with nobody new

    assert set(Reminder.objects.values_list("pk", "key", "due_at")) == before


def test_a_newcomer_gets_their_reminders_and_nobody_else_gets_a_second(tenant_a, django_capture_on_commit_callbacks):
    cycle = activated_cycle(tenant_a.organization, capture=django_capture_on_commit_callbacks)
    before = Reminder.objects.count()
    newcomer = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.cycle_activate(cycle=cycle) == 1

    assert Reminder.objects.count() == before + 1
    assert summary(cycle, recipient=newcomer) == {
        (ReminderAnchor.WINDOW_OPENS, 0, newcomer.pk, "conversation", utc(2027, 3, 1, 8))
    }


# Following the calendar


def test_scheduling_a_conversation_plans_its_14_and_2_day_reminders_at_nine_local(
    tenant_a, django_capture_on_commit_callbacks
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    schedule(django_capture_on_commit_callbacks, conversation_of(cycle, a.employee), D(2027, 3, 17))

    planned = ReminderStatus.PLANNED
    assert conversation_reminders(cycle) == {
        (-14, a.employee.pk): (utc(2027, 3, 3, 8), planned),
        (-14, a.manager.pk): (utc(2027, 3, 3, 8), planned),
        (-2, a.employee.pk): (utc(2027, 3, 15, 8), planned),
        (-2, a.manager.pk): (utc(2027, 3, 15, 8), planned),
    }
    for reminder in Reminder.objects.filter(rule__anchor=ReminderAnchor.CONVERSATION):
        assert reminder.due_at.astimezone(a.organization.zone).time() == T(9, 0)
        assert reminder.conversation == conversation_of(cycle, a.employee)


def test_rescheduling_moves_the_unsent_reminders_and_leaves_a_sent_one_alone(
    tenant_a, django_capture_on_commit_callbacks
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    conversation = conversation_of(cycle, a.employee)
    schedule(django_capture_on_commit_callbacks, conversation, D(2027, 3, 17))
    mark_sent(Reminder.objects.get(rule__offset_days=-14, recipient=a.employee))

    # Into summer time: 09:00 in Amsterdam is now 07:00 UTC.
    schedule(django_capture_on_commit_callbacks, conversation, D(2027, 4, 14))

    planned, sent = ReminderStatus.PLANNED, ReminderStatus.SENT
    assert conversation_reminders(cycle) == {
        (-14, a.employee.pk): (utc(2027, 3, 3, 8), sent),  # history: not moved, not sent again
        (-14, a.manager.pk): (utc(2027, 3, 31, 7), planned),
        (-2, a.employee.pk): (utc(2027, 4, 12, 7), planned),
        (-2, a.manager.pk): (utc(2027, 4, 12, 7), planned),
    }
    moved = Reminder.objects.get(rule__offset_days=-2, recipient=a.manager)
    assert moved.next_try_at == moved.due_at


@pytest.mark.parametrize("close", ["cancel", "hold"])
def test_cancelling_or_holding_removes_the_conversations_unsent_reminders(
    tenant_a, django_capture_on_commit_callbacks, close
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    conversation = conversation_of(cycle, a.employee)
    schedule(django_capture_on_commit_callbacks, conversation, D(2027, 3, 17))
    sent = Reminder.objects.get(rule__offset_days=-14, recipient=a.employee)
    mark_sent(sent)
    others = set(Reminder.objects.exclude(conversation=conversation).values_list("pk", "due_at", "status"))

    with django_capture_on_commit_callbacks(execute=True):
        if close == "cancel":
            services.conversation_cancel(conversation=conversation)
        else:
            with time_machine.travel(datetime.datetime(2027, 3, 17, 15, tzinfo=UTC)):  # after it took place
                services.conversation_hold(conversation=conversation, agreements="Afspraken.")

    assert list(Reminder.objects.filter(conversation=conversation)) == [sent]
    assert set(Reminder.objects.exclude(conversation=conversation).values_list("pk", "due_at", "status")) == others


def test_moving_a_window_moves_its_window_reminders_and_the_weekly_digests(
    tenant_a, django_capture_on_commit_callbacks
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    moment = cycle.moments.get()
    sent = Reminder.objects.get(rule__anchor=ReminderAnchor.WINDOW_OPENS, recipient=a.outsider)
    mark_sent(sent)

    with django_capture_on_commit_callbacks(execute=True):
        services.moment_move(
            moment=moment, opens_on=D(2027, 3, 8), closes_on=D(2027, 4, 7), reason="Drukte", actor=a.hr
        )

    opens, closes = utc(2027, 3, 8, 8), utc(2027, 3, 31, 7)  # the close reminder is now in summer time
    assert summary(cycle, status=ReminderStatus.PLANNED) == {
        *((ReminderAnchor.WINDOW_OPENS, 0, p.pk, "conversation", opens) for p in (a.hr, a.manager, a.employee)),
        (ReminderAnchor.WINDOW_OPENS, 0, a.manager.pk, "moment", opens),
        (ReminderAnchor.WINDOW_CLOSES, -7, a.manager.pk, "moment", closes),
    }
    assert Reminder.objects.get(pk=sent.pk).due_at == utc(2027, 3, 1, 8)
    weekly = Reminder.objects.filter(rule__anchor=ReminderAnchor.OVERDUE_WEEKLY).order_by("due_at")
    # The window now closes on Wednesday 7 April: the first digest is Monday 12 April, not 5 April.
    assert weekly.first().occasion == D(2027, 4, 12)
    assert weekly.count() == 38


# Rules


def test_a_disabled_rule_removes_its_planned_rows_and_keeps_what_was_sent(tenant_a, django_capture_on_commit_callbacks):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    rule = rule_of(cycle, ReminderAnchor.WINDOW_OPENS)
    sent = Reminder.objects.get(rule=rule, recipient=a.outsider)
    mark_sent(sent)
    others = set(Reminder.objects.exclude(rule=rule).values_list("pk", "due_at"))

    reminder_rule_save(cycle=cycle, rule=rule, enabled=False)

    assert list(Reminder.objects.filter(rule=rule)) == [sent]
    assert set(Reminder.objects.exclude(rule=rule).values_list("pk", "due_at")) == others

    reminder_rule_save(cycle=cycle, rule=rule, enabled=True)  # back on: planned again, the sent one not twice
    assert Reminder.objects.filter(rule=rule).count() == 5
    assert Reminder.objects.filter(rule=rule, recipient=a.outsider).get() == sent


def test_changing_a_rule_re_plans_its_reminders(tenant_a, django_capture_on_commit_callbacks):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    schedule(django_capture_on_commit_callbacks, conversation_of(cycle, a.employee), D(2027, 3, 17))
    rule = rule_of(cycle, ReminderAnchor.CONVERSATION, -2)
    others = set(Reminder.objects.exclude(rule=rule).values_list("pk", "due_at"))

    reminder_rule_save(cycle=cycle, rule=rule, offset_days=-3, time_of_day=T(8, 30))

    assert {(r.recipient_id, r.due_at) for r in Reminder.objects.filter(rule=rule)} == {
        (a.employee.pk, utc(2027, 3, 14, 7, 30)),
        (a.manager.pk, utc(2027, 3, 14, 7, 30)),
    }
    assert set(Reminder.objects.exclude(rule=rule).values_list("pk", "due_at")) == others


def test_a_new_rule_on_an_active_cycle_is_planned_at_once(tenant_a, django_capture_on_commit_callbacks):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    schedule(django_capture_on_commit_callbacks, conversation_of(cycle, a.employee), D(2027, 3, 17))

    rule = reminder_rule_save(
        cycle=cycle,
        anchor=ReminderAnchor.WINDOW_CLOSES,
        offset_days=-1,
        time_of_day=T(9, 0),
        audience=ReminderAudience.EMPLOYEE,
    )

    # Only the people whose conversation is not yet scheduled.
    assert {r.recipient_id for r in Reminder.objects.filter(rule=rule)} == {a.hr.pk, a.manager.pk, a.outsider.pk}
    assert {r.due_at for r in Reminder.objects.filter(rule=rule)} == {utc(2027, 3, 30, 7)}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"anchor": ReminderAnchor.CONVERSATION, "offset_days": 91, "audience": ReminderAudience.BOTH},
            "offset_days",
            "Choose an offset between −90 and 90 days.",
        ),
        (
            {"anchor": ReminderAnchor.WINDOW_OPENS, "offset_days": -91, "audience": ReminderAudience.EMPLOYEE},
            "offset_days",
            "Choose an offset between −90 and 90 days.",
        ),
        (
            {"anchor": ReminderAnchor.OVERDUE_WEEKLY, "offset_days": 7, "audience": ReminderAudience.HR},
            "offset_days",
            "For the weekly digest, choose the weekday: 0 is Monday, 6 is Sunday.",
        ),
        (
            {"anchor": ReminderAnchor.WINDOW_OPENS, "offset_days": 0, "audience": ReminderAudience.HR},
            "audience",
            "The weekly overdue digest goes to HR admins, and only the digest does.",
        ),
        (
            {"anchor": ReminderAnchor.OVERDUE_WEEKLY, "offset_days": 0, "audience": ReminderAudience.MANAGER},
            "audience",
            "The weekly overdue digest goes to HR admins, and only the digest does.",
        ),
    ],
)
def test_a_bad_rule_is_refused_and_saves_nothing(
    tenant_a, django_capture_on_commit_callbacks, english, fields, field, message
):
    cycle = activated_cycle(tenant_a.organization, capture=django_capture_on_commit_callbacks)
    rules = set(ReminderRule.objects.values_list("pk", "anchor", "offset_days", "audience", "enabled"))
    reminders = set(Reminder.objects.values_list("pk", "key", "due_at"))

    with pytest.raises(ValidationError) as new:
        reminder_rule_save(cycle=cycle, time_of_day=T(9, 0), **fields)
    assert new.value.message_dict[field] == [message]

    existing = rule_of(cycle, fields["anchor"], 0 if fields["anchor"] != ReminderAnchor.CONVERSATION else -2)
    with pytest.raises(ValidationError) as change:
        reminder_rule_save(cycle=cycle, rule=existing, **fields)
    assert change.value.message_dict[field] == [message]

    assert set(ReminderRule.objects.values_list("pk", "anchor", "offset_days", "audience", "enabled")) == rules
    assert set(Reminder.objects.values_list("pk", "key", "due_at")) == reminders


# Local time and daylight saving


@pytest.mark.parametrize(
    ("conversation_day", "reminder_day", "utc_hour"),
    [
        (D(2027, 3, 31), D(2027, 3, 29), 7),  # after the spring change (28 March): UTC+2
        (D(2027, 3, 28), D(2027, 3, 26), 8),  # before it: UTC+1
        (D(2027, 11, 1), D(2027, 10, 30), 7),  # before the autumn change (31 October): UTC+2
        (D(2027, 11, 3), D(2027, 11, 1), 8),  # after it: UTC+1
    ],
)
def test_nine_in_amsterdam_is_due_at_the_right_utc_hour_on_both_sides_of_a_change(
    tenant_a, django_capture_on_commit_callbacks, fake_mail, time_machine, conversation_day, reminder_day, utc_hour
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    schedule(django_capture_on_commit_callbacks, conversation_of(cycle, a.employee), conversation_day, T(10, 0))
    reminder = Reminder.objects.get(rule__offset_days=-2, recipient=a.employee)
    due = datetime.datetime.combine(reminder_day, T(utc_hour, 0), tzinfo=UTC)
    assert reminder.due_at == due

    # The dispatcher agrees: not a second early, and on the hour.
    time_machine.move_to(due - datetime.timedelta(seconds=1), tick=False)
    reminders_dispatch()
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.PLANNED
    time_machine.move_to(due, tick=False)
    reminders_dispatch()
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.SENT
    assert fake_mail.sent[reminder.key] == 1


def test_each_organisation_gets_its_own_nine_oclock(tenant_a, tenant_b, django_capture_on_commit_callbacks):
    tenant_b.organization.time_zone = "America/New_York"
    tenant_b.organization.save()
    # New York moves its clocks on 14 March 2027, Amsterdam on 28 March.
    windows = ((D(2027, 3, 12), D(2027, 3, 13)), (D(2027, 3, 15), D(2027, 3, 31)))
    amsterdam = activated_cycle(tenant_a.organization, capture=django_capture_on_commit_callbacks, windows=windows)
    new_york = activated_cycle(tenant_b.organization, capture=django_capture_on_commit_callbacks, windows=windows)

    def opening(cycle):
        managers = Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.WINDOW_OPENS, moment__isnull=False)
        return {r.moment.opens_on: r.due_at for r in managers}

    assert opening(amsterdam) == {D(2027, 3, 12): utc(2027, 3, 12, 8), D(2027, 3, 15): utc(2027, 3, 15, 8)}
    assert opening(new_york) == {D(2027, 3, 12): utc(2027, 3, 12, 14), D(2027, 3, 15): utc(2027, 3, 15, 13)}


def test_tokyo_nine_oclock_is_midnight_utc(tenant_a, django_capture_on_commit_callbacks):
    tenant_a.organization.time_zone = "Asia/Tokyo"
    tenant_a.organization.save()
    cycle = activated_cycle(tenant_a.organization, capture=django_capture_on_commit_callbacks)
    assert {r.due_at for r in Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.WINDOW_OPENS)} == {
        utc(2027, 3, 1, 0)
    }


# Deactivated people


def test_a_deactivated_persons_planned_reminder_is_skipped_at_dispatch(
    tenant_a, django_capture_on_commit_callbacks, fake_mail, time_machine
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    theirs = Reminder.objects.get(cycle=cycle, recipient=a.employee)
    person_deactivate(employee=a.employee, actor=a.hr)  # does not re-plan: the row is still PLANNED

    time_machine.move_to(utc(2027, 3, 1, 8), tick=False)
    tick = reminders_dispatch()

    theirs.refresh_from_db()
    assert theirs.status == ReminderStatus.SKIPPED and theirs.last_error == DEACTIVATED
    assert theirs.key not in fake_mail.sent
    assert a.employee.user.email not in {address for message in django_mail.outbox for address in message.to}
    assert tick.skipped == 1 and tick.sent == 4  # hr, manager (own + team), outsider


def test_no_new_reminders_are_planned_for_a_deactivated_person(tenant_a, django_capture_on_commit_callbacks):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    person_deactivate(employee=a.employee, actor=a.hr)

    schedule(django_capture_on_commit_callbacks, conversation_of(cycle, a.employee), D(2027, 3, 17))
    reminders_plan(cycle=cycle)

    assert not Reminder.objects.filter(conversation__employee=a.employee).exists()
    assert not Reminder.objects.filter(recipient=a.employee).exists()


def test_a_deactivated_manager_is_not_reminded_but_their_reports_still_are(
    tenant_a, django_capture_on_commit_callbacks
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    person_deactivate(employee=a.manager, actor=a.hr)

    reminders_plan(cycle=cycle)

    assert not Reminder.objects.filter(recipient=a.manager).exists()
    assert Reminder.objects.filter(recipient=a.employee, rule__anchor=ReminderAnchor.WINDOW_OPENS).exists()


def test_a_rule_moved_to_another_anchor_plans_a_new_reminder_even_where_the_old_one_was_sent(
    tenant_a, django_capture_on_commit_callbacks
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    rule = rule_of(cycle, ReminderAnchor.WINDOW_OPENS)
    sent = Reminder.objects.get(rule=rule, recipient=a.employee, conversation__isnull=False)
    mark_sent(sent)

    reminder_rule_save(cycle=cycle, rule=rule, anchor=ReminderAnchor.WINDOW_CLOSES, offset_days=-3)

    mine = Reminder.objects.filter(rule=rule, recipient=a.employee, conversation__isnull=False)
    assert {(r.status, r.due_at) for r in mine} == {
        (ReminderStatus.SENT, sent.due_at),
        (ReminderStatus.PLANNED, utc(2027, 3, 28, 7, 0)),  # 3 days before 31 March, 09:00 summer time
    }


def test_a_resent_reminder_survives_a_change_of_its_rules_time(
    tenant_a, django_capture_on_commit_callbacks, time_machine
):
    a = tenant_a
    cycle = activated_cycle(a.organization, capture=django_capture_on_commit_callbacks)
    rule = rule_of(cycle, ReminderAnchor.WINDOW_OPENS)
    failed = Reminder.objects.get(rule=rule, recipient=a.employee)
    time_machine.move_to(utc(2027, 3, 1, 12, 0), tick=False)  # after it was due; it failed, HR resends it
    Reminder.objects.filter(pk=failed.pk).update(status=ReminderStatus.PLANNED, next_try_at=utc(2027, 3, 1, 11, 0))

    reminder_rule_save(cycle=cycle, rule=rule, time_of_day=T(8, 0))

    assert Reminder.objects.filter(pk=failed.pk, status=ReminderStatus.PLANNED).exists()
