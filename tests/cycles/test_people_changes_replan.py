"""People changes reach the reminders: a new manager, a new (or former) HR admin and a deactivated person.

HR changes a person on their page (or by importing a file); after the commit the
cycles the person takes part in are re-planned (organizations.signals.person_changed
→ cycles.receivers → the plan-request outbox), so the reminders go where the
organisation now says. The on-commit hooks run here as after a real request
(``django_capture_on_commit_callbacks(execute=True)``), with Celery eager as in
the test settings; the emails are the real ones, sent by the dispatcher.
"""

import datetime
from datetime import UTC

import pytest
from django.core import mail

from cycles import services
from cycles.dispatch import reminders_dispatch
from cycles.models import Conversation, CycleStatus, PlanRequest, Reminder, ReminderAnchor, ReminderStatus
from cycles.planning import reminders_plan
from cycles.reminder_rules import reminder_rules_default
from organizations.importing import people_import_apply, people_import_create
from organizations.models import Employee, Role
from tests.factories import CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import client_for, in_english, person_form, url

pytestmark = pytest.mark.django_db

D, T = datetime.date, datetime.time
# Amsterdam is on winter time in March until the 28th: 09:00 local is 08:00 UTC.
MARCH_1_AFTER_NINE = datetime.datetime(2027, 3, 1, 8, 30, tzinfo=UTC)
MARCH_13_AFTER_NINE = datetime.datetime(2027, 3, 13, 8, 30, tzinfo=UTC)
# The first weekly digest: Monday after the March window closed, 09:00 summer time.
APRIL_5_AFTER_NINE = datetime.datetime(2027, 4, 5, 7, 30, tzinfo=UTC)


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run a block's on-commit hooks, as the end of a real request does (the planning after a change)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def cycle(tenant_a, january_2027, after_commit):
    """2027 for everyone, a March window, the default reminder rules, activated and planned."""
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.DRAFT)
    MomentFactory(cycle=cycle, name_en="Progress talk", opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    reminder_rules_default(cycle=cycle)
    with after_commit():
        services.cycle_activate(cycle=cycle)
    return cycle


def evas_conversation(tenant, cycle):
    return Conversation.objects.get(moment__cycle=cycle, employee=tenant.employee)


def planned_for(person, cycle):
    """The planned reminders ``person`` receives in ``cycle``: (anchor, offset, about whom, due)."""
    rows = Reminder.objects.filter(cycle=cycle, recipient=person, status=ReminderStatus.PLANNED).select_related(
        "rule", "conversation"
    )
    return {
        (row.rule.anchor, row.rule.offset_days, row.conversation.employee_id if row.conversation else None, row.due_at)
        for row in rows
    }


def as_manager(person, cycle):
    """What ``person`` is planned to receive in ``cycle`` about other people's conversations (as their manager)."""
    return {row for row in planned_for(person, cycle) if row[2] != person.pk}


def mail_to(person):
    return [message for message in mail.outbox if message.to == [person.user.email]]


def dispatch_at(clock, when):
    clock.move_to(when, tick=False)
    reminders_dispatch()


def test_after_a_manager_change_the_new_manager_gets_the_reminders_the_old_one_would_have_had(
    tenant_a, cycle, january_2027, after_commit
):
    with after_commit():
        services.conversation_schedule(conversation=evas_conversation(tenant_a, cycle), day=D(2027, 3, 15), at=T(10))
    mark, nina = tenant_a.manager, EmployeeFactory(organization=tenant_a.organization, role=Role.MANAGER)
    reminders_plan(cycle=cycle)  # scheduling re-planned Eva's own reminders; Mark's closing digest goes only now
    marks = as_manager(mark, cycle)
    assert marks, "Mark had reminders about Eva's conversation before the change"

    with after_commit():
        response = client_for(tenant_a.hr).post(
            url("organizations:person_edit", tenant_a.organization, employee_id=tenant_a.employee.pk),
            person_form(tenant_a.employee, manager=nina.pk),
        )
    assert response.status_code == 302

    assert as_manager(mark, cycle) == set()
    assert as_manager(nina, cycle) == marks
    mail.outbox.clear()
    dispatch_at(january_2027, MARCH_1_AFTER_NINE)
    dispatch_at(january_2027, MARCH_13_AFTER_NINE)
    assert [message.subject for message in mail_to(mark) if tenant_a.employee.full_name in message.body] == []
    # The window opening (a digest of her reports) and the conversation 14 and 2 days ahead, about Eva.
    assert len(mail_to(nina)) == 3
    assert all(tenant_a.employee.full_name in message.body for message in mail_to(nina))


def test_a_manager_set_by_an_import_gets_the_reminders_too(tenant_a, cycle, after_commit):
    with after_commit():
        services.conversation_schedule(conversation=evas_conversation(tenant_a, cycle), day=D(2027, 3, 15), at=T(10))
    nina = EmployeeFactory(organization=tenant_a.organization, role=Role.MANAGER)
    reminders_plan(cycle=cycle)
    marks = as_manager(tenant_a.manager, cycle)
    content = (
        "email,first_name,manager_email\n"
        f"{tenant_a.employee.user.email},{tenant_a.employee.first_name},{nina.user.email}\n"
    ).encode()

    with after_commit():
        upload = people_import_create(
            organization=tenant_a.organization, uploaded_by=tenant_a.hr, file_name="people.csv", raw=content
        )
        people_import_apply(people_import=upload, actor=tenant_a.hr)

    assert as_manager(tenant_a.manager, cycle) == set()
    assert as_manager(nina, cycle) == marks


def test_someone_made_hr_admin_gets_the_weekly_overdue_digest(tenant_a, cycle, january_2027, after_commit):
    olaf = tenant_a.outsider
    in_english(olaf)
    with after_commit():
        response = client_for(tenant_a.hr).post(
            url("organizations:person_edit", tenant_a.organization, employee_id=olaf.pk),
            person_form(olaf, role=Role.HR_ADMIN),
        )
    assert response.status_code == 302

    digests = Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.OVERDUE_WEEKLY)
    assert digests.filter(recipient=olaf).count() == digests.filter(recipient=tenant_a.hr).count() > 0
    mail.outbox.clear()
    dispatch_at(january_2027, APRIL_5_AFTER_NINE)
    assert len(mail_to(olaf)) == 1
    assert mail_to(olaf)[0].subject == "2027: 4 conversations overdue"


def test_an_hr_admin_who_is_no_longer_one_no_longer_gets_the_digest(tenant_a, cycle, after_commit):
    second = EmployeeFactory(organization=tenant_a.organization, role=Role.HR_ADMIN)
    with after_commit():
        services.cycle_activate(cycle=cycle)  # the digest for the second HR admin, as on the day they were made one
    assert Reminder.objects.filter(cycle=cycle, recipient=second, rule__anchor=ReminderAnchor.OVERDUE_WEEKLY).exists()

    with after_commit():
        response = client_for(tenant_a.hr).post(
            url("organizations:person_edit", tenant_a.organization, employee_id=second.pk),
            person_form(second, role=Role.EMPLOYEE),
        )
    assert response.status_code == 302

    digests = Reminder.objects.filter(
        cycle=cycle, rule__anchor=ReminderAnchor.OVERDUE_WEEKLY, status=ReminderStatus.PLANNED
    )
    assert not digests.filter(recipient=second).exists()
    assert digests.filter(recipient=tenant_a.hr).exists()


@pytest.mark.parametrize("who", ["employee", "manager"])
def test_a_deactivated_persons_planned_reminders_are_removed(tenant_a, cycle, after_commit, who):
    person = tenant_a.member(who)
    assert Reminder.objects.filter(cycle=cycle, recipient=person, status=ReminderStatus.PLANNED).exists()

    with after_commit():
        response = client_for(tenant_a.hr).post(
            url("organizations:person_deactivate", tenant_a.organization, employee_id=person.pk), {"confirm": "yes"}
        )
    assert response.status_code == 302

    assert not Reminder.objects.filter(cycle=cycle, recipient=person, status=ReminderStatus.PLANNED).exists()


def test_a_reactivated_person_is_reminded_again(tenant_a, cycle, after_commit):
    eva = tenant_a.employee
    before = planned_for(eva, cycle)
    hr = client_for(tenant_a.hr)
    with after_commit():
        hr.post(url("organizations:person_deactivate", tenant_a.organization, employee_id=eva.pk), {"confirm": "yes"})
    assert planned_for(eva, cycle) == set()
    with after_commit():
        hr.post(url("organizations:person_reactivate", tenant_a.organization, employee_id=eva.pk))
    assert planned_for(eva, cycle) == before


# Without the on-commit hooks the outbox keeps what a change recorded, so these can see it.


def test_a_change_nobody_plans_around_records_no_replanning(tenant_a, cycle):
    hr = client_for(tenant_a.hr)
    address = url("organizations:person_edit", tenant_a.organization, employee_id=tenant_a.employee.pk)
    hr.post(address, person_form(tenant_a.employee, job_title="Senior advisor"))
    assert Employee.objects.get(pk=tenant_a.employee.pk).job_title == "Senior advisor"
    assert not PlanRequest.objects.exists()

    hr.post(address, person_form(tenant_a.employee, manager=tenant_a.hr.pk))
    assert PlanRequest.objects.filter(cycle=cycle).count() == 1


def test_a_refused_change_records_no_replanning(tenant_a, cycle):
    response = client_for(tenant_a.hr).post(
        url("organizations:person_edit", tenant_a.organization, employee_id=tenant_a.hr.pk),
        person_form(tenant_a.hr, role=Role.EMPLOYEE),  # the last HR admin
    )
    assert response.status_code == 200
    assert Employee.objects.get(pk=tenant_a.hr.pk).role == Role.HR_ADMIN
    assert not PlanRequest.objects.exists()


def test_an_import_that_changes_many_people_records_one_replanning_per_cycle(tenant_a, cycle):
    rows = [
        f"{person.user.email},{person.first_name},{tenant_a.hr.user.email}"
        for person in (tenant_a.employee, tenant_a.manager, tenant_a.outsider)
    ]
    upload = people_import_create(
        organization=tenant_a.organization,
        uploaded_by=tenant_a.hr,
        file_name="people.csv",
        raw=("email,first_name,manager_email\n" + "\n".join(rows) + "\n").encode(),
    )
    people_import_apply(people_import=upload, actor=tenant_a.hr)
    assert Employee.objects.filter(manager=tenant_a.hr).count() == 3
    assert PlanRequest.objects.filter(cycle=cycle).count() == 1
