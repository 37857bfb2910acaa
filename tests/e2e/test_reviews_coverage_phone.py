"""In Chromium at 390px: the team grid with its evidence coverage, a person's page and the home page fit a phone
(no sideways scroll of the page) and pass axe; the grid's coverage names a gap in words."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cycles.models import CycleStatus, MomentKind
from organizations.models import Role
from tests.factories import ConversationFactory, CycleFactory, ExpectationFactory, MomentFactory, ObservationFactory

from .conftest import alfa_organisation, check_a11y, log_in, person, screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def team():
    """Alfa's manager Mark with three reports in an active cycle; Eva has an observation on one expectation of two."""
    organization, team, _hr = alfa_organisation()
    today = timezone.localdate()
    cycle = CycleFactory(
        organization=organization,
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=300),
        status=CycleStatus.ACTIVE,
    )
    moments = [
        MomentFactory(
            cycle=cycle,
            kind=kind,
            opens_on=today + datetime.timedelta(days=days),
            closes_on=today + datetime.timedelta(days=days + 20),
        )
        for kind, days in ((MomentKind.PLANNING, -50), (MomentKind.PROGRESS, 10), (MomentKind.ASSESSMENT, 100))
    ]
    expectations = [
        ExpectationFactory(organization=organization, title="Je vraagt de klant om feedback na elke oplevering"),
        ExpectationFactory(organization=organization, title="Je komt afspraken met collega's na of meldt het op tijd"),
    ]
    manager = person(organization, "Mark", "Jansen", role=Role.MANAGER, team=team)
    reports = [
        person(organization, name, "van der Berg-Willemsen", email=f"{name}@alfa.example", team=team, manager=manager)
        for name in ("Eva", "Ali", "Sanne")
    ]
    for report in reports:
        for moment in moments:
            ConversationFactory(moment=moment, employee=report)
    ObservationFactory(employee=reports[0], expectation=expectations[0])
    return manager, reports


def fits_a_phone(page, path, name):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    shot = screenshot(page, f"{name}-390")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px wide (see {shot})"


# Elements that end right of the viewport, outside the grid's table (which scrolls inside its own box).
STICKING_OUT = """Array.from(document.querySelectorAll('body *'))
  .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth)
  .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40))"""


def test_the_team_grid_with_coverage_fits_a_phone_and_passes_axe(new_page, team):
    manager, reports = team
    page = new_page(viewport=PHONE, locale="en-GB")
    log_in(page, manager.user)
    path = "/o/alfa/cycles/team/"
    visit(page, path)
    # The coverage loads after the grid (htmx): once it is there, axe again, then the widths.
    expect(page.locator("section.coverage [data-gap]")).to_have_count(5)
    check_a11y(page)
    # The table scrolls sideways inside its box; everything else, the coverage included, fits the phone.
    shot = screenshot(page, "team-grid-coverage-390")
    assert page.evaluate(STICKING_OUT) == [], f"sticks out at 390px wide (see {shot})"
    coverage = page.locator("section.coverage")
    box = coverage.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"the coverage sticks out: {box}"
    assert coverage.locator("[data-gap]").count() == 5  # Eva lacks one, Ali and Sanne both


@pytest.mark.parametrize("who", ["manager", "report"])
def test_the_home_page_and_a_persons_page_fit_a_phone_and_pass_axe(new_page, team, who):
    manager, reports = team
    member = manager if who == "manager" else reports[0]
    page = new_page(viewport=PHONE, locale="en-GB")
    log_in(page, member.user)
    for path, name in (("/o/alfa/", f"home-{who}"), (f"/o/alfa/people/{reports[0].pk}/", f"person-{who}")):
        visit(page, path)
        fits_a_phone(page, path, name)
