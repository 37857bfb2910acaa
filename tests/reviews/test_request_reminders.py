"""Observation requests' reminders, through cycles' own machinery (cycles.anchors): planned with the cycle's
rules, sent by the dispatcher, gone once the request is answered or withdrawn, and shown on HR's reminder page.

The clock stands at Monday 4 January 2027, 11:00 in Amsterdam (winter time: 09:00 local is 08:00 UTC); tenant_a's
Eva takes part in an active cycle around that day (tests/reviews/conftest.py) with the default reminder rules.
The on-commit hooks run as after a real request, with Celery eager as in the test settings.
"""

import datetime
import html
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError

from cycles.dispatch import reminders_dispatch
from cycles.models import (
    CycleStatus,
    PlanRequest,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
    ReminderStatus,
)
from cycles.plan_requests import plan_requests_process
from cycles.reminder_rules import reminder_rule_save, reminder_rules_default
from reviews import services_requests as services
from reviews.models import ObservationRequest
from reviews.reminders import REQUEST_CLOSED
from tests.factories import CycleFactory, EmployeeFactory
from tests.kit import assert_flat_queries, broker_down, client_for, in_english, url, utc

pytestmark = pytest.mark.django_db

D = datetime.date
DUE_ON = D(2027, 1, 20)  # a Wednesday; the reminder two days before goes out on Monday 18 January at 09:00


@pytest.fixture
def cycle(january_2027, assessment):
    reminder_rules_default(cycle=assessment.cycle)
    in_english(assessment.tenant.outsider)
    return assessment.cycle


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def ask(assessment, after_commit, **changes):
    tenant = assessment.tenant
    arguments = {
        "asked_by": tenant.manager,
        "employee": tenant.employee,
        "colleague_id": tenant.outsider.pk,
        "expectation": assessment.expectations[0],
        "due_on": DUE_ON,
        "message": "Kijk naar de oplevering bij Jansen.",
    }
    arguments.update(changes)
    with after_commit():
        return services.request_create(**arguments)


def reminders_of(request, **filters):
    return {
        row.rule.anchor: row
        for row in Reminder.objects.filter(subject_id=request.pk, **filters).select_related("rule", "recipient")
    }


def answer(request, after_commit):
    with after_commit():
        services.request_answer(
            request=request,
            colleague=request.colleague,
            observed_on=D(2027, 1, 4),
            situation="Bij de oplevering.",
            behaviour="Eva belde de klant.",
            effect="",
            shows="shown",
        )


def test_a_new_cycle_gets_the_two_request_rules(cycle):
    rules = {(rule.anchor, rule.offset_days, rule.audience) for rule in ReminderRule.objects.filter(cycle=cycle)}
    assert (ReminderAnchor.REQUEST_MADE, 0, ReminderAudience.COLLEAGUE) in rules
    assert (ReminderAnchor.REQUEST_DUE, -2, ReminderAudience.COLLEAGUE) in rules


def test_a_request_plans_itself_at_once_and_a_reminder_two_days_before_it_is_due(assessment, cycle, after_commit):
    asked = ask(assessment, after_commit)

    planned = reminders_of(asked, status=ReminderStatus.PLANNED)
    assert set(planned) == {ReminderAnchor.REQUEST_MADE, ReminderAnchor.REQUEST_DUE}
    assert {row.recipient for row in planned.values()} == {assessment.tenant.outsider}
    assert planned[ReminderAnchor.REQUEST_MADE].due_at == asked.created_at
    assert planned[ReminderAnchor.REQUEST_DUE].due_at == utc(2027, 1, 18, 8)
    assert not PlanRequest.objects.exists()


@pytest.mark.parametrize("close", ["answer", "withdraw", "decline"])
def test_an_answered_withdrawn_or_declined_request_keeps_no_planned_reminders(assessment, cycle, after_commit, close):
    asked = ask(assessment, after_commit)
    if close == "answer":
        answer(asked, after_commit)
    else:
        with after_commit():
            if close == "withdraw":
                services.request_withdraw(request=asked, actor=assessment.tenant.manager)
            else:
                services.request_decline(request=asked, colleague=assessment.tenant.outsider)

    assert reminders_of(asked) == {}


def test_a_request_made_at_15_00_goes_out_with_the_next_tick(assessment, cycle, after_commit, january_2027):
    tenant = assessment.tenant
    january_2027.move_to(utc(2027, 1, 4, 14), tick=False)  # 15:00 in Amsterdam
    asked = ask(assessment, after_commit)
    january_2027.move_to(utc(2027, 1, 4, 14, 1), tick=False)

    tick = reminders_dispatch()

    assert tick.sent == 1 and tick.missed == 0
    [message] = mail.outbox
    assert message.to == [tenant.outsider.user.email]
    assert message.subject == f"Would you share an observation about {tenant.employee.full_name}?"
    version = asked.expectation_version
    body = message.body
    assert f"{tenant.manager.full_name} asks you for an observation about {tenant.employee.full_name}" in body
    assert "Wanted by Wednesday 20 January 2027." in body
    assert version.title_en in body and version.behaviour_en in body and asked.message in body
    assert url("reviews:request_answer", tenant.organization, request_id=asked.pk) in body
    assert reminders_of(asked)[ReminderAnchor.REQUEST_MADE].status == ReminderStatus.SENT
    assert reminders_of(asked)[ReminderAnchor.REQUEST_DUE].status == ReminderStatus.PLANNED


def test_the_due_reminder_goes_out_two_days_before_while_unanswered(assessment, cycle, after_commit, january_2027):
    asked = ask(assessment, after_commit)
    reminders_dispatch()
    mail.outbox.clear()
    january_2027.move_to(utc(2027, 1, 18, 8, 1), tick=False)

    reminders_dispatch()

    [message] = [message for message in mail.outbox if message.to == [asked.colleague.user.email]]
    assert message.subject == f"Reminder: an observation about {asked.employee.full_name}, wanted by 20 January"


def test_a_request_closed_before_its_replanning_is_skipped_by_the_dispatcher(assessment, cycle, after_commit):
    asked = ask(assessment, after_commit)
    ObservationRequest.objects.filter(pk=asked.pk).update(state=ObservationRequest.State.WITHDRAWN)

    tick = reminders_dispatch()

    assert tick.skipped == 1 and not mail.outbox
    assert reminders_of(asked)[ReminderAnchor.REQUEST_MADE].last_error == REQUEST_CLOSED


def test_with_the_broker_down_asking_is_saved_and_the_next_tick_plans_it(assessment, cycle, after_commit):
    tenant = assessment.tenant
    data = {
        "colleague": tenant.outsider.pk,
        "expectation": assessment.expectations[0].pk,
        "due_on": DUE_ON.isoformat(),
        "message": "",
    }
    with broker_down(), after_commit():
        response = client_for(tenant.manager).post(
            url("reviews:request_create", tenant.organization, employee_id=tenant.employee.pk), data
        )

    assert response.status_code == 302
    asked = ObservationRequest.objects.get()
    assert reminders_of(asked) == {} and PlanRequest.objects.count() == 1

    assert plan_requests_process() == 1
    assert set(reminders_of(asked)) == {ReminderAnchor.REQUEST_MADE, ReminderAnchor.REQUEST_DUE}


def test_hrs_reminder_page_shows_the_rules_and_whom_a_request_reminder_is_about(assessment, cycle, after_commit, hr):
    tenant = assessment.tenant
    ask(assessment, after_commit)

    address = url("cycles:reminders", tenant.organization, cycle_id=cycle.pk) + "?status=planned"
    page = html.unescape(hr.get(address).content.decode())

    assert "When a colleague is asked for an observation" in page and "As soon as it is made" in page
    assert "When an observation request is due, if not yet answered" in page and "The colleague asked" in page
    about = f"Observation request to {tenant.outsider.full_name} about {tenant.employee.full_name}"
    assert page.count(about) == 2


@pytest.mark.parametrize(
    ("anchor", "offset", "audience", "field"),
    [
        (ReminderAnchor.REQUEST_MADE, 1, ReminderAudience.COLLEAGUE, "offset_days"),
        (ReminderAnchor.REQUEST_DUE, -2, ReminderAudience.EMPLOYEE, "audience"),
        (ReminderAnchor.WINDOW_OPENS, 0, ReminderAudience.COLLEAGUE, "audience"),
    ],
)
def test_request_rules_go_to_the_colleague_and_the_request_at_once(cycle, english, anchor, offset, audience, field):
    with pytest.raises(ValidationError) as refused:
        reminder_rule_save(
            cycle=cycle,
            anchor=anchor,
            offset_days=offset,
            time_of_day=datetime.time(9),
            audience=audience,
            enabled=True,
        )
    assert set(refused.value.message_dict) == {field}


def test_the_data_migration_gives_running_and_prepared_cycles_the_request_rules_once(tenant_a):
    migration = importlib.import_module("cycles.migrations.0006_request_reminder_rules")
    organization = tenant_a.organization
    draft, active, closed = (
        CycleFactory(organization=organization, status=status)
        for status in (CycleStatus.DRAFT, CycleStatus.ACTIVE, CycleStatus.CLOSED)
    )
    ReminderRule.objects.create(
        organization=organization,
        cycle=active,
        anchor=ReminderAnchor.REQUEST_DUE,
        offset_days=-5,
        time_of_day=datetime.time(8),
        audience=ReminderAudience.COLLEAGUE,
    )

    migration.add_request_rules(apps, None)
    migration.add_request_rules(apps, None)

    def anchors(cycle):
        return sorted(ReminderRule.objects.filter(cycle=cycle).values_list("anchor", "offset_days"))

    assert anchors(draft) == [(ReminderAnchor.REQUEST_DUE, -2), (ReminderAnchor.REQUEST_MADE, 0)]
    assert anchors(active) == [(ReminderAnchor.REQUEST_DUE, -5), (ReminderAnchor.REQUEST_MADE, 0)]
    assert anchors(closed) == []


def test_hr_moving_the_due_rule_moves_the_planned_reminder(assessment, cycle, after_commit):
    asked = ask(assessment, after_commit)
    rule = ReminderRule.objects.get(cycle=cycle, anchor=ReminderAnchor.REQUEST_DUE)

    reminder_rule_save(cycle=cycle, rule=rule, time_of_day=datetime.time(10, 30))

    assert reminders_of(asked)[ReminderAnchor.REQUEST_DUE].due_at == utc(2027, 1, 18, 9, 30)


def test_the_reminder_page_asks_the_same_queries_for_2_and_40_request_reminders(assessment, cycle, after_commit, hr):
    tenant = assessment.tenant
    colleagues = [EmployeeFactory(organization=tenant.organization) for _number in range(4)]

    def build(numbers):
        for number in numbers:
            ask(
                assessment,
                after_commit,
                colleague_id=colleagues[number % 4].pk,
                due_on=DUE_ON + datetime.timedelta(number),
            )

    reminders_page = url("cycles:reminders", tenant.organization, cycle_id=cycle.pk) + "?status=planned"
    response = assert_flat_queries(lambda: hr.get(reminders_page), build, few=2, many=25)

    about_requests = [row for row in response.context["log"].rows if row.subject_id]
    assert len(about_requests) > 40 and all(row.about for row in about_requests)
