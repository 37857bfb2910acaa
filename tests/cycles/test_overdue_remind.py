"""HR's "Remind <manager>" on the overdue list: one POST records the reminder (the row then says "Reminded on … by
…", the audit trail has it) and the cycle's reminder machinery mails the manager; what may not be reminded is
refused with a message and saves nothing. The clock and the people: tests/cycles/overdue_world.py."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from cycles.dispatch import reminders_dispatch
from cycles.models import (
    Conversation,
    ConversationState,
    Cycle,
    CycleStatus,
    Moment,
    Nudge,
    PlanRequest,
    Reminder,
    ReminderAnchor,
    ReminderRule,
    ReminderStatus,
)
from cycles.nudge_mail import NO_LONGER_OVERDUE
from cycles.planning import reminders_plan
from cycles.services import nudges
from organizations.audit_models import AuditEntry
from organizations.models import Employee
from tests.cycles.overdue_world import JULY, list_url, remind_url
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    in_english,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


def remind(client, tenant, conversation, after_commit, **data):
    with after_commit():
        return client.post(remind_url(tenant, conversation), data)


def nudge_reminders():
    return Reminder.objects.filter(rule__anchor=ReminderAnchor.OVERDUE_NUDGE)


def test_reminding_records_it_and_the_dispatcher_mails_the_manager(tenant_a, hr_in_july, year, after_commit):
    in_english(tenant_a.manager)
    back = list_url(tenant_a, year.cycle, page=1)
    response = remind(hr_in_july, tenant_a, year.eva, after_commit, next=back)

    assert response.status_code == 302 and response["Location"] == f"{back}#row-{year.eva.pk}"
    nudge = Nudge.objects.get()
    assert (nudge.conversation, nudge.manager, nudge.sent_by, nudge.on) == (
        year.eva,
        tenant_a.manager,
        tenant_a.hr,
        datetime.date(2027, 7, 15),
    )
    reminder = nudge_reminders().get()  # planned by the cycle's machinery, due at once
    assert (reminder.recipient, reminder.status, reminder.subject_id) == (
        tenant_a.manager,
        ReminderStatus.PLANNED,
        nudge.pk,
    )
    assert reminder.due_at == nudge.created_at and not PlanRequest.objects.exists()
    entry = AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(Nudge), object_id=nudge.pk)
    assert (entry.action, entry.actor_employee) == (AuditEntry.Action.CREATE, tenant_a.hr)

    assert reminders_dispatch().sent == 1
    [message] = mail.outbox
    assert message.to == [tenant_a.manager.user.email]
    assert message.subject == f"Overdue: June talk with {tenant_a.employee.full_name}"
    link = url("cycles:conversation_detail", tenant_a.organization, conversation_id=year.eva.pk)
    assert f"{tenant_a.hr.full_name} (HR) reminds you" in message.body and link in message.body
    assert "the window closed on 30 June 2027, 15 days ago" in message.body
    assert nudge_reminders().get().status == ReminderStatus.SENT

    page = hr_in_july.get(back).content.decode()
    assert f"Reminded on 15 July 2027 by {tenant_a.hr.full_name}" in page
    assert f'action="{remind_url(tenant_a, year.eva)}"' not in page


def test_the_success_says_who_is_reminded_about_whom(tenant_a, hr_in_july, year, after_commit):
    with after_commit():
        response = hr_in_july.post(remind_url(tenant_a, year.eva), follow=True)
    [said] = shown_messages(response)
    assert said == (
        f"{tenant_a.manager.full_name} gets a reminder about the conversation with {tenant_a.employee.full_name} "
        "within a few minutes."
    )
    assert response.redirect_chain[-1][0] == f"{list_url(tenant_a, year.cycle)}#row-{year.eva.pk}"


def test_the_email_is_in_the_managers_language(tenant_a, hr_in_july, year, after_commit):
    user = tenant_a.manager.user
    user.language = "nl"
    user.save(update_fields=["language"])
    remind(hr_in_july, tenant_a, year.eva, after_commit)
    reminders_dispatch()
    [message] = mail.outbox
    assert message.subject == f"Over tijd: Junigesprek met {tenant_a.employee.full_name}"
    assert "de periode sloot op 30 juni 2027, 15 dagen geleden" in message.body


def test_a_second_reminder_the_same_day_is_refused_and_the_next_day_is_not(tenant_a, hr_in_july, year, after_commit):
    remind(hr_in_july, tenant_a, year.eva, after_commit)
    with assert_nothing_changes():
        response = hr_in_july.post(remind_url(tenant_a, year.eva), follow=True)
    assert shown_messages(response)[-1:] == [
        f"{tenant_a.manager.full_name} was already reminded of this conversation today, by {tenant_a.hr.full_name}."
    ]
    with time_machine.travel(JULY + datetime.timedelta(days=1)):
        remind(client_for(tenant_a.hr), tenant_a, year.eva, after_commit)
    assert Nudge.objects.count() == 2 and nudge_reminders().count() == 2


def test_two_clicks_at_once_remind_once(tenant_a, year, july, monkeypatch, english):
    """The second click's check ran before the first one's row was saved: the unique key refuses it."""
    nudges.overdue_remind(conversation=year.eva, actor=tenant_a.hr)
    monkeypatch.setattr(nudges, "refusal", lambda *args, **kwargs: None)
    with assert_nothing_changes(), pytest.raises(nudges.ValidationError) as refused:
        nudges.overdue_remind(conversation=year.eva, actor=tenant_a.hr)
    assert refused.value.messages == [f"{tenant_a.manager.full_name} was already reminded of this conversation today."]


@pytest.mark.parametrize("change", ["held", "cancelled", "window_reopened"])
def test_a_conversation_no_longer_overdue_is_refused(tenant_a, hr_in_july, year, change):
    if change == "window_reopened":
        Moment.objects.filter(pk=year.june.pk).update(closes_on=datetime.date(2027, 8, 31))
    else:
        Conversation.objects.filter(pk=year.eva.pk).update(state=change)
    with assert_nothing_changes():
        response = hr_in_july.post(remind_url(tenant_a, year.eva), follow=True)
    assert shown_messages(response) == [
        f"The conversation with {tenant_a.employee.full_name} is no longer overdue: it has been held or cancelled, "
        "or its window is open."
    ]


def test_someone_without_a_manager_is_refused_saying_whom_to_contact(tenant_a, hr_in_july, year):
    with assert_nothing_changes():
        response = hr_in_july.post(remind_url(tenant_a, year.olaf), follow=True)
    name = tenant_a.outsider.full_name
    assert shown_messages(response) == [
        f"{name} has no manager, so there is nobody to remind. Contact {name} yourself, or give them a manager."
    ]


def test_a_deactivated_manager_or_person_is_refused(tenant_a, hr_in_july, year):
    Employee.objects.filter(pk=tenant_a.manager.pk).update(is_active=False)
    with assert_nothing_changes():
        response = hr_in_july.post(remind_url(tenant_a, year.eva), follow=True)
    assert "has been deactivated. Contact" in shown_messages(response)[0]
    Employee.objects.filter(pk=tenant_a.employee.pk).update(is_active=False)
    with assert_nothing_changes():
        response = hr_in_july.post(remind_url(tenant_a, year.eva), follow=True)
    assert shown_messages(response) == [
        f"{tenant_a.employee.full_name} has been deactivated, so nobody is reminded of this conversation."
    ]


def test_a_cycle_that_is_not_active_is_refused(tenant_a, hr_in_july, year):
    Cycle.objects.filter(pk=year.cycle.pk).update(status=CycleStatus.CLOSED)
    with assert_nothing_changes():
        response = hr_in_july.post(remind_url(tenant_a, year.eva), follow=True)
    assert shown_messages(response) == ["Reminders go out only while the cycle is active."]


def test_a_next_outside_the_organisation_is_not_followed(tenant_a, hr_in_july, year, after_commit):
    for target in ("https://evil.example/o/alfa/", "//evil.example/", "/o/bravo/cycles/", "javascript:alert(1)"):
        Nudge.objects.all().delete()
        response = remind(hr_in_july, tenant_a, year.eva, after_commit, next=target)
        assert response["Location"] == f"{list_url(tenant_a, year.cycle)}#row-{year.eva.pk}", target


def test_another_organisation_gets_404_a_manager_or_employee_403_and_get_405(client, tenant_a, stranger, year, july):
    address = remind_url(tenant_a, year.eva)
    assert_other_organisation_gets_404(client, stranger, address, "post")
    assert_role_forbidden(client, tenant_a.manager, address, "post")
    assert_role_forbidden(client, tenant_a.employee, address, "post")
    assert_method_not_allowed(client_for(tenant_a.hr), address, ["get", "put", "delete"])
    missing = url("cycles:overdue_remind", tenant_a.organization, conversation_id=999999)
    assert client_for(tenant_a.hr).post(missing).status_code == 404


def test_a_conversation_held_before_the_dispatcher_runs_is_skipped_with_the_reason(
    tenant_a, hr_in_july, year, after_commit
):
    remind(hr_in_july, tenant_a, year.eva, after_commit)
    Conversation.objects.filter(pk=year.eva.pk).update(state=ConversationState.HELD)
    tick = reminders_dispatch()
    assert (tick.sent, tick.skipped, mail.outbox) == (0, 1, [])
    assert nudge_reminders().get().last_error == NO_LONGER_OVERDUE


def test_replanning_the_cycle_its_conversation_or_moment_keeps_the_planned_reminder(
    tenant_a, hr_in_july, year, after_commit
):
    remind(hr_in_july, tenant_a, year.eva, after_commit)
    planned = nudge_reminders().get()
    reminders_plan(cycle=year.cycle)
    reminders_plan(cycle=year.cycle, conversation_ids=[year.eva.pk])
    reminders_plan(cycle=year.cycle, moment_ids=[year.june.pk])
    reminders_plan(cycle=year.cycle, rules=ReminderRule.objects.filter(cycle=year.cycle))
    assert list(nudge_reminders().values_list("pk", "status")) == [(planned.pk, ReminderStatus.PLANNED)]


def test_the_cycle_has_one_hidden_rule_for_these_reminders(tenant_a, hr_in_july, year, after_commit):
    remind(hr_in_july, tenant_a, year.eva, after_commit)
    with time_machine.travel(JULY + datetime.timedelta(days=1)):
        remind(client_for(tenant_a.hr), tenant_a, year.eva, after_commit)
    rule = ReminderRule.objects.get(cycle=year.cycle, anchor=ReminderAnchor.OVERDUE_NUDGE)
    assert nudge_reminders().filter(rule=rule).count() == 2
    # HR's rules page leaves it out: it is not HR's to change or remove.
    edit = url("cycles:reminder_rule_edit", tenant_a.organization, cycle_id=year.cycle.pk, rule_id=rule.pk)
    page = hr_in_july.get(url("cycles:reminders", tenant_a.organization, cycle_id=year.cycle.pk))
    assert page.status_code == 200 and edit not in page.content.decode()
    assert hr_in_july.get(edit).status_code == 404


def test_the_reminder_log_says_whom_the_reminder_is_about(tenant_a, hr_in_july, year, after_commit):
    remind(hr_in_july, tenant_a, year.eva, after_commit)
    log = hr_in_july.get(url("cycles:reminders", tenant_a.organization, cycle_id=year.cycle.pk) + "?status=planned")
    [row] = [row for row in log.context["log"].rows if row.rule.anchor == ReminderAnchor.OVERDUE_NUDGE]
    assert row.about == f"Overdue conversation with {tenant_a.employee.full_name}"
    assert row.about in log.content.decode()
