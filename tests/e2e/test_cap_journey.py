"""At the cap, in a real browser: a manager's draft is saved and says what happens next; HR is told how to make room.

Mark's team already has the most published expectations allowed. On a phone (390 px) he proposes one more: it is
saved as a draft, and its page says that HR publishes it once one is retired or the maximum is raised. His profile
and password pages keep the menu. HR presses Publish, is refused and lands on what to do next; follows the link to
one of the published expectations, retires it, and publishes the draft. Every page goes through axe.

Actions are found by id, name and address rather than by button text, so the journey reads the same whether the
Dutch catalogue is compiled or not.
"""

import re

import pytest
from playwright.sync_api import expect

from expectations.models import Expectation, Status
from organizations.models import Role
from tests.factories import CoreValueFactory, ExpectationFactory

from .conftest import alfa_organisation, fits_a_phone, follow, log_in, person, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "/o/alfa"
PHONE = {"width": 390, "height": 844}
DETAIL = re.compile(r"/o/alfa/expectations/\d+/$")
TITLE = "Klantvragen afronden"


@pytest.fixture
def alfa(live_server):
    """Alfa BV: Klantenservice with manager Mark and employee Pieter, five published expectations for the team."""
    organization, team, hr = alfa_organisation()
    value = CoreValueFactory(organization=organization, name_nl="Eigenaarschap", name_en="Ownership")
    mark = person(organization, "Mark", "Jansen", team=team, role=Role.MANAGER)
    person(organization, "Pieter", "Bakker", team=team, manager=mark)
    published = [
        ExpectationFactory(organization=organization, core_value=value, teams=[team], title=f"Teamgedrag {n}")
        for n in range(1, 6)
    ]
    return organization, value, hr, mark, published


def test_a_draft_at_the_cap_is_saved_and_hr_makes_room_to_publish_it(new_page, alfa):
    organization, value, hr, mark, published = alfa

    # Mark, on his phone, proposes a sixth: saved as a draft, with what happens next.
    phone = new_page(viewport=PHONE)
    log_in(phone, mark.user)
    visit(phone, f"{ORG}/expectations/new/")
    phone.locator("#id_core_value").select_option(str(value.pk))
    phone.locator("#id_title_nl").fill(TITLE)
    phone.locator("#id_behaviour_nl").fill("Je beantwoordt een klantvraag binnen twee werkdagen, of zet hem door.")
    phone.locator("#id_examples_yes_nl").fill("Je belt mevrouw Hoekstra op woensdag terug.")
    phone.locator("#id_examples_not_yet_nl").fill("Een vraag blijft een week liggen.")
    follow(phone, phone.locator("form.card button[type=submit]"), url=DETAIL)
    draft_url = phone.url
    expect(phone.locator("h1")).to_have_text(TITLE)
    expect(phone.locator(".message-success")).to_be_visible()
    next_step = phone.locator("#cap-next-step")
    expect(next_step).to_be_visible()
    expect(next_step).to_contain_text("Teamgedrag 5")
    expect(next_step.locator(f"a[href='{ORG}/expectations/settings/']")).to_have_count(0)  # HR's page, not his
    fits_a_phone(phone, "cap-draft-manager-phone")
    draft = Expectation.objects.get(current_version__title_nl=TITLE)
    assert (draft.status, draft.proposed_by_id) == (Status.DRAFT, mark.pk)

    # His profile and password pages keep the organisation's menu, folded into the Menu button.
    for path in ("/account/profile/", "/accounts/password/change/"):
        visit(phone, path)
        expect(phone.locator(f".main-nav a[href='{ORG}/']")).to_have_count(1)
        phone.locator(".nav-menu summary").click()
        expect(phone.locator(f".main-nav a[href='{ORG}/expectations/']")).to_be_visible()
        fits_a_phone(phone, f"menu-kept-{path.strip('/').replace('/', '-')}")

    # HR presses Publish: refused, and lands on what to do next, with the expectations to retire linked.
    page = new_page()
    log_in(page, hr.user)
    visit(page, draft_url)
    follow(page, page.locator("form[action$='/publish/'] button[type=submit]"))
    assert page.url.endswith("#cap-next-step")
    expect(page.locator(".message-error")).to_be_visible()
    next_step = page.locator("#cap-next-step")
    expect(next_step.locator(f"a[href='{ORG}/expectations/settings/']")).to_have_count(1)
    oldest = published[0]
    follow(page, next_step.locator(f"a[href='{ORG}/expectations/{oldest.pk}/']"), url=DETAIL)
    follow(page, page.locator("form[action$='/retire/'] button[type=submit]"), url=DETAIL)
    assert Expectation.objects.get(pk=oldest.pk).status == Status.RETIRED

    # Room made: the draft's page no longer stands in the way, and it publishes.
    visit(page, draft_url)
    expect(page.locator("#cap-next-step")).to_have_count(0)
    follow(page, page.locator("form[action$='/publish/'] button[type=submit]"), url=DETAIL)
    expect(page.locator(".message-success")).to_be_visible()
    assert Expectation.objects.get(pk=draft.pk).status == Status.PUBLISHED
