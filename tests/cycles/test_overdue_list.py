"""HR's overdue list: each overdue conversation with its person, manager, moment, days overdue, the latest reminder,
a link to the conversation and a "Remind <manager>" button, or why there is none; per moment, 50 a page, in a fixed
number of queries. The clock and the people: tests/cycles/overdue_world.py."""

import datetime

import pytest

from cycles import selectors_overdue
from cycles.models import ConversationState, Cycle, CycleStatus, Nudge
from organizations.models import Employee
from tests.cycles.overdue_world import add_overdue, list_url, remind_url
from tests.factories import EmployeeFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    url,
)

pytestmark = pytest.mark.django_db


def rows_by_name(response):
    return {row.employee.full_name: row for row in response.context["overdue"].object_list}


def test_hr_sees_each_overdue_conversation_with_manager_moment_days_and_a_button(tenant_a, hr_in_july, year):
    response = hr_in_july.get(list_url(tenant_a, year.cycle))
    assert response.status_code == 200
    rows = rows_by_name(response)
    assert set(rows) == {tenant_a.employee.full_name, tenant_a.outsider.full_name}  # not Eva's September one
    eva = rows[tenant_a.employee.full_name]
    assert (eva.days_overdue, eva.last_nudge, eva.refusal) == (15, None, None)
    assert eva.url == url("cycles:conversation_detail", tenant_a.organization, conversation_id=year.eva.pk)
    page = response.content.decode()
    assert f'action="{remind_url(tenant_a, year.eva)}"' in page
    assert f"Remind {tenant_a.manager.full_name}" in page
    assert eva.url in page and "June talk" in page and "15 days overdue" in page and "Not reminded yet" in page
    assert response.context["overdue"].paginator.count == 2


def test_someone_without_a_manager_has_no_button_and_the_row_says_whom_to_contact(tenant_a, hr_in_july, year):
    response = hr_in_july.get(list_url(tenant_a, year.cycle))
    olaf = rows_by_name(response)[tenant_a.outsider.full_name]
    assert "has no manager" in olaf.refusal and f"Contact {tenant_a.outsider.full_name} yourself" in olaf.refusal
    page = response.content.decode()
    assert f'action="{remind_url(tenant_a, year.olaf)}"' not in page
    person_page = url("organizations:person_detail", tenant_a.organization, employee_id=tenant_a.outsider.pk)
    assert person_page in page and olaf.refusal in page


def test_a_deactivated_manager_or_person_gets_no_button_and_says_why(tenant_a, hr_in_july, year):
    [gone] = add_overdue(tenant_a, year.june, [1], manager=tenant_a.hr)
    Employee.objects.filter(pk=tenant_a.manager.pk).update(is_active=False)
    [left] = add_overdue(tenant_a, year.june, [2], is_active=False)
    response = hr_in_july.get(list_url(tenant_a, year.cycle))
    rows = {row.pk: row for row in response.context["overdue"].object_list}
    assert (
        "has been deactivated" in rows[year.eva.pk].refusal and tenant_a.manager.full_name in rows[year.eva.pk].refusal
    )
    assert "has been deactivated" in rows[left.pk].refusal
    assert rows[gone.pk].refusal is None  # reports to Hanna, who is active
    page = response.content.decode()
    assert f'action="{remind_url(tenant_a, year.eva)}"' not in page
    assert f'action="{remind_url(tenant_a, gone)}"' in page


def test_a_reminder_shows_as_reminded_on_its_date_by_whom_and_today_removes_the_button(tenant_a, hr_in_july, year):
    Nudge.objects.create(
        organization=tenant_a.organization,
        cycle=year.cycle,
        conversation=year.eva,
        manager=tenant_a.manager,
        sent_by=tenant_a.hr,
        on=datetime.date(2027, 7, 10),
        batch="a",
    )
    response = hr_in_july.get(list_url(tenant_a, year.cycle))
    assert f"Reminded on 10 July 2027 by {tenant_a.hr.full_name}" in response.content.decode()
    assert f'action="{remind_url(tenant_a, year.eva)}"' in response.content.decode()  # another day: again

    Nudge.objects.create(
        organization=tenant_a.organization,
        cycle=year.cycle,
        conversation=year.eva,
        manager=tenant_a.manager,
        sent_by=None,  # the sender has since been removed
        on=datetime.date(2027, 7, 15),
        batch="b",
    )
    response = hr_in_july.get(list_url(tenant_a, year.cycle))
    page = response.content.decode()
    assert "Reminded on 15 July 2027" in page and "Reminded on 10 July" not in page  # the latest
    assert f'action="{remind_url(tenant_a, year.eva)}"' not in page
    assert rows_by_name(response)[tenant_a.employee.full_name].reminded_today


def test_the_list_is_paged_by_50_and_chosen_per_moment(tenant_a, hr_in_july, year):
    add_overdue(tenant_a, year.june, range(60))
    first = hr_in_july.get(list_url(tenant_a, year.cycle))
    shown = first.context["overdue"]
    assert (shown.paginator.count, len(shown.object_list), shown.paginator.num_pages) == (62, 50, 2)
    second = hr_in_july.get(list_url(tenant_a, year.cycle, page=2))
    assert len(second.context["overdue"].object_list) == 12
    assert {row.pk for row in second.context["overdue"]}.isdisjoint(row.pk for row in shown)
    assert first.context["overdue_next"] == list_url(tenant_a, year.cycle, page=2)

    september = hr_in_july.get(list_url(tenant_a, year.cycle, moment=year.september.pk))
    assert september.context["moment"] == year.september
    assert september.context["overdue"].paginator.count == 0
    assert "Nothing is overdue." in september.content.decode()
    june = hr_in_july.get(list_url(tenant_a, year.cycle, moment=year.june.pk))
    assert june.context["overdue"].paginator.count == 62


@pytest.mark.parametrize(
    "query", [{"page": "x"}, {"page": "999"}, {"page": "-1"}, {"moment": "abc"}, {"moment": "0"}, {"moment": "99999"}]
)
def test_bad_query_parameters_give_the_list_not_an_error(tenant_a, hr_in_july, year, query):
    response = hr_in_july.get(list_url(tenant_a, year.cycle, **query))
    assert response.status_code == 200
    assert response.context["overdue"].paginator.count == 2


def test_a_bad_page_keeps_the_chosen_moment(tenant_a, hr_in_july, year):
    response = hr_in_july.get(list_url(tenant_a, year.cycle, moment=year.september.pk, page="x"))
    assert response.context["moment"] == year.september


def test_a_closed_cycle_lists_its_overdue_conversations_but_offers_no_reminder(tenant_a, hr_in_july, year):
    Cycle.objects.filter(pk=year.cycle.pk).update(status=CycleStatus.CLOSED)
    response = hr_in_july.get(list_url(tenant_a, year.cycle))
    page = response.content.decode()
    assert response.context["overdue"].paginator.count == 2
    assert "Reminders go out only while the cycle is active." in page
    assert f'action="{remind_url(tenant_a, year.eva)}"' not in page and response.context["preview"] is None


def test_another_organisation_gets_404_and_a_manager_or_employee_403(client, tenant_a, stranger, year, july):
    address = list_url(tenant_a, year.cycle)
    assert_other_organisation_gets_404(client, stranger, address)
    assert_role_forbidden(client, tenant_a.manager, address)
    assert_role_forbidden(client, tenant_a.employee, address)


def test_the_list_takes_only_get(hr_in_july, tenant_a, year):
    assert_method_not_allowed(hr_in_july, list_url(tenant_a, year.cycle), ["post", "put", "delete"])


def test_the_query_count_is_the_same_with_2_and_40_overdue_people_each_reminded(tenant_a, hr_in_july, year):
    def build(numbers):
        for number in numbers:  # each with a manager of their own
            boss = EmployeeFactory(organization=tenant_a.organization)
            [conversation] = add_overdue(tenant_a, year.june, [number], manager=boss)
            for day in (1, 2):  # two reminders each: the page shows the latest
                Nudge.objects.create(
                    organization=tenant_a.organization,
                    cycle=year.cycle,
                    conversation=conversation,
                    manager=conversation.employee.manager,
                    sent_by=tenant_a.hr,
                    on=datetime.date(2027, 7, day),
                    batch=f"b{day}",
                )

    response = assert_flat_queries(lambda: hr_in_july.get(list_url(tenant_a, year.cycle)), build)
    rows = response.context["overdue"].object_list
    assert len(rows) == 42 and sum(1 for row in rows if row.last_nudge and row.last_nudge.on.day == 2) == 40


def test_the_progress_page_offers_the_same_rows_with_their_buttons(tenant_a, hr_in_july, year):
    address = url("cycles:cycle_progress", tenant_a.organization, cycle_id=year.cycle.pk)
    page = hr_in_july.get(address)
    assert list_url(tenant_a, year.cycle) in page.content.decode()  # the way to the list with "remind all"
    response = hr_in_july.get(page.context["overdue_part_url"], HTTP_HX_REQUEST="true")  # loaded after the page
    rows = response.content.decode()
    assert f'action="{remind_url(tenant_a, year.eva)}"' in rows
    assert f'name="next" value="{address}"' in rows
    assert rows_by_name(response)[tenant_a.employee.full_name].days_overdue == 15


def test_the_selectors_old_names_still_import():
    from cycles import selectors

    assert selectors.overdue is selectors_overdue.overdue and selectors.overdue_page is selectors_overdue.overdue_page
    assert ConversationState.TO_SCHEDULE in selectors_overdue.OPEN_STATES
