"""The scale, bands, rule and cycle-reviews pages in a real browser: axe finds nothing serious, and at 390px wide
no page scrolls sideways. HR edits a threshold the Dutch way (2,75) and the rule page shows it."""

import pytest
from django.utils import timezone

from cycles.models import CycleStatus, MomentKind
from organizations.models import Role
from reviews import scales
from tests.e2e.conftest import alfa_organisation, check_a11y, fits_a_phone, log_in, person, visit
from tests.factories import ConversationFactory, CycleFactory, ExpectationFactory, MomentFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def alfa(live_server):
    organization, team, hr = alfa_organisation()
    manager = person(organization, "Mila", "Dekker", team=team, role=Role.MANAGER)
    employee = person(organization, "Pieter", "Bakker", team=team, manager=manager)
    cycle = CycleFactory(
        organization=organization, name="Jaarcyclus", status=CycleStatus.ACTIVE, activated_at=timezone.now()
    )
    moment = MomentFactory(cycle=cycle, kind=MomentKind.ASSESSMENT, produces_rating=True)
    scales.cycle_levels(cycle=cycle)
    bands = scales.cycle_bands(cycle=cycle)
    ExpectationFactory(organization=organization, weight=60, title="Klant om feedback vragen")
    ExpectationFactory(organization=organization, weight=40, title="Afspraken nakomen")
    ReviewFactory(
        conversation=ConversationFactory(moment=moment, employee=employee),
        score="3.00",
        computed_band=bands[1],
        band=bands[2],
        justification="Uitzonderlijk jaar.",
    )
    return organization, hr, employee, cycle


def fits(page, name):
    fits_a_phone(page, f"{name}-390")


def test_hr_pages_are_accessible_and_fit_a_phone(new_page, alfa):
    _organization, hr, _employee, cycle = alfa
    page = new_page(viewport=PHONE)
    log_in(page, hr.user)
    for path, name in [
        ("/o/alfa/reviews/scale/", "scale"),
        (f"/o/alfa/reviews/cycles/{cycle.pk}/bands/", "bands"),
        (f"/o/alfa/reviews/cycles/{cycle.pk}/reviews/", "cycle-reviews"),
        ("/o/alfa/reviews/rule/", "rule-hr"),
    ]:
        visit(page, path)
        fits(page, name)
    # A threshold typed the Dutch way, saved without JavaScript's help, then read on the rule page.
    visit(page, f"/o/alfa/reviews/cycles/{cycle.pk}/bands/")
    page.locator("#id_band-1-min_score").fill("2,75")
    with page.expect_navigation():
        page.locator("form[action$='/bands/'] [type=submit]").click()
    check_a11y(page)
    assert page.locator("#id_band-1-min_score").input_value() == "2,75"
    visit(page, "/o/alfa/reviews/rule/")
    assert "2,75" in page.content()


def test_the_rule_page_is_accessible_and_fits_a_phone_for_an_employee(new_page, alfa):
    _organization, _hr, employee, _cycle = alfa
    page = new_page(viewport=PHONE)
    log_in(page, employee.user)
    visit(page, "/o/alfa/reviews/rule/")
    fits(page, "rule-employee")
    assert "Klant om feedback vragen" in page.content()
