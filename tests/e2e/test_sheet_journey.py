"""The conversation sheet in a real browser: the employee writes and submits the self-reflection at phone width,
the manager reads it on the sheet, and the sheet prints without menu, forms or buttons.

Uses the browser fixtures of tests/e2e/conftest.py (imported, not copied). Every page goes through axe.
"""

import datetime

import pytest
from django.utils import timezone

from cycles.models import CycleStatus, MomentKind
from tests.e2e.conftest import (
    alfa_organisation,
    follow,
    log_in,
    person,
    screenshot,
    visit,
)
from tests.factories import ConversationFactory, CycleFactory, ExpectationFactory, MomentFactory, ObservationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DAY = datetime.timedelta(days=1)


@pytest.fixture
def sheet_world():
    organization, team, _hr = alfa_organisation()
    manager = person(organization, "Mark", "Jansen", role="manager", team=team)
    employee = person(organization, "Eva", "Bakker", team=team, manager=manager)
    today = timezone.localdate()
    cycle = CycleFactory(
        organization=organization,
        starts_on=today - 30 * DAY,
        ends_on=today + 300 * DAY,
        status=CycleStatus.ACTIVE,
        activated_at=timezone.now(),
    )
    moment = MomentFactory(
        cycle=cycle,
        kind=MomentKind.PROGRESS,
        name_nl="Voortgangsgesprek",
        opens_on=today - 5 * DAY,
        closes_on=today + 20 * DAY,
        asks_reflection=True,
        reflection_questions_nl="Waar ben je trots op?\nWat wil je leren?",
    )
    conversation = ConversationFactory(moment=moment, employee=employee)
    ExpectationFactory(organization=organization, weight=100, title="Klant om feedback vragen")
    ObservationFactory(employee=employee, author=manager, behaviour="Je belde de klant direct terug.")
    ObservationFactory(employee=employee, author=manager, behaviour="Bewaard voor het gesprek.", held_for=conversation)
    return organization, manager, employee, conversation


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways"


def test_the_employee_submits_the_reflection_and_the_manager_reads_it_on_a_printable_sheet(new_page, sheet_world):  # noqa: F811
    organization, manager, employee, conversation = sheet_world
    sheet = f"/o/{organization.slug}/cycles/conversations/{conversation.pk}/"
    reflection = f"/o/{organization.slug}/reviews/conversations/{conversation.pk}/reflection/"

    page = new_page(viewport=PHONE)
    log_in(page, employee)
    visit(page, sheet)
    no_sideways_scroll(page)
    assert "Bewaard voor het gesprek." not in page.content()
    follow(page, page.locator(f"a[href='{reflection}']"))
    no_sideways_scroll(page)
    page.locator("textarea[name=answer_0]").fill("Het klantproject.")
    follow(page, page.locator("button[name=action][value=submit]"))
    assert page.url.endswith(sheet)

    page = new_page()
    log_in(page, manager)
    visit(page, sheet)
    screenshot(page, "conversation-sheet-manager")
    content = page.content()
    assert "Het klantproject." in content and "Bewaard voor het gesprek." in content

    page.emulate_media(media="print")
    for hidden in ("header.site-header", "form", "button", "footer.site-footer"):
        for element in page.locator(hidden).all():
            assert not element.is_visible(), f"{hidden} shows on paper"
    assert page.locator("h1").is_visible()
    assert page.locator("#self-reflection").is_visible()
    screenshot(page, "conversation-sheet-print")
