"""HR's reminder page in a real browser: a cycle's rules, the planned list, and resending a failed reminder.

HR opens an active cycle, goes to its reminders, moves the "window opens"
rule from 09:00 to 10:30 and sees the planned reminders follow, switches to
the failed ones (an htmx tab, so the journey runs under the real CSP), and
resends the one that failed on a bad address: it leaves the failed list and is
planned again. Actions are found by address and id rather than by button text,
so the journey reads the same whether the Dutch catalogue is compiled or not;
the text it checks is data: names and times the test itself set.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cycles import dispatch
from cycles.models import Reminder, ReminderAnchor, ReminderStatus

from .conftest import check_a11y, follow, log_in, screenshot
from .reminder_world import planned_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "/o/alfa"
CYCLES = f"{ORG}/cycles/"


@pytest.fixture
def alfa(live_server):
    """A Dutch organisation with an active cycle whose window opens in a month, planned, and one failed reminder."""
    world = planned_cycle()
    organization, hr, employee, cycle, conversation = (
        world.organization,
        world.hr,
        world.employee,
        world.cycle,
        world.conversation,
    )
    yesterday = timezone.now() - datetime.timedelta(days=1)
    failed = Reminder.objects.create(
        organization=organization,
        cycle=cycle,
        rule=cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS),
        recipient=employee,
        conversation=conversation,
        key="journey-failed",
        due_at=yesterday,
        next_try_at=yesterday,
        status=ReminderStatus.FAILED,
        attempts=3,
        last_error=dispatch.INVALID_ADDRESS,
    )
    return organization, hr, cycle, failed


def test_hr_changes_a_rules_time_and_resends_a_failed_reminder(new_page, alfa):
    organization, hr, cycle, failed = alfa
    cycle_url = f"{CYCLES}{cycle.pk}/"
    reminders_url = f"{cycle_url}reminders/"
    rule = cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS)
    opening = Reminder.objects.filter(rule=rule, status=ReminderStatus.PLANNED)
    assert opening.count() == 2  # Pieter about his conversation, Mila about the moment

    # Under the real CSP: the status tabs are htmx, and a blocked script would fail the test.
    page = new_page(bypass_csp=False, viewport={"width": 1280, "height": 800})
    log_in(page, hr.user)

    # 1. Cycles → the cycle → Reminders.
    follow(page, page.locator(f".main-nav a[href='{CYCLES}']"))
    follow(page, page.locator(f"main a[href='{cycle_url}']"))
    follow(page, page.locator(f".page-header a[href='{reminders_url}']"), url=re.compile(r"/reminders/$"))
    expect(page.locator("h1")).to_contain_text("Jaarcyclus")
    rules = page.locator("section[aria-labelledby=rules-heading] tbody tr")
    expect(rules).to_have_count(7)  # the default rules (five of the calendar, two of observation requests)
    log = page.locator("#reminder-log")
    expect(log.locator("nav a[aria-current=page]")).to_have_attribute("href", f"{reminders_url}?status=planned")
    expect(log.locator("tbody tr", has_text="10:30")).to_have_count(0)

    # 2. The "window opens" rule moves from 09:00 to 10:30; its planned reminders follow.
    follow(page, page.locator(f"a[href='{reminders_url}rules/{rule.pk}/']"))
    expect(page.locator("#id_time_of_day")).to_have_value("09:00")
    page.locator("#id_time_of_day").fill("10:30")
    follow(page, page.locator("form.card button[type=submit]"), url=re.compile(r"/reminders/$"))
    expect(page.locator(".message-success")).to_be_visible()
    expect(rules.filter(has_text="10:30")).to_have_count(1)
    planned = log.locator("tbody tr")
    expect(planned.filter(has_text="10:30")).to_have_count(2)
    expect(planned.filter(has_text="10:30").filter(has_text="Pieter Bakker")).to_have_count(1)
    expect(planned.filter(has_text="10:30").filter(has_text="Mila Dekker")).to_have_count(1)
    for reminder in opening:
        local = timezone.localtime(reminder.due_at, organization.zone)
        assert (local.hour, local.minute) == (10, 30)
    screenshot(page, "hr-reminders-planned")

    # 3. The failed tab, by keyboard (htmx: the log is swapped and the address follows): Pieter's reminder, with
    # its reason, and the keyboard's focus stays on the tab.
    failed_tab = f"nav a[href='{reminders_url}?status=failed']"
    log.locator(failed_tab).focus()
    with page.expect_response(
        lambda response: "status=failed" in response.url and response.request.headers.get("hx-request") == "true"
    ) as swapped:
        page.keyboard.press("Enter")
    assert swapped.value.status == 200
    expect(log.locator("nav a[aria-current=page]")).to_have_attribute("href", f"{reminders_url}?status=failed")
    assert page.url.endswith("?status=failed")
    expect(log.locator(failed_tab)).to_be_focused()
    failed_rows = log.locator("tbody tr")
    expect(failed_rows).to_have_count(1)
    expect(failed_rows).to_contain_text("Pieter Bakker")
    check_a11y(page)

    # 4. Resend: a plain form post; back on the failed tab, which is now empty, and the row is planned again.
    resend = f"{reminders_url}{failed.pk}/resend/"
    follow(page, failed_rows.locator(f"form[action='{resend}'] button[type=submit]"), url=re.compile(r"status=failed$"))
    expect(page.locator(".message-success")).to_contain_text("Pieter Bakker")
    expect(page.locator("#reminder-log tbody tr")).to_have_count(0)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (ReminderStatus.PLANNED, 0, "")

    # The planned tab lists it first: it is due now.
    with page.expect_response(lambda response: "status=planned" in response.url):
        page.locator(f"#reminder-log nav a[href='{reminders_url}?status=planned']").click()
    expect(page.locator("#reminder-log tbody tr").first).to_contain_text("Pieter Bakker")
    planned_now = Reminder.objects.filter(cycle=cycle, status=ReminderStatus.PLANNED).count()
    expect(page.locator("#reminder-log tbody tr")).to_have_count(min(planned_now, 50))
    check_a11y(page)
