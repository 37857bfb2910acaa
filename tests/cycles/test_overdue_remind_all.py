"""HR's "Remind these N managers" on the overdue list: it asks first, saying to how many managers about how many
conversations and who is left out and why; confirmed, each manager gets one email listing their overdue reports,
the audit trail gets one entry on the cycle, and nothing is reminded twice on a day. The clock and the people:
tests/cycles/overdue_world.py."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from cycles.dispatch import reminders_dispatch
from cycles.models import Cycle, CycleStatus, Moment, Nudge, Reminder, ReminderAnchor
from organizations.audit_models import AuditEntry
from organizations.models import Employee
from tests.cycles.overdue_world import add_overdue, list_url, remind_all_url
from tests.factories import EmployeeFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    in_english,
    shown_messages,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_manager(tenant_a, year):
    """Pim manages two more overdue people in June; one person has left, so theirs is left out."""
    pim = EmployeeFactory(organization=tenant_a.organization, first_name="Pim", last_name="Bos")
    add_overdue(tenant_a, year.june, [1, 2], manager=pim)
    add_overdue(tenant_a, year.june, [3], is_active=False)
    return pim


def test_the_list_offers_remind_all_with_its_counts(tenant_a, hr_in_july, year, second_manager):
    response = hr_in_july.get(list_url(tenant_a, year.cycle))
    preview = response.context["preview"]
    assert (preview.overdue, preview.conversations, preview.managers) == (5, 3, 2)
    assert (preview.reminded_today, preview.without_manager, preview.deactivated) == (0, 1, 1)
    page = response.content.decode()
    assert "Remind these 2 managers" in page
    assert "2 managers each get one email listing their part of 3 overdue conversations." in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_asks_first_saying_to_whom_how_many_and_who_is_left_out(tenant_a, hr_in_july, year, second_manager, method):
    with assert_nothing_changes():
        response = getattr(hr_in_july, method)(remind_all_url(tenant_a, year.cycle))  # no confirm=yes
    assert response.status_code == 200
    points = response.context["points"]
    assert points[0] == "2 managers each get one email listing their part of 3 overdue conversations."
    assert "1 person has no active manager and is left out: contact them yourself (they stay on the list)." in points
    assert "1 conversation belongs to someone who has been deactivated and is left out." in points
    assert set(response.context["names"]) == {second_manager.full_name, tenant_a.manager.full_name}
    assert response.context["button"] == "Remind these 2 managers"


def test_confirmed_each_manager_gets_one_email_listing_their_reports(
    tenant_a, hr_in_july, year, second_manager, after_commit
):
    in_english(tenant_a.manager, second_manager)
    with after_commit():
        response = hr_in_july.post(remind_all_url(tenant_a, year.cycle), {"confirm": "yes"}, follow=True)
    assert shown_messages(response) == ["2 managers get a reminder about 3 overdue conversations within a few minutes."]
    assert response.redirect_chain[-1][0] == list_url(tenant_a, year.cycle)
    assert Nudge.objects.count() == 3 and len({nudge.batch for nudge in Nudge.objects.all()}) == 1
    reminders = Reminder.objects.filter(rule__anchor=ReminderAnchor.OVERDUE_NUDGE)
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted([tenant_a.manager.pk, second_manager.pk])
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Cycle), object_id=year.cycle.pk, action=AuditEntry.Action.UPDATE
    )
    assert (entry.additional_data, entry.actor_employee) == ({"via": "overdue_remind_all", "count": 3}, tenant_a.hr)

    assert reminders_dispatch().sent == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    pims = by_recipient[second_manager.user.email]
    assert pims.subject == "Overdue: 2 conversations with people who report to you"
    assert "P001" in pims.body and "P002" in pims.body and tenant_a.employee.full_name not in pims.body
    marks = by_recipient[tenant_a.manager.user.email]
    assert marks.subject == f"Overdue: June talk with {tenant_a.employee.full_name}"

    # Every row says so, and a second "remind all" the same day finds nobody left.
    page = hr_in_july.get(list_url(tenant_a, year.cycle)).content.decode()
    assert page.count(f"Reminded on 15 July 2027 by {tenant_a.hr.full_name}") == 3
    with assert_nothing_changes():
        again = hr_in_july.post(remind_all_url(tenant_a, year.cycle), {"confirm": "yes"}, follow=True)
    assert shown_messages(again)[-1].startswith("Nobody is left to remind")


def test_one_moment_reminds_only_that_moments_conversations(tenant_a, hr_in_july, year, after_commit):
    july_talk = Moment.objects.create(
        organization=tenant_a.organization,
        cycle=year.cycle,
        name_en="July check",
        purpose_en="Check.",
        opens_on=datetime.date(2027, 7, 1),
        closes_on=datetime.date(2027, 7, 10),
    )
    [other] = add_overdue(tenant_a, july_talk, [7])  # overdue too, in another moment
    with after_commit():
        hr_in_july.post(remind_all_url(tenant_a, year.cycle, moment=year.june.pk), {"confirm": "yes"})
    assert list(Nudge.objects.values_list("conversation_id", flat=True)) == [year.eva.pk]
    assert other.pk not in set(Nudge.objects.values_list("conversation_id", flat=True))


def test_with_nobody_to_remind_it_goes_back_with_a_message(tenant_a, hr_in_july, year):
    Employee.objects.filter(pk=tenant_a.manager.pk).update(is_active=False)
    with assert_nothing_changes():
        response = hr_in_july.get(remind_all_url(tenant_a, year.cycle), follow=True)
    assert shown_messages(response) == [
        "Nobody is left to remind: every overdue conversation here was already reminded today, has no active manager, "
        "or belongs to someone who has been deactivated."
    ]
    with assert_nothing_changes():
        hr_in_july.post(remind_all_url(tenant_a, year.cycle), {"confirm": "yes"})


def test_a_cycle_that_is_not_active_is_refused(tenant_a, hr_in_july, year):
    Cycle.objects.filter(pk=year.cycle.pk).update(status=CycleStatus.CLOSED)
    with assert_nothing_changes():
        response = hr_in_july.post(remind_all_url(tenant_a, year.cycle), {"confirm": "yes"}, follow=True)
    assert shown_messages(response) == ["Reminders go out only while the cycle is active."]


def test_another_organisation_gets_404_and_a_manager_or_employee_403(client, tenant_a, stranger, year, july):
    address = remind_all_url(tenant_a, year.cycle)
    for method in ("get", "post"):
        data = {"confirm": "yes"} if method == "post" else None
        assert_other_organisation_gets_404(client, stranger, address, method, data)
        assert_role_forbidden(client, tenant_a.manager, address, method, data)
        assert_role_forbidden(client, tenant_a.employee, address, method, data)
    assert_method_not_allowed(client_for(tenant_a.hr), address, ["put", "delete"])


def test_the_confirmation_costs_as_many_queries_for_2_as_for_40_managers(tenant_a, hr_in_july, year):
    def build(numbers):
        for number in numbers:
            boss = EmployeeFactory(organization=tenant_a.organization, last_name=f"M{number:03}")
            add_overdue(tenant_a, year.june, [number], manager=boss)

    response = assert_flat_queries(lambda: hr_in_july.get(remind_all_url(tenant_a, year.cycle)), build)
    assert response.context["points"][0].startswith("41 managers each get one email")
    assert len(response.context["names"]) == 20  # and "21 more"


def test_hr_s_reminder_log_names_one_person_and_counts_the_others_in_both_languages(
    tenant_a, hr_in_july, year, second_manager, after_commit
):
    with after_commit():
        hr_in_july.post(remind_all_url(tenant_a, year.cycle), {"confirm": "yes"})
    log_url = reverse("cycles:reminders", kwargs={"org_slug": tenant_a.organization.slug, "cycle_id": year.cycle.pk})
    abouts = {row.recipient_id: row.about for row in hr_in_july.get(log_url + "?status=planned").context["log"].rows}
    # Pim's one email is about two conversations: one person named, one other counted.
    assert re.fullmatch(r"Overdue conversations with (.+) and 1 other", abouts[second_manager.pk])
    assert abouts[tenant_a.manager.pk] == f"Overdue conversation with {tenant_a.employee.full_name}"
    rows = client_for(tenant_a.hr, language="nl").get(log_url + "?status=planned").context["log"].rows
    assert re.fullmatch(
        r"Gesprekken over tijd met (.+) en 1 ander", {r.recipient_id: r.about for r in rows}[second_manager.pk]
    )
