"""The heart of a cycle in Chromium, in Dutch and in English, under the real CSP: a manager records what they saw
(the language coach speaks up as they type), starts the review from the conversation, rates with that observation as
evidence and shares it; the conversation is held; the employee comments and signs "seen and discussed", the manager
signs, HR finalises, and the employee reads the review's history. axe checks every page on the way."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cycles.models import CycleStatus, MomentKind
from organizations.models import Role
from reviews.models import Observation, Review, ReviewState
from tests.factories import ConversationFactory, CycleFactory, ExpectationFactory, MomentFactory
from tests.kit import url

from .conftest import alfa_organisation, check_a11y, follow, log_in, person, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the pages say, per language: the coach's heading is not needed, only words the test waits for.
WORDS = {
    "nl": {"history": "Geschiedenis", "finalised": "Vastgesteld"},
    "en": {"history": "History", "finalised": "Finalised"},
}


@pytest.fixture
def team(live_server):
    organization, team, hr = alfa_organisation()
    today = timezone.localdate()
    cycle = CycleFactory(
        organization=organization,
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=300),
        status=CycleStatus.ACTIVE,
        activated_at=timezone.now(),
    )
    moment = MomentFactory(
        cycle=cycle,
        kind=MomentKind.ASSESSMENT,
        produces_rating=True,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=25),
    )
    ExpectationFactory(organization=organization, weight=100, title="Je vraagt de klant om feedback na elke oplevering")
    manager = person(organization, "Mark", "Jansen", role=Role.MANAGER, team=team)
    eva = person(organization, "Eva", "van der Berg", email="eva@alfa.example", team=team, manager=manager)
    conversation = ConversationFactory(moment=moment, employee=eva)
    return organization, conversation, manager, eva, hr


def speaking(language, *people):
    for someone in people:
        someone.user.language = language
        someone.user.save(update_fields=["language"])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_observation_becomes_evidence_in_a_review_that_both_sign_and_hr_finalises(new_page, team, language):
    organization, conversation, manager, eva, hr = team
    speaking(language, manager, eva, hr)

    # The manager records what they saw, from the team grid; the coach flags a judgement while they type.
    page = new_page(bypass_csp=False)
    log_in(page, manager.user)
    visit(page, url("cycles:team_grid", organization))
    follow(page, page.locator(f"a[href$='/observations/new/{eva.pk}/']").first)
    page.locator("textarea[name=situation]").fill("Oplevering bij klant Jansen, vrijdag.")
    with page.expect_response(lambda response: "/observations/coach/" in response.url):
        page.locator("textarea[name=behaviour]").fill("Eva is altijd lui.")
    expect(page.locator("#coach-behaviour .message-warning")).to_be_visible()
    check_a11y(page)
    page.locator("textarea[name=behaviour]").fill("Eva belde de klant en vroeg wat beter kon.")
    page.locator("textarea[name=effect]").fill("De klant noemde twee verbeterpunten.")
    page.locator("select[name=expectation]").select_option(index=1)
    follow(page, page.locator("main form button[type=submit]").last)
    observation = Observation.objects.get()
    assert observation.behaviour == "Eva belde de klant en vroeg wat beter kon."

    # The review, from the conversation: rated with the observation as evidence, then shared (saved first).
    visit(page, url("cycles:conversation_detail", organization, conversation_id=conversation.pk))
    follow(page, page.locator("form[action$='/review/'] button"))
    review = Review.objects.get()
    page.locator("main input[type=radio][value='3']").first.check()
    page.locator(f"main input[type=checkbox][value='{observation.pk}']").first.check()
    follow(page, page.locator("button[name=next][value=share]"))
    follow(page, page.locator("main form button[type=submit]"))
    review.refresh_from_db()
    assert review.state == ReviewState.SHARED
    assert list(review.ratings.get().evidence.all()) == [observation]

    # The conversation took place: the manager marks it held, after a confirmation page.
    visit(page, url("cycles:conversation_detail", organization, conversation_id=conversation.pk))
    follow(page, page.locator("form[action$='/hold/'] button[type=submit]"))
    # It was never scheduled, so the confirmation asks when it took place: yesterday, in the cycle.
    page.locator("input[name=date]").fill((timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.locator("input[name=time]").fill("10:00")
    follow(page, page.locator("main form button[type=submit]"))
    conversation.refresh_from_db()
    assert conversation.state == "held"

    # The employee comments and signs "seen and discussed".
    employee_page = new_page(bypass_csp=False)
    log_in(employee_page, eva.user)
    visit(employee_page, review.get_absolute_url())
    expect(employee_page.locator("main")).to_contain_text("Eva belde de klant en vroeg wat beter kon.")
    employee_page.locator("textarea[name=comment]").fill("Herkenbaar; ik bel voortaan ook na kleine opleveringen.")
    follow(employee_page, employee_page.locator("form[action$='/comment/'] button[type=submit]"))
    follow(employee_page, employee_page.locator("a[href$='/sign/']"))
    follow(employee_page, employee_page.locator("main form button[type=submit]"))

    # The manager signs; HR finalises.
    visit(page, review.get_absolute_url())
    follow(page, page.locator("a[href$='/sign/']"))
    follow(page, page.locator("main form button[type=submit]"))
    hr_page = new_page(bypass_csp=False)
    log_in(hr_page, hr.user)
    visit(hr_page, review.get_absolute_url())
    follow(hr_page, hr_page.locator("a[href$='/finalise/']"))
    follow(hr_page, hr_page.locator("main form button[type=submit]"))
    review.refresh_from_db()
    assert review.state == ReviewState.FINALISED
    assert review.employee_comment.startswith("Herkenbaar")

    # The employee reads who did what, and when.
    visit(employee_page, review.get_absolute_url())
    history = employee_page.locator("#history")
    expect(history).to_contain_text(WORDS[language]["history"])
    expect(history).to_contain_text(hr.full_name)
    expect(employee_page.locator("main")).to_contain_text(WORDS[language]["finalised"])
