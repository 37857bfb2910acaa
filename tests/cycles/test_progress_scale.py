"""HR's cycle progress at scale: per-moment columns that partition the conversations, one moment's teams with open
conversations and the overdue list, 50 a page each, with a fixed number of queries. The teams and the overdue
conversations are parts the page loads after itself (htmx); without JavaScript the page links to them."""

import datetime

import pytest
import time_machine

from cycles import selectors
from cycles.models import Conversation, ConversationState, CycleStatus
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory, TeamFactory
from tests.kit import assert_flat_queries, assert_other_organisation_gets_404, assert_role_forbidden, client_for, url

pytestmark = pytest.mark.django_db

JULY = datetime.datetime(2027, 7, 15, 12, tzinfo=datetime.UTC)  # June's window closed on 30 June: 15 days ago


@pytest.fixture
def hr_in_july(tenant_a):
    with time_machine.travel(JULY):
        yield client_for(tenant_a.hr)


@pytest.fixture
def year(tenant_a):
    """An active cycle: June (closed) and September (not open yet); Eva held June and has September scheduled."""
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    june = MomentFactory(cycle=cycle, name_en="June talk", purpose_en="A long purpose text that is not listed.")
    september = MomentFactory(
        cycle=cycle, name_en="September talk", opens_on=datetime.date(2027, 9, 1), closes_on=datetime.date(2027, 9, 30)
    )
    ConversationFactory(moment=june, employee=tenant_a.employee, state=ConversationState.HELD)
    ConversationFactory(moment=september, employee=tenant_a.employee, state=ConversationState.SCHEDULED)
    return cycle, june, september


HTMX = {"HTTP_HX_REQUEST": "true"}


def progress_url(tenant, cycle, name="cycles:cycle_progress", **query):
    address = url(name, tenant.organization, cycle_id=cycle.pk)
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def teams_url(tenant, cycle, **query):
    return progress_url(tenant, cycle, "cycles:cycle_progress_teams", **query)


def overdue_url(tenant, cycle, **query):
    return progress_url(tenant, cycle, "cycles:cycle_progress_overdue", **query)


def add_people(tenant, moments, numbers, *, team=None, state=ConversationState.TO_SCHEDULE):
    people = [
        EmployeeFactory(organization=tenant.organization, team=team, manager=tenant.manager, last_name=f"P{n:03}")
        for n in numbers
    ]
    Conversation.objects.bulk_create(
        Conversation(organization=tenant.organization, moment=moment, employee=person, state=state)
        for moment in moments
        for person in people
    )
    return people


def test_the_columns_partition_each_moments_conversations_and_overdue_is_part_of_the_open(tenant_a, hr_in_july, year):
    cycle, june, september = year
    add_people(tenant_a, [june, september], range(3))
    add_people(tenant_a, [june], range(3, 5), state=ConversationState.SCHEDULED)
    add_people(tenant_a, [june], range(5, 6), state=ConversationState.CANCELLED)
    response = hr_in_july.get(progress_url(tenant_a, cycle))
    assert response.status_code == 200
    by_moment = {item.moment.pk: item for item in response.context["progress"]}
    for item in by_moment.values():
        assert item.total == Conversation.objects.filter(moment=item.moment).count()
        assert item.to_schedule + item.scheduled + item.held + item.cancelled == item.total
        assert item.overdue <= item.open
    assert (by_moment[june.pk].to_schedule, by_moment[june.pk].scheduled, by_moment[june.pk].held) == (3, 2, 1)
    assert (by_moment[june.pk].cancelled, by_moment[june.pk].overdue) == (1, 5)
    assert by_moment[september.pk].overdue == 0
    page = response.content.decode()
    assert ">Overdue</th>" in page and "A long purpose text" not in page  # its own column (test_overdue_partition)


def test_the_page_loads_its_teams_and_overdue_conversations_after_itself_and_links_to_them(tenant_a, hr_in_july, year):
    cycle, june, _september = year
    add_people(tenant_a, [june], range(3))
    response = hr_in_july.get(progress_url(tenant_a, cycle, page=2))
    page = response.content.decode()
    teams = teams_url(tenant_a, cycle, page=2, moment=june.pk)
    overdue = overdue_url(tenant_a, cycle, page=2)
    assert f'hx-get="{teams}"' in page.replace("&amp;", "&") and f'href="{teams}"' in page.replace("&amp;", "&")
    assert f'hx-get="{overdue}"' in page
    assert url("cycles:overdue_list", tenant_a.organization, cycle_id=cycle.pk) in page  # without JavaScript
    assert 'Overdue conversations <span class="muted">(3)</span>' in page
    assert "days overdue" not in page  # the rows come with the part


def test_overdue_is_paged_by_50_with_manager_days_and_a_link_to_the_conversation(tenant_a, hr_in_july, year):
    cycle, june, _september = year
    add_people(tenant_a, [june], range(60))
    first = hr_in_july.get(overdue_url(tenant_a, cycle), **HTMX)
    overdue = first.context["overdue"]
    assert (overdue.paginator.count, len(overdue.object_list), overdue.paginator.num_pages) == (60, 50, 2)
    row = overdue.object_list[0]
    assert row.days_overdue == 15
    assert row.url == url("cycles:conversation_detail", tenant_a.organization, conversation_id=row.pk)
    part = first.content.decode()
    assert "<html" not in part and "<h2" not in part  # a part of the progress page, under its heading
    assert row.url in part and tenant_a.manager.full_name in part and "June talk" in part
    assert "Page 1 of 2" in part and 'href="?page=2#overdue"' in part  # the page's own address, on page 2
    assert first["Vary"] and "HX-Request" in first["Vary"]
    second = hr_in_july.get(overdue_url(tenant_a, cycle, page=2), **HTMX)
    assert len(second.context["overdue"].object_list) == 10
    assert {row.pk for row in second.context["overdue"]}.isdisjoint(row.pk for row in overdue)
    # A reminder sent from page 2 returns to the progress page on page 2.
    assert f'name="next" value="{progress_url(tenant_a, cycle, page=2)}"' in second.content.decode()
    assert hr_in_july.get(row.url).status_code == 200  # HR may open the conversation behind the link


def test_the_overdue_part_without_javascript_is_the_overdue_list(tenant_a, hr_in_july, year):
    cycle, june, _september = year
    response = hr_in_july.get(overdue_url(tenant_a, cycle, page=2))
    assert response.status_code == 302
    assert response["Location"] == url("cycles:overdue_list", tenant_a.organization, cycle_id=cycle.pk) + "?page=2"


def test_teams_are_those_with_open_conversations_of_the_chosen_moment_paged(tenant_a, hr_in_july, year, monkeypatch):
    cycle, june, september = year
    monkeypatch.setattr(selectors, "PROGRESS_PAGE_SIZE", 2)
    for name in ("Alfa", "Bravo", "Charlie"):
        add_people(
            tenant_a, [june, september], range(1), team=TeamFactory(organization=tenant_a.organization, name=name)
        )
    done = TeamFactory(organization=tenant_a.organization, name="Done")
    add_people(tenant_a, [june], range(1), team=done, state=ConversationState.HELD)

    response = hr_in_july.get(progress_url(tenant_a, cycle))  # June by default: it has overdue conversations
    assert response.context["chosen"].moment == june
    chosen_row = response.content.decode().split('class="row-chosen"', 1)[1].split("</tr>", 1)[0]
    assert "June talk" in chosen_row and 'aria-current="true"' in chosen_row
    assert response.context["teams_part_url"] == teams_url(tenant_a, cycle, moment=june.pk)

    part = hr_in_july.get(teams_url(tenant_a, cycle, moment=june.pk), **HTMX)
    teams = part.context["teams"]
    assert [row["employee__team__name"] for row in teams.object_list] == ["Alfa", "Bravo"]
    assert teams.paginator.count == 3  # neither Klantenservice (held) nor Done (held)
    assert part.context["teams_next"] == f"?moment={june.pk}&teams=2"
    assert "<html" not in part.content.decode()

    # Without JavaScript the same address is a page of its own, with the way back.
    chosen = hr_in_july.get(teams_url(tenant_a, cycle, moment=september.pk, teams=2))
    assert chosen.context["moment"] == september
    # September: Klantenservice (Eva scheduled) and the three teams; page 2 of 2.
    assert [row["employee__team__name"] for row in chosen.context["teams"].object_list] == ["Charlie", "Klantenservice"]
    page = chosen.content.decode()
    assert "<h1" in page and "Teams with open conversations: September talk" in page
    assert progress_url(tenant_a, cycle, moment=september.pk, teams=2) in page.replace("&amp;", "&")


PAGES = ("cycles:cycle_progress", "cycles:cycle_progress_teams", "cycles:cycle_progress_overdue")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("query", [{"page": "x"}, {"page": "999"}, {"teams": "-1"}, {"moment": "abc"}, {"moment": "0"}])
def test_bad_query_parameters_give_a_page_not_an_error(tenant_a, hr_in_july, year, query, name):
    cycle, _june, _september = year
    assert hr_in_july.get(progress_url(tenant_a, cycle, name, **query), **HTMX).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_another_organisation_gets_404_and_an_employee_403(client, tenant_a, stranger, year, name):
    cycle, _june, _september = year
    assert_other_organisation_gets_404(client, stranger, progress_url(tenant_a, cycle, name))
    assert_role_forbidden(client, tenant_a.employee, progress_url(tenant_a, cycle, name))


def test_a_cycle_without_moments_has_no_teams_to_show(tenant_a, hr_in_july):
    cycle = CycleFactory(organization=tenant_a.organization)
    response = hr_in_july.get(teams_url(tenant_a, cycle))
    assert response.status_code == 200 and "This cycle has no moments yet." in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_the_query_count_is_the_same_with_2_and_40_overdue_people_in_their_own_teams(tenant_a, hr_in_july, year, name):
    cycle, june, september = year

    def build(numbers):
        for number in numbers:
            team = TeamFactory(organization=tenant_a.organization, name=f"Team {number:03}")
            add_people(tenant_a, [june, september], [number], team=team)

    address = progress_url(tenant_a, cycle, name, moment=june.pk)
    response = assert_flat_queries(lambda: hr_in_july.get(address, **HTMX), build, few=2, many=40)
    if name == "cycles:cycle_progress":
        assert response.context["overdue_count"] == 40
    elif name == "cycles:cycle_progress_teams":
        assert response.context["teams"].paginator.count == 40
    else:
        assert response.context["overdue"].paginator.count == len(response.context["overdue"].object_list) == 40
