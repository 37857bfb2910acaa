"""In Chromium at 390px, under the real CSP: a manager starts a review from the conversation, rates with the live
outcome (htmx), saves and shares it after a confirmation page (the share button saves first); once the conversation is
held the employee signs "seen and discussed", the manager signs, HR finalises. Every page passes axe and none
scrolls sideways."""

import datetime
import re

import pytest
from django.utils import timezone

from cycles.models import CycleStatus, MomentKind
from cycles.services import conversation_hold
from organizations.models import Role
from reviews.models import Review, ReviewState
from tests.factories import ConversationFactory, CycleFactory, ExpectationFactory, MomentFactory, ObservationFactory

from .conftest import alfa_organisation, follow, log_in, person, screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def assessment():
    """Alfa's active cycle with an assessment moment; Eva reports to Mark; two expectations of 60 % and 40 %."""
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
    ExpectationFactory(organization=organization, weight=60, title="Je vraagt de klant om feedback na elke oplevering")
    ExpectationFactory(organization=organization, weight=40, title="Je komt afspraken met collega's na")
    manager = person(organization, "Mark", "Jansen", role=Role.MANAGER, team=team)
    eva = person(organization, "Eva", "van der Berg", email="eva@alfa.example", team=team, manager=manager)
    conversation = ConversationFactory(moment=moment, employee=eva)
    ObservationFactory(employee=eva, author=manager, behaviour="Je belde de klant na de oplevering.")
    return conversation, manager, eva, hr


def fits_a_phone(page, name):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    shot = screenshot(page, f"{name}-390")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 390px wide (see {shot})"


def confirm(page, link_selector, name):
    """Open a step's confirmation page from the review, check it, and confirm."""
    follow(page, page.locator(link_selector))
    fits_a_phone(page, name)
    follow(page, page.locator("main form button[type=submit]"))


def test_a_review_from_start_to_finalised(new_page, assessment):
    conversation, manager, eva, hr = assessment
    page = new_page(viewport=PHONE, bypass_csp=False)
    log_in(page, manager.user)
    visit(page, f"/o/alfa/cycles/conversations/{conversation.pk}/")
    follow(page, page.locator("form[action$='/review/'] button"))
    review = Review.objects.get()
    assert page.url.endswith(review.get_absolute_url())
    fits_a_phone(page, "review-draft")

    # Rate 3 and 2: the live outcome shows (3 × 60 + 2 × 40) / 100 = 2.60, before anything is saved.
    ratings = page.locator("main form section.card[aria-labelledby^='rating-']")
    ratings.nth(0).locator("input[type=radio][value='3']").check()
    ratings.nth(1).locator("input[type=radio][value='2']").check()
    page.locator("#outcome").filter(has_text=re.compile(r"2[.,]60")).wait_for()
    ratings.nth(0).locator("input[type=checkbox]").first.check()  # the evidence is shown, not folded away
    ratings.nth(1).locator("textarea[name$='-reason']").fill("Thuiswerk: niemand zag het samenwerken.")
    follow(page, page.locator(f"form[action='{review.get_absolute_url()}'] button[type=submit]:not([name])"))
    review.refresh_from_db()
    assert str(review.score) == "2.60" and review.band.position == 1

    # A note typed after the save is not lost: sharing saves the draft first, then asks.
    ratings.nth(0).locator("textarea[name$='-note']").fill("Elke oplevering gebeld.")
    confirm(page, "button[name=next][value=share]", "review-share")
    assert Review.objects.get().state == ReviewState.SHARED
    assert Review.objects.get().ratings.filter(note="Elke oplevering gebeld.").exists()

    # Signing is for after the conversation: the manager marks it held (the cycles service, as its page does).
    conversation_hold(conversation=conversation, actor=manager)

    employee_page = new_page(viewport=PHONE, bypass_csp=False)
    log_in(employee_page, eva.user)
    visit(employee_page, review.get_absolute_url())
    fits_a_phone(employee_page, "review-shared-employee")
    confirm(employee_page, "a[href$='/sign/']", "review-sign")
    assert Review.objects.get().state == ReviewState.EMPLOYEE_SIGNED

    visit(page, review.get_absolute_url())
    confirm(page, "a[href$='/sign/']", "review-sign-manager")
    assert Review.objects.get().state == ReviewState.SIGNED

    hr_page = new_page(viewport=PHONE, bypass_csp=False)
    log_in(hr_page, hr.user)
    visit(hr_page, review.get_absolute_url())
    confirm(hr_page, "a[href$='/finalise/']", "review-finalise")
    assert Review.objects.get().state == ReviewState.FINALISED
    fits_a_phone(hr_page, "review-finalised")
