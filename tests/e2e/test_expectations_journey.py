"""An expectation from a vague first draft to what an employee reads on their page, in a real browser.

HR writes "Is proactief" and sees the language coach, rewrites it, and opens
the draft for sharpening; an employee endorses it and suggests better wording;
HR accepts the suggestion and publishes; the employee sees the published
wording on "Wat van mij verwacht wordt". Every page goes through axe, and the
whole journey runs under the real CSP, since the coach and the endorsement are
htmx.

Actions are found by id, name and address rather than by button text, so the
journey reads the same whether the Dutch catalogue is compiled or not; the
text it checks is text the test itself typed.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from expectations.models import Expectation, Status, SuggestionStatus
from tests.factories import CoreValueFactory

from .conftest import alfa_organisation, check_a11y, follow, log_in, person, screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "/o/alfa"
EXPECTATIONS = f"{ORG}/expectations/"
MINE = f"{ORG}/expectations/mine/"
SHARPENING_LIST = f"{ORG}/expectations/sharpening/"
DETAIL = re.compile(r"/o/alfa/expectations/\d+/$")
SHARPENING_DETAIL = re.compile(r"/o/alfa/expectations/\d+/sharpening/$")

CORE_VALUE = "Eigenaarschap"
TITLE = "Deadline in gevaar melden"
VAGUE = "Is proactief"
SHARP = "Je meldt binnen een werkdag aan je leidinggevende wanneer een deadline in gevaar komt."
EXAMPLE_YES = "Je meldt op dinsdag dat de oplevering van vrijdag niet haalbaar is."
EXAMPLE_NOT_YET = "Je wacht tot de deadline voorbij is en zegt dan pas dat het niet lukt."
SUGGESTED = (
    "Je meldt binnen een werkdag aan je leidinggevende wanneer een deadline in gevaar komt, "
    "en je zegt erbij wat je nodig hebt om hem alsnog te halen."
)
WHY = "Dan weet je leidinggevende meteen wat er moet gebeuren, niet alleen dát er iets mis is."
REPLY = "Goed punt, zo nemen we het over."


@pytest.fixture
def alfa(live_server):
    """A Dutch organisation with a core value, a team with one employee in it, and an HR admin."""
    organization, team, hr = alfa_organisation()
    value = CoreValueFactory(organization=organization, name_nl=CORE_VALUE, name_en="Ownership")
    employee = person(organization, "Pieter", "Bakker", team=team)
    return organization, value, hr, employee


def type_and_coach(page, field, text, *, sequentially=False):
    """Type ``text`` into a wording field and wait for the coach's answer for that field (htmx, after 600 ms)."""
    box = page.locator(f"#id_{field}")
    with page.expect_response(
        lambda response: (
            response.url.endswith("/expectations/coach/")
            and response.request.method == "POST"
            and response.request.headers.get("hx-trigger-name") == field
        )
    ) as answer:
        if sequentially:
            box.press_sequentially(text, delay=20)
        else:
            box.fill(text)
    assert answer.value.status == 200


def test_vague_expectation_is_coached_sharpened_and_published(new_page, alfa):
    organization, value, hr, employee = alfa
    hr_page = new_page(bypass_csp=False)

    # 1. HR writes a draft: the coach flags "Is proactief" beside the field, and goes quiet once it is sharp.
    log_in(hr_page, hr.user)
    expect(hr_page.locator("html")).to_have_attribute("lang", "nl")
    follow(hr_page, hr_page.locator(f".main-nav a[href='{EXPECTATIONS}']"))
    follow(hr_page, hr_page.locator(f"main a[href='{EXPECTATIONS}new/']"))

    hr_page.locator("#id_core_value").select_option(str(value.pk))
    type_and_coach(hr_page, "title_nl", TITLE)
    coach_box = hr_page.locator("#coach-behaviour_nl")
    expect(coach_box).to_have_attribute("aria-live", "polite")
    type_and_coach(hr_page, "behaviour_nl", VAGUE, sequentially=True)
    expect(coach_box.locator("mark")).to_contain_text(["proactief"])
    hint = coach_box.locator("li .help")
    expect(hint.first).to_have_text(re.compile(r"\w{4,}"))  # a concrete hint, whatever its language
    expect(hr_page.locator("#coach-title_nl")).to_be_empty()  # the title is fine: nothing beside it
    check_a11y(hr_page)
    screenshot(hr_page, "expectation-form-coach")

    type_and_coach(hr_page, "behaviour_nl", SHARP)
    expect(coach_box).to_be_empty()
    type_and_coach(hr_page, "examples_yes_nl", EXAMPLE_YES)
    type_and_coach(hr_page, "examples_not_yet_nl", EXAMPLE_NOT_YET)
    expect(hr_page.locator(".coach .message")).to_have_count(0)
    hr_page.locator("#id_weight").fill("100")
    hr_page.locator("input[name=audience][value=everyone]").check()
    follow(hr_page, hr_page.locator("form.card button[type=submit]"), url=DETAIL)
    detail_url = hr_page.url
    expect(hr_page.locator("h1")).to_have_text(TITLE)
    expect(hr_page.locator(".message-success")).to_be_visible()
    expect(hr_page.locator("#coach-heading")).to_have_count(0)  # the coach has no remarks on the saved wording
    wording = hr_page.locator("section[aria-labelledby=wording-heading]")
    expect(wording).to_contain_text(SHARP)
    expect(wording).to_contain_text(EXAMPLE_YES)
    expect(wording).to_contain_text(EXAMPLE_NOT_YET)
    expect(hr_page.locator("dl.facts")).to_contain_text("100 %")

    # Open it for sharpening until a week from today.
    closes_on = timezone.localdate() + datetime.timedelta(days=7)
    hr_page.locator("#id_closes_on").fill(closes_on.isoformat())
    follow(hr_page, hr_page.locator("form[action$='/sharpen/'] button[type=submit]"), url=DETAIL)
    expect(hr_page.locator(".message-success")).to_be_visible()
    expect(hr_page.locator(".page-header .badge-warn")).to_be_visible()
    expect(hr_page.locator("#id_closes_on")).to_have_value(closes_on.isoformat())

    # 2. The employee finds the draft from their page, endorses it (htmx) and suggests better wording.
    employee_page = new_page(bypass_csp=False)
    log_in(employee_page, employee.user)
    assert employee_page.url.endswith(f"{ORG}/")
    expect(employee_page.locator(f".main-nav a[href='{EXPECTATIONS}']")).to_have_count(0)  # HR's area is not theirs
    follow(employee_page, employee_page.locator(f"section[aria-labelledby=expected-of-me] a[href='{MINE}']"))
    expect(employee_page.locator("#nothing-yet")).to_be_visible()  # nothing published for them yet
    follow(employee_page, employee_page.locator(f"main .message a[href='{SHARPENING_LIST}']"))
    follow(employee_page, employee_page.get_by_role("link", name=TITLE, exact=True), url=SHARPENING_DETAIL)
    expect(employee_page.locator("h1")).to_have_text(TITLE)
    current = employee_page.locator("section[aria-labelledby=wording-heading]")
    expect(current).to_contain_text(SHARP)
    expect(current).to_contain_text(EXAMPLE_YES)
    expect(current).to_contain_text(EXAMPLE_NOT_YET)

    support = employee_page.locator("#support")
    expect(support.locator("button[disabled]")).to_have_count(0)
    with employee_page.expect_response(
        lambda response: response.url.endswith("/endorse/") and response.request.headers.get("hx-request") == "true"
    ) as endorsed:
        support.locator("form button[type=submit]").click()
    assert endorsed.value.status == 200
    expect(support.locator("button[disabled]")).to_be_visible()
    expect(support.locator("form")).to_have_count(0)
    expect(support).to_contain_text(re.compile(r"\b1\b\D+\b2\b"))  # 1 of the 2 people it applies to
    assert "/endorse/" not in employee_page.url, "htmx swapped the block; the page stayed"
    check_a11y(employee_page)

    employee_page.locator("#id_text").fill(SUGGESTED)
    employee_page.locator("#id_why").fill(WHY)
    follow(employee_page, employee_page.locator("form[action$='/suggest/'] button[type=submit]"), url=SHARPENING_DETAIL)
    expect(employee_page.locator(".message-success")).to_be_visible()
    so_far = employee_page.locator("section[aria-labelledby=suggestions-heading]")
    expect(so_far).to_contain_text(SUGGESTED)
    expect(so_far).to_contain_text(WHY)
    expect(so_far).to_contain_text("Pieter Bakker")
    expect(employee_page.locator("#support button[disabled]")).to_be_visible()  # the endorsement stuck

    # 3. HR opens the expectation from the overview, accepts the suggestion with a reply, and publishes.
    follow(hr_page, hr_page.locator(f".main-nav a[href='{EXPECTATIONS}']"))
    sharpening = hr_page.locator("section[aria-labelledby=status-sharpening]")
    expect(sharpening.locator("tbody tr")).to_have_count(1)
    follow(hr_page, sharpening.get_by_role("link", name=TITLE, exact=True), url=DETAIL)
    assert hr_page.url == detail_url
    suggestion = hr_page.locator("section[aria-labelledby=sharpening-heading] article").filter(has_text=SUGGESTED)
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text(WHY)
    accept = suggestion.locator("form[action$='/accept/']")
    accept.locator("textarea[name=reply]").fill(REPLY)
    follow(hr_page, accept.locator("button[type=submit]"), url=DETAIL)
    expect(hr_page.locator(".message-success")).to_contain_text("Pieter Bakker")
    expect(wording).to_contain_text(SUGGESTED)
    expect(suggestion.locator(".badge-ok")).to_be_visible()
    expect(suggestion).to_contain_text(REPLY)
    expect(suggestion.locator("form")).to_have_count(0)  # decided: no more accept or decline

    follow(hr_page, hr_page.locator("form[action$='/publish/'] button[type=submit]"), url=DETAIL)
    expect(hr_page.locator(".message-success").first).to_be_visible()
    expect(hr_page.locator(".page-header .badge-ok")).to_be_visible()
    expect(hr_page.locator("form[action$='/publish/']")).to_have_count(0)
    expect(wording).to_contain_text(SUGGESTED)

    # 4. The employee reads the published expectation, with the accepted wording, on their own page.
    visit(employee_page, f"{ORG}/")
    follow(employee_page, employee_page.locator(f"section[aria-labelledby=expected-of-me] a[href='{MINE}']"))
    expect(employee_page.locator("#nothing-yet")).to_have_count(0)
    expect(employee_page.locator(f"main .message a[href='{SHARPENING_LIST}']")).to_have_count(0)  # no open drafts
    section = employee_page.locator("section.core-value")
    expect(section).to_have_count(1)
    expect(section.locator("h2")).to_have_text(CORE_VALUE)  # the core value's Dutch name: the page is in Dutch
    card = section.locator("article")
    expect(card).to_have_count(1)
    expect(card.locator("h3")).to_have_text(TITLE)
    expect(card).to_contain_text(SUGGESTED)
    expect(card).not_to_contain_text(VAGUE)
    expect(card.locator("li")).to_have_text([EXAMPLE_YES, EXAMPLE_NOT_YET])
    expect(card.locator("dl.facts dd")).to_have_text("100 %")
    expect(employee_page.locator("section[aria-labelledby=what-weighs]")).to_contain_text("100 %")
    expect(employee_page.locator("section[aria-labelledby=what-weighs] .message-warning")).to_have_count(0)
    screenshot(employee_page, "expected-of-me-published")

    # The draft is gone from the sharpening list, and its sharpening page with it.
    visit(employee_page, SHARPENING_LIST)
    expect(employee_page.locator("main")).not_to_contain_text(TITLE)
    expect(employee_page.locator("main table")).to_have_count(0)

    expectation = Expectation.objects.get(organization=organization)
    version = expectation.current_version
    assert expectation.status == Status.PUBLISHED
    assert version.number == 1 and version.published_at is not None
    assert version.behaviour_nl == SUGGESTED
    assert expectation.suggestions.get().status == SuggestionStatus.ACCEPTED
