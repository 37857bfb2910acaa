"""In Chromium at 390px and at 1280px: every role's main pages fit the window (the page never scrolls sideways; a
wide table scrolls inside its own labelled, focusable box), the header is short on a phone, HR's menu is one row on
a laptop, and each page passes axe (tests/e2e's visit)."""

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cycles.models import ConversationState, CycleStatus, MomentKind
from organizations.models import Role
from tests.factories import (
    ConversationFactory,
    CycleFactory,
    ExpectationFactory,
    MomentFactory,
    ObservationFactory,
    ReviewFactory,
)

from .conftest import alfa_organisation, check_a11y, check_response, follow, log_in, person, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
SHOTS = Path(os.environ.get("E2E_ARTEFACTS", "/tmp/helder-e2e")) / "phone-widths"
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
HEADER_HEIGHT = "document.querySelector('.site-header').getBoundingClientRect().height"
# The top of every visible top-level menu item: one value means one row.
MENU_ROWS = """[...new Set(Array.from(document.querySelectorAll('.main-nav > ul > li'))
  .filter(li => li.offsetParent !== null).map(li => li.offsetTop))]"""
# The vertical middles of the header's brand, menu and tools, rounded: one value means one row.
HEADER_TOPS = """[...new Set(Array.from(document.querySelectorAll('.header-row > *'))
  .map(e => { const box = e.getBoundingClientRect(); return Math.round((box.top + box.height / 2) / 10); }))]"""
# A box that scrolls sideways must be reachable by keyboard and named (axe's scrollable-region-focusable).
UNLABELLED_SCROLLERS = """Array.from(document.querySelectorAll('main *'))
  .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
  .filter(e => e.tabIndex !== 0 || e.getAttribute('role') !== 'region'
    || !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')))
  .map(e => e.tagName + '.' + e.className)"""
# A table box that scrolls sideways says so just above it (.scroll-hint, measured by static/js/parts.js).
SILENT_SCROLLERS = """Array.from(document.querySelectorAll('main .table-wrap'))
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .filter(e => { const hint = e.previousElementSibling;
    return !(hint && hint.classList.contains('scroll-hint') && getComputedStyle(hint).display !== 'none'); })
  .map(e => e.getAttribute('aria-label') || e.getAttribute('aria-labelledby'))"""
# ... and a box that fits does not (static/js/parts.js hides its hint).
NEEDLESS_HINTS = """Array.from(document.querySelectorAll('main .scroll-hint'))
  .filter(e => getComputedStyle(e).display !== 'none' && e.nextElementSibling
    && e.nextElementSibling.scrollWidth <= e.nextElementSibling.clientWidth + 1)
  .map(e => e.nextElementSibling.getAttribute('aria-label') || e.nextElementSibling.getAttribute('aria-labelledby'))"""
# At 390px the header (brand row, plus the folded menu and the tools) ends well above the fold: 120px is two rows
# of 44px touch targets with the header's padding and border, a seventh of an 844px-high phone.
PHONE_HEADER_MAX = 120


@pytest.fixture
def alfa():
    """Alfa's active cycle of three moments, HR Hanna, manager Mark and three reports with long names; Eva's
    assessment has a shared review and an observation."""
    organization, team, hr = alfa_organisation()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    cycle = CycleFactory(
        organization=organization,
        name="Jaarcyclus 2026",
        starts_on=today - 60 * day,
        ends_on=today + 300 * day,
        status=CycleStatus.ACTIVE,
        activated_at=timezone.now(),
    )
    moments = [
        MomentFactory(cycle=cycle, kind=kind, opens_on=today + days * day, closes_on=today + (days + 30) * day, **extra)
        for kind, days, extra in (
            (MomentKind.PLANNING, -50, {}),
            (MomentKind.PROGRESS, -10, {}),
            (MomentKind.ASSESSMENT, -5, {"produces_rating": True}),
        )
    ]
    for weight, title in ((60, "Je vraagt de klant om feedback na elke oplevering"), (40, "Je komt afspraken na")):
        ExpectationFactory(organization=organization, weight=weight, title=title)
    manager = person(organization, "Mark", "Jansen-Oosterhuis", role=Role.MANAGER, team=team)
    reports = [
        person(organization, name, "van der Berg-Willemsen", email=f"{name}@alfa.example", team=team, manager=manager)
        for name in ("Eva", "Ali", "Sanne")
    ]
    conversations = {
        (report, moment): ConversationFactory(moment=moment, employee=report)
        for report in reports
        for moment in moments
    }
    held = conversations[reports[0], moments[2]]
    held.state = ConversationState.HELD
    held.save(update_fields=["state"])
    review = ReviewFactory(conversation=held, state="shared")
    ObservationFactory(employee=reports[0], author=manager, behaviour="Je belde de klant na de oplevering.")
    return {"hr": hr, "manager": manager, "employee": reports[0], "cycle": cycle, "review": review}


def pages_for(role, alfa):
    """The pages each role reaches from the menu, plus the review they take part in."""
    slug = {"org_slug": "alfa"}
    cycle = {**slug, "cycle_id": alfa["cycle"].pk}
    common = [
        reverse("organizations:home", kwargs=slug),
        reverse("cycles:my_year", kwargs=slug),
        reverse("expectations:mine", kwargs=slug),
        reverse("reviews:what_was_seen", kwargs=slug),
        alfa["review"].get_absolute_url(),
    ]
    manager = [reverse("cycles:team_grid", kwargs=slug), reverse("expectations:index", kwargs=slug)]
    hr = [
        reverse("cycles:cycle_detail", kwargs=cycle),
        reverse("cycles:cycle_progress", kwargs=cycle),
        reverse("organizations:people_list", kwargs=slug),
        reverse("expectations:index", kwargs=slug),
        reverse("cycles:cycle_list", kwargs=slug),
        reverse("reviews:cycle_reviews", kwargs=cycle),
        reverse("expectations:value_list", kwargs=slug),
        reverse("reviews:outcome_rule", kwargs=slug),
    ]
    return {"employee": common, "manager": common + manager, "hr": common + hr}[role]


def check_widths(page, path, name, width):
    """Open ``path``, keep a screenshot, and check the width rules, then axe (as tests/e2e's visit does)."""
    check_response(page, page.goto(path))
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    overflow = page.evaluate(OVERFLOW)
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px wide (see {shot})"
    unlabelled = page.evaluate(UNLABELLED_SCROLLERS)
    assert unlabelled == [], f"{path}: scrolling boxes without tabindex/role/label at {width}px: {unlabelled} ({shot})"
    silent = page.evaluate(SILENT_SCROLLERS)
    assert silent == [], f"{path}: tables that scroll sideways at {width}px without saying so: {silent} ({shot})"
    needless = page.evaluate(NEEDLESS_HINTS)
    assert needless == [], f"{path}: a scroll hint above a table that fits at {width}px: {needless} ({shot})"
    check_a11y(page)
    return shot


@pytest.mark.parametrize("role", ["employee", "manager", "hr"])
def test_every_page_fits_a_phone_with_a_short_header(new_page, alfa, role):
    page = new_page(viewport=PHONE, locale="nl-NL")
    log_in(page, alfa[role].user)
    for index, path in enumerate(pages_for(role, alfa)):
        check_widths(page, path, f"{role}-{index}", 390)
        height = page.evaluate(HEADER_HEIGHT)
        assert height <= PHONE_HEADER_MAX, f"{path}: the header is {height}px high at 390px wide"
        if path.endswith("/cycles/team/"):  # the grid's moments scroll inside their box, and say so
            assert page.locator("main .scroll-hint").first.is_visible()
    # The folded menu opens without JavaScript's help and leads to every page of the role.
    home = pages_for(role, alfa)[0]
    visit(page, home)
    menu_link = page.locator(f".main-nav a[href='{pages_for(role, alfa)[1]}']")
    assert not menu_link.is_visible()
    page.locator(".nav-menu > summary").click()
    check_a11y(page)
    assert page.evaluate(OVERFLOW) <= 0
    follow(page, menu_link)
    assert page.url.endswith(pages_for(role, alfa)[1])


@pytest.mark.parametrize("role", ["employee", "manager", "hr"])
def test_every_page_fits_a_laptop_with_the_menu_on_one_row(new_page, alfa, role):
    page = new_page(viewport=LAPTOP, locale="nl-NL")
    log_in(page, alfa[role].user)
    for index, path in enumerate(pages_for(role, alfa)):
        check_widths(page, path, f"{role}-{index}", 1280)
        rows = page.evaluate(MENU_ROWS)
        assert len(rows) == 1, f"{path}: the menu takes {len(rows)} rows at 1280px wide"
        assert not page.locator(".nav-menu > summary").is_visible()  # the menu shows inline, not folded


def test_hr_menu_stays_one_row_in_english_with_long_names(new_page, alfa):
    """The longest header we expect: English, a long organisation name and a long person's name."""
    hr = alfa["hr"]
    hr.organization.name = "Stichting Zorggroep Noordelijk Friesland en Omstreken"
    hr.organization.save(update_fields=["name"])
    hr.first_name, hr.last_name = "Anna-Maria Josephina", "van den Heuvel-Oosterhuis"
    hr.save(update_fields=["first_name", "last_name"])
    for width in (1280, 1152):
        page = new_page(viewport={"width": width, "height": 800}, locale="en-GB")
        log_in(page, hr.user)
        check_widths(page, pages_for("hr", alfa)[0], "hr-long-names", width)
        assert len(page.evaluate(MENU_ROWS)) == 1, f"the menu wraps at {width}px wide"
        assert len(page.evaluate(HEADER_TOPS)) == 1, f"the header wraps at {width}px wide"
    page = new_page(viewport=PHONE, locale="en-GB")
    log_in(page, hr.user)
    check_widths(page, pages_for("hr", alfa)[0], "hr-long-names", 390)
    assert page.evaluate(HEADER_HEIGHT) <= PHONE_HEADER_MAX


def test_the_scroll_hint_shows_only_while_its_table_does_not_fit(new_page, alfa):
    # The cycle list is about 530px wide: on a phone it scrolls and says so, on a small tablet it fits and does not;
    # the people list (about 870px) scrolls on a tablet too, and says so there as well.
    page = new_page(viewport=PHONE, locale="en-GB")
    log_in(page, alfa["hr"].user)
    visit(page, reverse("cycles:cycle_list", kwargs={"org_slug": alfa["hr"].organization.slug}))
    hint = page.locator("main .scroll-hint").first
    assert hint.is_visible() and hint.inner_text() == "Scrol opzij voor meer →"  # Alfa speaks Dutch
    page.set_viewport_size({"width": 700, "height": 844})
    page.wait_for_function("document.querySelector('main .scroll-hint').hidden")
    assert not hint.is_visible() and page.evaluate(NEEDLESS_HINTS) == []
    page.set_viewport_size(PHONE)
    page.wait_for_function("!document.querySelector('main .scroll-hint').hidden")
    assert hint.is_visible()
    page.set_viewport_size({"width": 800, "height": 844})
    visit(page, reverse("organizations:people_list", kwargs={"org_slug": alfa["hr"].organization.slug}))
    assert page.locator("main .scroll-hint").first.is_visible() and page.evaluate(SILENT_SCROLLERS) == []
