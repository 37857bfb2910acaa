"""'My year' and the team grid in a real browser, with three cycles running side by side (last year's closed, this
year's and next year's active, as the issue describes): each page shows this year's cycle and links to the others;
the calendar address can be copied with one click (static/js/copy.js, under the site's real CSP) or subscribed to
with the webcal link, and stays selectable without JavaScript; the conversation page is titled from the reader's side.

The cycles' dates are relative to today, so the journey reads the same whatever day it runs. Every page goes through
axe (conftest.visit and follow), and both pages are checked at 390 px wide.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cycles.models import CalendarFeed, CycleStatus
from organizations.models import Role
from tests.factories import PASSWORD, ConversationFactory, CycleFactory, MomentFactory

from .conftest import alfa_organisation, fits_a_phone, follow, log_in, person, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "/o/alfa"
MY_YEAR = f"{ORG}/cycles/my-year/"
TEAM_GRID = f"{ORG}/cycles/team/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def alfa(live_server):
    """Daan reports to Mila; three cycles with one moment each, and Daan's conversation in every one."""
    organization, team, _hr = alfa_organisation()
    mila = person(organization, "Mila", "de Vries", email="mila@alfa.example", team=team, role=Role.MANAGER)
    daan = person(organization, "Daan", "Jansen", team=team, manager=mila)
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    cycles = {}
    years = (("last", -365, CycleStatus.CLOSED), ("this", 0, CycleStatus.ACTIVE), ("next", 365, CycleStatus.ACTIVE))
    for key, offset, status in years:
        middle = today + offset * day
        cycle = CycleFactory(
            organization=organization,
            name=f"Cyclus {key}",
            status=status,
            starts_on=middle - 150 * day,
            ends_on=middle + 150 * day,
            activated_at=timezone.now(),
        )
        moment = MomentFactory(
            cycle=cycle,
            name_nl=f"Gesprek {key}",
            name_en=f"Talk {key}",
            opens_on=middle + 10 * day,
            closes_on=middle + 40 * day,
        )
        cycles[key] = (cycle, ConversationFactory(moment=moment, employee=daan))
    return {"mila": mila, "daan": daan, "cycles": cycles}


def test_daan_reads_his_year_copies_his_calendar_address_and_mila_reads_her_team(new_page, browser, live_server, alfa):
    daan, mila, cycles = alfa["daan"], alfa["mila"], alfa["cycles"]

    # 1. This year's cycle only, with links to the other two; under the real CSP, so copy.js must load.
    page = new_page(bypass_csp=False)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, daan.user)
    visit(page, MY_YEAR)
    main = page.locator("main")
    expect(main).to_contain_text("Gesprek this")
    expect(main).not_to_contain_text("Gesprek last")
    expect(main).not_to_contain_text("Gesprek next")
    choice = page.locator("nav.subnav")
    expect(choice.locator("a")).to_have_count(3)
    expect(choice.locator("a[aria-current=page]")).to_have_attribute("href", f"?cycle={cycles['this'][0].pk}")

    # 2. Last year's cycle, closed, one click away; and back.
    follow(page, choice.locator(f"a[href='?cycle={cycles['last'][0].pk}']"))
    expect(main).to_contain_text("Gesprek last")
    expect(main).not_to_contain_text("Gesprek this")
    follow(page, page.locator(f"nav.subnav a[href='?cycle={cycles['this'][0].pk}']"))

    # 3. The calendar address: a webcal link to the same feed, and a copy button that the script shows and works.
    token = CalendarFeed.objects.get(employee=daan).token
    field = page.locator("#feed-url")
    expect(field).to_have_value(f"{live_server.url}/calendar/{token}.ics")
    expect(page.locator(f"a[href='webcal://{live_server.url.split('://')[1]}/calendar/{token}.ics']")).to_have_count(1)
    button = page.locator("button[data-copy=feed-url]")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("#feed-url-status")).to_have_text(button.get_attribute("data-copied"))
    assert page.evaluate("navigator.clipboard.readText()") == field.input_value()

    # 4. His conversation names whom he meets, not himself.
    conversation = cycles["this"][1]
    follow(page, page.locator(f"a[href='{ORG}/cycles/conversations/{conversation.pk}/']").first)
    heading = page.locator("h1")
    expect(heading).to_contain_text("Mila de Vries")
    expect(heading).not_to_contain_text("Daan Jansen")

    # 5. Without JavaScript the button stays hidden and the address stays in a readonly field to select by hand.
    plain = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="nl-NL")
    try:
        quiet = plain.new_page()
        log_in_without_script(quiet, daan.user.email)
        quiet.goto(MY_YEAR)
        expect(quiet.locator("button[data-copy=feed-url]")).to_be_hidden()
        expect(quiet.locator("#feed-url")).to_have_attribute("readonly", "")
        expect(quiet.locator("#feed-url")).to_have_value(re.compile(rf"/calendar/{token}\.ics$"))
    finally:
        plain.close()

    # 6. Mila's grid: this year's cycle, with next year's one click away; the conversation names Daan for her.
    grid = new_page()
    log_in(grid, mila.user)
    visit(grid, TEAM_GRID)
    expect(grid.locator("table")).to_have_count(1)
    expect(grid.locator("thead")).to_contain_text("Gesprek this")
    follow(grid, grid.locator(f"nav.subnav a[href='?cycle={cycles['next'][0].pk}']"))
    expect(grid.locator("thead")).to_contain_text("Gesprek next")
    follow(grid, grid.locator("tbody a").first)
    expect(grid.locator("h1")).to_contain_text("Daan Jansen")

    # 7. Both pages fit a phone.
    phone = new_page(viewport=PHONE)
    log_in(phone, daan.user)
    visit(phone, MY_YEAR)
    fits_a_phone(phone, "my-year-390")
    phone_grid = new_page(viewport=PHONE)
    log_in(phone_grid, mila.user)
    visit(phone_grid, TEAM_GRID)
    fits_a_phone(phone_grid, "team-grid-cycles-390")


def log_in_without_script(page, email):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form[action='/accounts/login/'] [type=submit]").click()
    assert "/accounts/login/" not in page.url
