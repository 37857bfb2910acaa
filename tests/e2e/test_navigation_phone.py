"""In Chromium at 390px: "Your reviews" and the reviews a manager writes fit a phone (no sideways scroll of the
page) and pass axe (tests/e2e's visit), with long names and a closed cycle's review among them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cycles.models import ConversationState, CycleStatus, MomentKind
from organizations.models import Role
from tests.e2e.conftest import alfa_organisation, log_in, person, visit
from tests.factories import ConversationFactory, CycleFactory, MomentFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def reviews():
    """Alfa's manager Mark with two reports; Eva has a finalised review of last year and a shared one now."""
    organization, team, _hr = alfa_organisation()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    cycles = [
        CycleFactory(organization=organization, name=name, starts_on=starts, ends_on=ends, status=status)
        for name, starts, ends, status in (
            ("Vorig jaar", today - 430 * day, today - 70 * day, CycleStatus.CLOSED),
            ("Dit jaar", today - 60 * day, today + 300 * day, CycleStatus.ACTIVE),
        )
    ]
    moments = [
        MomentFactory(
            cycle=cycle,
            kind=MomentKind.ASSESSMENT,
            produces_rating=True,
            opens_on=cycle.starts_on + 20 * day,
            closes_on=cycle.starts_on + 50 * day,
        )
        for cycle in cycles
    ]
    manager = person(organization, "Mark", "Jansen", role=Role.MANAGER, team=team)
    eva, ali = (
        person(organization, name, "van der Berg-Willemsen", email=f"{name}@alfa.example", team=team, manager=manager)
        for name in ("Eva", "Ali")
    )
    held = ConversationState.HELD
    ReviewFactory(conversation=ConversationFactory(moment=moments[0], employee=eva, state=held), state="finalised")
    ReviewFactory(conversation=ConversationFactory(moment=moments[1], employee=eva, state=held), state="shared")
    ConversationFactory(moment=moments[1], employee=ali)  # a review to write
    return manager, eva


def address(name):
    return reverse(name, kwargs={"org_slug": "alfa"})


def fits_a_phone(page, path):
    visit(page, path)
    overflow = page.evaluate(OVERFLOW)
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px wide"


def test_your_reviews_and_the_reviews_a_manager_writes_fit_a_phone(new_page, reviews):  # noqa: F811
    manager, eva = reviews
    page = new_page(viewport=PHONE, locale="en-GB")
    log_in(page, eva.user)
    fits_a_phone(page, address("reviews:my_reviews"))
    assert page.locator("article.card").count() == 2
    fits_a_phone(page, address("reviews:outcome_rule"))
    fits_a_phone(page, address("organizations:home"))
    other = new_page(viewport=PHONE, locale="en-GB")
    log_in(other, manager.user)
    fits_a_phone(other, address("reviews:team_reviews"))
    assert other.locator("#to-write ~ ul li").count() == 1
    fits_a_phone(other, address("organizations:home"))
