"""Asking a colleague for an observation and answering it, in a real browser at phone width (390 px).

Mila (manager) asks Olaf about Pieter: she types part of his name, htmx swaps in the results under the real CSP,
she chooses him, an expectation and a date and sends it. Olaf finds it under his requests, reads only the request
and the expectation, and answers; the language coach speaks as he types. Every page goes through axe and may not
scroll sideways. Actions are found by name and address, so the journey reads the same in Dutch and English.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cycles.models import CycleStatus
from organizations.models import Role
from reviews.models import Observation, ObservationRequest, Source
from tests.e2e.conftest import (
    alfa_organisation,
    check_a11y,
    follow,
    log_in,
    person,
    visit,
)
from tests.factories import ConversationFactory, CycleFactory, ExpectationFactory, MomentFactory
from tests.kit import url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 390px"


@pytest.fixture
def alfa(live_server):
    organization, team, _hr = alfa_organisation()
    manager = person(organization, "Mila", "Dekker", team=team, role=Role.MANAGER)
    employee = person(organization, "Pieter", "Bakker", team=team, manager=manager)
    colleague = person(organization, "Olaf", "Smit", team=team)
    today = timezone.localdate()
    cycle = CycleFactory(
        organization=organization,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=300),
        status=CycleStatus.ACTIVE,
        activated_at=timezone.now(),
    )
    moment = MomentFactory(cycle=cycle, opens_on=today + datetime.timedelta(days=30))
    ConversationFactory(moment=moment, employee=employee)
    expectation = ExpectationFactory(organization=organization, title="Klant om feedback vragen")
    return organization, manager, employee, colleague, expectation


def test_a_manager_asks_a_colleague_who_answers_at_phone_width(new_page, alfa):  # noqa: F811 - the fixture
    organization, manager, employee, colleague, expectation = alfa
    ask_url = url("reviews:request_create", organization, employee_id=employee.pk)

    page = new_page(bypass_csp=False, viewport=PHONE)
    log_in(page, manager.user)
    visit(page, ask_url)
    no_sideways_scroll(page)
    with page.expect_response(lambda response: "q=" in response.url and response.status == 200):
        page.locator("input[name=q]").fill("Smi")
    page.locator(f"#colleague-{colleague.pk}").check()
    check_a11y(page)
    page.locator("select[name=expectation]").select_option(str(expectation.pk))
    due = timezone.localdate() + datetime.timedelta(days=10)
    page.locator("input[name=due_on]").fill(due.isoformat())
    follow(page, page.locator("#request-form button[type=submit]"))
    no_sideways_scroll(page)
    asked = ObservationRequest.objects.get()
    assert (asked.colleague_id, asked.due_on) == (colleague.pk, due)

    page = new_page(bypass_csp=False, viewport=PHONE)
    log_in(page, colleague.user)
    visit(page, url("reviews:request_list", organization))
    no_sideways_scroll(page)
    follow(page, page.locator(f"a[href$='/requests/{asked.pk}/answer/']"))
    no_sideways_scroll(page)
    expect(page.locator("h2").first).to_contain_text("Klant om feedback vragen")
    page.locator("textarea[name=situation]").fill("Bij de oplevering aan klant Jansen.")
    with page.expect_response(lambda response: "/observations/coach/" in response.url):
        page.locator("textarea[name=behaviour]").fill("Pieter is altijd lui.")
    expect(page.locator("#coach-behaviour .message-warning")).to_be_visible()
    check_a11y(page)
    page.locator("textarea[name=behaviour]").fill("Pieter belde de klant en vroeg wat beter kon.")
    follow(page, page.locator("form[aria-labelledby=answer-heading] button[type=submit]"))

    observation = Observation.objects.get()
    assert (observation.source, observation.author_id, observation.request_id) == (
        Source.COLLEAGUE,
        colleague.pk,
        asked.pk,
    )
