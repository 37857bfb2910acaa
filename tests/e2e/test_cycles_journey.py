"""The cycle calendar from HR's template to a conversation in an employee's own calendar, in a real browser.

HR creates a cycle from the built-in template for the whole organisation,
reads its three moments with their purpose, and activates it; a manager opens
"My team" and schedules the planning conversation of one of their reports (the
form is htmx, so the journey runs under the real CSP); the employee reads the
moment, its purpose and the date, time and location on "My year", and fetches
the calendar feed from the address that page shows: it parses, and the
conversation is at the chosen local time in the organisation's zone.

The cycle runs from a week ago to a year from then, so the planning window
(its first 15 %) holds the date two weeks from today whatever day the test
runs. Actions are found by id, name and address rather than by button text, so
the journey reads the same whether the Dutch catalogue is compiled or not; the
text it checks is data: the names and purposes the template writes, the
location the manager types, and dates formatted as the template formats them.
"""

import datetime
import re
import zoneinfo

import icalendar
import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from playwright.sync_api import expect

from cycles.models import Conversation, ConversationState, CycleStatus, MomentKind
from cycles.templates_data import TEMPLATE
from organizations.models import Role

from .conftest import alfa_organisation, check_a11y, follow, log_in, person, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "/o/alfa"
CYCLES = f"{ORG}/cycles/"
TEAM_GRID = f"{ORG}/cycles/team/"
MY_YEAR = f"{ORG}/cycles/my-year/"
CYCLE_DETAIL = re.compile(r"/o/alfa/cycles/\d+/$")
CONVERSATION_DETAIL = re.compile(r"/o/alfa/cycles/conversations/\d+/$")

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
CYCLE_NAME = "Jaarcyclus"
LOCATION = "Vergaderkamer 4.12"
AT = datetime.time(10, 30)
PLANNING, PROGRESS, ASSESSMENT = TEMPLATE  # the template's moments, in calendar order


@pytest.fixture
def alfa(live_server):
    """A Dutch organisation: an HR admin, and a manager with two reports in one team."""
    organization, team, hr = alfa_organisation()
    manager = person(organization, "Mila", "Dekker", team=team, role=Role.MANAGER)
    employee = person(organization, "Pieter", "Bakker", team=team, manager=manager)
    person(organization, "Sanne", "Jansen", team=team, manager=manager)
    return organization, hr, manager, employee


def header_rows(page):
    """How many rows the header's brand, menu items and tools take up (their distinct tops)."""
    tops = page.eval_on_selector_all(
        ".header-row > .brand, .main-nav li, .header-row > .header-tools",
        "items => items.map(item => { const box = item.getBoundingClientRect(); return box.top + box.height / 2; })",
    )
    rows = []
    for middle in sorted(tops):
        if not rows or middle - rows[-1] > 10:
            rows.append(middle)
    return len(rows)


def as_shown(moment_at: datetime.datetime) -> str:
    """A scheduled time's date as the cycle templates show it in Dutch: ``date:"l j F Y"``, "dinsdag 3 juni 2025"."""
    with translation.override("nl"), timezone.override(AMSTERDAM):
        return date_filter(moment_at, "l j F Y")


def test_hr_starts_a_cycle_a_manager_schedules_and_the_employee_sees_it_in_their_calendar(new_page, alfa):
    organization, hr, manager, employee = alfa
    today = timezone.localdate()
    starts_on = today - datetime.timedelta(days=7)
    ends_on = starts_on + datetime.timedelta(days=364)
    day = today + datetime.timedelta(days=14)  # inside the planning window: the cycle's first 55 days
    scheduled_at = datetime.datetime.combine(day, AT, tzinfo=AMSTERDAM)

    # 1. HR, on a laptop-wide screen: the header is one row, then Cycles → New cycle from the template.
    hr_page = new_page(viewport={"width": 1280, "height": 800})
    log_in(hr_page, hr.user)
    assert hr_page.url.endswith(f"{ORG}/")
    expect(hr_page.locator("html")).to_have_attribute("lang", "nl")
    shot = screenshot(hr_page, "hr-home-1280")
    assert header_rows(hr_page) == 1, f"the header wraps at 1280px wide (see {shot})"

    follow(hr_page, hr_page.locator(f".main-nav a[href='{CYCLES}']"))
    follow(hr_page, hr_page.locator(f"main a[href='{CYCLES}new/']"))
    hr_page.locator("#id_name").fill(CYCLE_NAME)
    hr_page.locator("#id_starts_on").fill(starts_on.isoformat())
    hr_page.locator("#id_ends_on").fill(ends_on.isoformat())
    hr_page.locator("input[name=audience][value=everyone]").check()
    from_template = hr_page.locator("input[name=from_template]")
    expect(from_template).to_be_checked()  # the template is the default
    from_template.check()
    follow(hr_page, hr_page.locator("form.card button[type=submit]"), url=CYCLE_DETAIL)
    expect(hr_page.locator("h1")).to_contain_text(CYCLE_NAME)
    expect(hr_page.locator(".message-success")).to_contain_text(CYCLE_NAME)
    expect(hr_page.locator(".page-header .badge-warn")).to_be_visible()  # being prepared

    # The template's three moments, each with its purpose written out, in the organisation's language.
    rows = hr_page.locator("section[aria-labelledby=moments] tbody tr")
    expect(rows).to_have_count(3)
    for row, moment in zip((rows.nth(0), rows.nth(1), rows.nth(2)), TEMPLATE, strict=True):
        expect(row.locator("td").nth(0)).to_have_text(moment["name_nl"])
        expect(row.locator("td").nth(2)).to_have_text(moment["purpose_nl"])

    # Activating asks first, saying what it creates: a conversation per person per moment, 4 people x 3 moments.
    follow(hr_page, hr_page.locator("form[action$='/activate/'] button[type=submit]"))
    expect(hr_page.locator("section[aria-labelledby=what-heading]")).to_contain_text("12")
    assert not Conversation.objects.filter(organization=organization).exists()
    follow(hr_page, hr_page.locator("form:has(input[name=confirm][value=yes]) button[type=submit]"), url=CYCLE_DETAIL)
    expect(hr_page.locator(".message-success")).to_contain_text(re.compile(r"\b12\b"))
    expect(hr_page.locator(".page-header .badge-ok")).to_be_visible()
    expect(hr_page.locator("#newcomers")).to_be_visible()  # no newcomers yet: it says so, without a button
    expect(hr_page.locator("#newcomers button")).to_have_count(0)
    assert Conversation.objects.filter(organization=organization, state=ConversationState.TO_SCHEDULE).count() == 12
    assert organization.cycles.get().status == CycleStatus.ACTIVE

    # 2. The manager opens "My team" and schedules Pieter's planning conversation (htmx, then the page reloads).
    manager_page = new_page(bypass_csp=False)
    log_in(manager_page, manager.user)
    follow(manager_page, manager_page.locator(f".main-nav a[href='{TEAM_GRID}']"))
    grid = manager_page.locator("main table")
    expect(grid.locator("thead th")).to_have_text([re.compile(r"\w"), *(re.compile(m["name_nl"]) for m in TEMPLATE)])
    expect(grid.locator("tbody th[scope=row]")).to_have_text(["Pieter Bakker", "Sanne Jansen"])
    pieter = grid.locator("tbody tr").filter(has=manager_page.locator("th", has_text="Pieter Bakker"))
    planning_cell = pieter.locator("td").first
    expect(planning_cell.locator(".badge-warn")).to_be_visible()  # still to schedule
    follow(manager_page, planning_cell.locator("a"), url=CONVERSATION_DETAIL)
    conversation_url = manager_page.url
    expect(manager_page.locator("h1")).to_contain_text(PLANNING["name_nl"])
    expect(manager_page.locator("h1")).to_contain_text("Pieter Bakker")
    expect(manager_page.locator("section[aria-labelledby=purpose-heading]")).to_contain_text(PLANNING["purpose_nl"])

    card = manager_page.locator("#conversation-card")
    card.locator("#id_date").fill(day.isoformat())
    card.locator("#id_time").fill(AT.strftime("%H:%M"))
    card.locator("#id_location").fill(LOCATION)
    with (
        manager_page.expect_response(
            lambda response: (
                response.url.endswith("/schedule/") and response.request.headers.get("hx-request") == "true"
            )
        ) as scheduled,
        manager_page.expect_navigation(),
    ):
        card.locator("button[type=submit]").click()
    assert scheduled.value.status == 200
    # A new date changes more than the card (the heading, whether it may be marked held): the page loads again.
    assert manager_page.url == conversation_url
    expect(manager_page.locator(".message-success")).to_be_visible()
    expect(manager_page.locator(".message-warning")).to_have_count(0)  # inside the window: no warning
    facts = card.locator("dl.facts")
    expect(facts).to_contain_text(f"{as_shown(scheduled_at)}, 10:30")
    expect(facts).to_contain_text(LOCATION)
    expect(card.locator("#id_date")).to_have_value(day.isoformat())  # the form offers the new time to change
    check_a11y(manager_page)
    screenshot(manager_page, "conversation-scheduled")

    conversation = Conversation.objects.get(employee=employee, moment__kind=MomentKind.PLANNING)
    assert conversation.state == ConversationState.SCHEDULED
    assert conversation.scheduled_at == scheduled_at and conversation.location == LOCATION

    # Back on "My team" the cell shows the time.
    follow(manager_page, manager_page.locator(f".main-nav a[href='{TEAM_GRID}']"))
    expect(planning_cell.locator(".badge-ok")).to_be_visible()
    expect(planning_cell).to_contain_text("10:30")

    # 3. Pieter reads the moment, what it is for, and when and where, on "My year".
    employee_page = new_page(bypass_csp=False)
    log_in(employee_page, employee.user)
    follow(employee_page, employee_page.locator(f".main-nav a[href='{MY_YEAR}']"))
    moments = employee_page.locator("section[aria-labelledby=moments] article")
    expect(moments.locator("h3")).to_have_text([re.compile(m["name_nl"]) for m in TEMPLATE])
    planning = moments.first
    expect(planning.locator(".badge-ok")).to_be_visible()
    expect(planning).to_contain_text(PLANNING["purpose_nl"])
    expect(planning).to_contain_text(PLANNING["preparation_employee_nl"])
    planning_facts = planning.locator("dl.facts")
    expect(planning_facts).to_contain_text(f"{as_shown(scheduled_at)}, 10:30")
    expect(planning_facts).to_contain_text(LOCATION)
    expect(moments.nth(1).locator(".badge-warn")).to_be_visible()  # the progress conversation is not scheduled yet
    screenshot(employee_page, "my-year-scheduled")

    # The calendar address on the page serves a feed that parses, with the conversation at 10:30 Amsterdam time.
    feed_url = employee_page.locator("#feed-url").input_value()
    assert re.fullmatch(r"http://[^/]+/calendar/[^/]+\.ics", feed_url), feed_url
    response = employee_page.request.get(feed_url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    event = events[f"conversation-{conversation.pk}@helder"]
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    start = event.decoded("DTSTART")
    assert start.astimezone(AMSTERDAM).replace(tzinfo=None) == datetime.datetime.combine(day, AT)
    assert start == scheduled_at
    assert f"DTSTART;TZID=Europe/Amsterdam:{day:%Y%m%d}T103000".encode() in event.to_ical()
    assert str(event["SUMMARY"]) == PLANNING["name_nl"]
    assert "LOCATION" not in event  # a feed anyone with the address can read carries no video link or room
    assert str(event["DESCRIPTION"]) == PLANNING["purpose_nl"]
    # The three windows are all-day events; only the one scheduled conversation is a timed event.
    assert sorted(uid.split("-")[0] for uid in events) == ["conversation", "moment", "moment", "moment"]
