"""A newcomer while a cycle runs, in a real browser: HR adds a person, is offered to add them to the active cycle
(naming the conversation it creates and the moment it skips because its window has closed), confirms, and the
person's page lists their conversation.

The cycle's dates are relative to today (its first window closed two months ago, its second opens in a month),
so the journey reads the same whatever day it runs. Actions are found by address and id rather than by button
text, so it reads the same whether the Dutch catalogue is compiled or not; the text it checks is data (names).
Every page goes through axe (conftest.follow and visit), and the pages of the step are checked at 390 px wide.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cycles.models import Conversation, ConversationState, CycleStatus
from organizations.models import Employee, Role
from tests.factories import ConversationFactory, CycleFactory, MomentFactory

from .conftest import alfa_organisation, fits_a_phone, follow, log_in, person, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "/o/alfa"
PEOPLE = f"{ORG}/people/"
PERSON_PAGE = re.compile(r"/o/alfa/people/\d+/$")
PHONE = {"width": 390, "height": 844}
CYCLE_NAME = "Jaarcyclus"
CLOSED_MOMENT, OPEN_MOMENT = "Startgesprek", "Voortgangsgesprek"


@pytest.fixture
def alfa(live_server):
    """Alfa with an active cycle for everyone: a first moment whose window closed, a second still to come. Mila,
    the manager, has both conversations; Hanna (HR) has none yet."""
    organization, team, hr = alfa_organisation()
    manager = person(organization, "Mila", "Dekker", team=team, role=Role.MANAGER)
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    cycle = CycleFactory(
        organization=organization,
        name=CYCLE_NAME,
        status=CycleStatus.ACTIVE,
        starts_on=today - 120 * day,
        ends_on=today + 240 * day,
        activated_at=timezone.now(),
    )
    for name, opens_on, closes_on in (
        (CLOSED_MOMENT, today - 100 * day, today - 70 * day),
        (OPEN_MOMENT, today + 30 * day, today + 60 * day),
    ):
        moment = MomentFactory(cycle=cycle, name_nl=name, name_en=name, opens_on=opens_on, closes_on=closes_on)
        ConversationFactory(moment=moment, employee=manager, state=ConversationState.TO_SCHEDULE)
    return organization, team, hr, manager, cycle


def test_hr_adds_a_person_and_gives_them_their_conversation_in_the_running_cycle(new_page, alfa):
    organization, team, hr, manager, cycle = alfa
    page = new_page()
    log_in(page, hr.user)

    # 1. HR adds Noor through the person form; the person's page says at once that she has no conversations.
    visit(page, PEOPLE)
    follow(page, page.locator(f"a[href='{PEOPLE}new/']"))
    page.locator("#id_email").fill("noor.jacobs@alfa.example")
    page.locator("#id_first_name").fill("Noor")
    page.locator("#id_last_name").fill("Jacobs")
    page.locator("#id_team").select_option(str(team.pk))
    page.locator("#id_manager").select_option(str(manager.pk))
    follow(page, page.locator("main form button[type=submit]"), url=PERSON_PAGE)
    noor = Employee.objects.get(organization=organization, user__email="noor.jacobs@alfa.example")
    person_page = page.url

    offer = page.locator("#newcomer-offers")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text(CYCLE_NAME)
    expect(offer.locator("ul li").first).to_contain_text(OPEN_MOMENT)  # the conversation it creates
    expect(offer.locator(".message-warning")).to_contain_text(CLOSED_MOMENT)  # the one skipped: window closed
    expect(page.locator("#person-conversations table")).to_have_count(0)  # nothing to list yet
    add_address = f"{ORG}/cycles/{cycle.pk}/newcomers/?person={noor.pk}"
    expect(offer.locator(f"form[action='{add_address}']")).to_have_count(1)

    # At phone width: the person's page with the offer, and the confirmation, fit without sideways scrolling.
    phone = new_page(viewport=PHONE)
    log_in(phone, hr.user)
    visit(phone, person_page)
    fits_a_phone(phone, "newcomers-person-offer-390")
    visit(phone, add_address)
    fits_a_phone(phone, "newcomers-confirm-390")
    visit(phone, f"{ORG}/cycles/{cycle.pk}/")  # the cycle page names its newcomers (Hanna, Noor)
    expect(phone.locator("#newcomers")).to_contain_text("Noor Jacobs")
    fits_a_phone(phone, "newcomers-cycle-390")

    # 2. The offer asks first: what it creates, for whom; nothing exists yet.
    follow(page, offer.locator("button[type=submit]"))
    what = page.locator("section[aria-labelledby=what-heading]")
    expect(what).to_contain_text(OPEN_MOMENT)
    expect(what).to_contain_text(CLOSED_MOMENT)
    expect(what).to_contain_text("Noor Jacobs")
    assert not Conversation.objects.filter(employee=noor).exists()

    # 3. Confirmed: back on her page, which lists her one conversation with a link to it.
    follow(page, page.locator("form:has(input[name=confirm][value=yes]) button[type=submit]"), url=person_page)
    expect(page.locator(".message-success")).to_contain_text("Noor Jacobs")
    expect(page.locator("#newcomer-offers")).to_have_count(0)
    rows = page.locator("#person-conversations tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(CYCLE_NAME)
    expect(rows.first).to_contain_text(OPEN_MOMENT)
    conversation = Conversation.objects.get(employee=noor)
    assert conversation.moment.name_nl == OPEN_MOMENT
    visit(phone, person_page)
    fits_a_phone(phone, "newcomers-person-conversations-390")

    # 4. The link opens the conversation.
    follow(page, rows.first.locator("a"), url=re.compile(rf"/o/alfa/cycles/conversations/{conversation.pk}/$"))
