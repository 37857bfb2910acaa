"""HR sets a cycle's reminder rules in a real browser, on a phone: days before or after, the digest's weekday, and
what each rule sends next.

Hanna (HR, Dutch, 390 px wide) opens an active cycle's reminders and sees per rule its next sends; moves the
"window closes" reminder from 7 days before to 3 days after (a number and a choice, no minus sign), sets the
weekly digest to Wednesdays from a list of weekdays, types "-7" for a new rule and is told at the field, then
adds it as 7 days before; and looks at a cycle being prepared, whose rules say when they would send. Every page
is checked with axe and for sideways scrolling. Controls are found by name, value and address, so the journey
reads the same whether the Dutch catalogue is compiled or not; the text it checks is data the test set.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cycles.models import ReminderAnchor, ReminderRule
from cycles.reminder_rules import reminder_rules_default
from tests.factories import CycleFactory, MomentFactory

from .conftest import check_a11y, fits_a_phone, follow, log_in, visit
from .reminder_world import planned_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CYCLES = "/o/alfa/cycles/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def alfa(live_server):
    """Alfa BV with an active cycle whose window opens in a month (planned), and a cycle being prepared."""
    world = planned_cycle()
    organization, hr, cycle = world.organization, world.hr, world.cycle
    today = timezone.localdate()
    draft = CycleFactory(
        organization=organization,
        name="Volgend jaar",
        starts_on=today + datetime.timedelta(days=365),
        ends_on=today + datetime.timedelta(days=729),
    )
    MomentFactory(
        cycle=draft,
        name_nl="Planningsgesprek",
        opens_on=today + datetime.timedelta(days=400),
        closes_on=today + datetime.timedelta(days=420),
    )
    reminder_rules_default(cycle=draft)
    return organization, hr, cycle, draft


def on_a_phone(page, name):
    check_a11y(page)
    fits_a_phone(page, name)


def test_hr_sets_days_before_or_after_and_the_digests_weekday_on_a_phone(new_page, alfa):
    organization, hr, cycle, draft = alfa
    reminders_url = f"{CYCLES}{cycle.pk}/reminders/"
    opens = cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS)
    closes = cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_CLOSES)
    digest = cycle.reminder_rules.get(anchor=ReminderAnchor.OVERDUE_WEEKLY)
    page = new_page(viewport=PHONE)
    log_in(page, hr.user)

    # 1. The reminders page: each rule with what it sends next (the window opens in a month, at 09:00).
    visit(page, reminders_url)
    on_a_phone(page, "hr-reminder-rules-phone")
    preview = page.locator(f"#rule-preview-{opens.pk}").locator("xpath=..")
    opening = timezone.localtime(opens.reminders.earliest("due_at").due_at, organization.zone)
    expect(preview.locator("ol li").first).to_contain_text(f"{opening:%H:%M}")
    expect(preview.locator("ol li").first).to_contain_text("Voortgangsgesprek")

    # 2. "Window closes" from 7 days before to 3 days after: a number without a sign, and a choice.
    follow(page, page.locator(f"a[href='{reminders_url}rules/{closes.pk}/']"))
    on_a_phone(page, "hr-reminder-rule-days-phone")
    expect(page.locator("input[name=days]")).to_have_value("7")
    expect(page.locator("input[name=direction][value=before]")).to_be_checked()
    expect(page.locator("select[name=weekday]")).to_have_count(0)
    page.locator("input[name=days]").fill("3")
    page.locator("input[name=direction][value=after]").check()
    follow(page, page.locator("form.card button[type=submit]"), url=re.compile(r"/reminders/$"))
    expect(page.locator(".message-success")).to_be_visible()
    closes.refresh_from_db()
    assert closes.offset_days == 3

    # 3. The weekly digest: a weekday from a list (Monday is stored as 0), no days.
    follow(page, page.locator(f"a[href='{reminders_url}rules/{digest.pk}/']"))
    on_a_phone(page, "hr-reminder-rule-weekday-phone")
    expect(page.locator("select[name=weekday]")).to_have_value("0")
    expect(page.locator("input[name=days]")).to_have_count(0)
    page.locator("select[name=weekday]").select_option("2")
    follow(page, page.locator("form.card button[type=submit]"), url=re.compile(r"/reminders/$"))
    digest.refresh_from_db()
    assert digest.offset_days == 2

    # 4. A new rule: "-7" is refused at the field and nothing is saved; "7" before is taken.
    rules = ReminderRule.objects.filter(cycle=cycle).count()
    follow(page, page.locator(f"a[href='{reminders_url}rules/new/']"))
    on_a_phone(page, "hr-reminder-rule-new-phone")
    page.locator("select[name=anchor]").select_option("window_opens")
    page.locator("input[name=days]").fill("-7")
    page.locator("select[name=audience]").select_option("employee")
    follow(page, page.locator("form.card button[type=submit]"), url=re.compile(r"/rules/new/$"))
    expect(page.locator("input[name=days][aria-invalid=true]")).to_be_visible()
    expect(page.locator(".errorlist")).to_have_count(1)
    on_a_phone(page, "hr-reminder-rule-error-phone")
    assert ReminderRule.objects.filter(cycle=cycle).count() == rules
    page.locator("input[name=days]").fill("7")
    page.locator("input[name=direction][value=before]").check()
    follow(page, page.locator("form.card button[type=submit]"), url=re.compile(r"/reminders/$"))
    added = ReminderRule.objects.filter(cycle=cycle).latest("pk")
    assert (added.anchor, added.offset_days, added.audience) == (ReminderAnchor.WINDOW_OPENS, -7, "employee")

    # 5. A cycle being prepared: its rules say when they would send, from the windows.
    visit(page, f"{CYCLES}{draft.pk}/reminders/")
    on_a_phone(page, "hr-reminder-rules-draft-phone")
    draft_opens = draft.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS)
    would = page.locator(f"#rule-preview-{draft_opens.pk}").locator("xpath=..")
    expect(would.locator("ol li")).to_have_count(1)
    expect(would.locator("ol li").first).to_contain_text("Planningsgesprek")
    expect(would.locator("ol li").first).to_contain_text("09:00")
