"""No review is shared while HR's calibration window of its cycle is open (reviews.guards, calibration.guards).

The service refuses with the guard's sentence and changes nothing; the review page shows that sentence instead of the
Share button; the share step's own page sends the manager back with it. Once the window closes, sharing works again.
"""

import pytest
from django.core.exceptions import ValidationError

from calibration import guards as calibration_guards
from calibration.models import Calibration, Window
from reviews import guards as review_guards
from reviews import services_reviews
from reviews.models import Review, ReviewState
from tests.factories import CycleFactory
from tests.kit import assert_flat_queries, assert_nothing_changes, shown_messages, url
from tests.pay.conftest import make_pay
from tests.pay.mine_page import page_text
from tests.reviews.review_steps import fill, start

from .window_kit import both_at_once, closed, hooks_for_the_test, opened, require_postgresql, review_page

pytestmark = pytest.mark.django_db

REFUSAL = "HR is calibrating the outcomes of this cycle: reviews can be shared once the calibration window closes."


@pytest.fixture(autouse=True)
def _hooks(monkeypatch):
    hooks_for_the_test(monkeypatch)


@pytest.fixture
def pay(tenant_a):
    return make_pay(tenant_a)


@pytest.fixture
def draft(pay):
    """Eva's review, written in full by Mark: ready to share."""
    return fill(start(pay.assessment), pay.assessment)


def share_page(review):
    return url("reviews:review_share", review.organization, review_id=review.pk)


def test_sharing_is_refused_while_the_window_is_open_and_nothing_changes(pay, draft, english):
    opened(pay)

    with pytest.raises(ValidationError) as refused, assert_nothing_changes():
        services_reviews.review_share(review=draft, actor=draft.manager)

    assert refused.value.messages == [REFUSAL]
    assert Review.objects.get(pk=draft.pk).state == ReviewState.DRAFT


def test_sharing_works_again_once_the_window_closes(pay, draft):
    opened(pay)
    closed(pay)

    shared = services_reviews.review_share(review=draft, actor=draft.manager)

    assert shared.state == ReviewState.SHARED


def test_the_review_page_says_why_instead_of_the_share_button(manager, pay, draft):
    opened(pay)

    response = manager.get(review_page(draft))

    text = page_text(response)
    assert REFUSAL in text
    assert 'value="share"' not in response.content.decode()
    assert "Save the draft" in text  # the manager goes on writing


def test_the_share_button_comes_back_when_the_window_closes(manager, pay, draft):
    opened(pay)
    closed(pay)

    response = manager.get(review_page(draft))

    assert 'value="share"' in response.content.decode()
    assert REFUSAL not in page_text(response)


def test_the_share_step_sends_the_manager_back_with_the_reason(manager, pay, draft):
    opened(pay)

    with assert_nothing_changes():
        asked = manager.get(share_page(draft), follow=True)
        posted = manager.post(share_page(draft), {"confirm": "yes"}, follow=True)

    assert shown_messages(asked) == [REFUSAL]
    assert shown_messages(posted) == [REFUSAL]
    assert Review.objects.get(pk=draft.pk).state == ReviewState.DRAFT


def test_sharing_through_the_page_works_after_closing(manager, pay, draft):
    opened(pay)
    closed(pay)

    manager.post(share_page(draft), {"confirm": "yes"})

    assert Review.objects.get(pk=draft.pk).state == ReviewState.SHARED


def test_the_window_of_another_cycle_does_not_hold_this_one_back(pay, draft, tenant_a):
    other = CycleFactory(organization=tenant_a.organization)
    Calibration.objects.create(organization=tenant_a.organization, cycle=other, window=Window.OPEN)

    assert services_reviews.review_share(review=draft, actor=draft.manager).state == ReviewState.SHARED


def test_without_the_guard_registered_sharing_is_not_refused(monkeypatch, pay, draft):
    opened(pay)
    monkeypatch.setattr(review_guards, "_share_guards", [])

    assert review_guards.share_refusal(draft) is None


def test_a_guard_registered_twice_is_asked_once(monkeypatch, pay, draft):
    asked = []
    monkeypatch.setattr(review_guards, "_share_guards", [])

    def guard(review):
        asked.append(review.pk)

    review_guards.register_share_guard(guard)
    review_guards.register_share_guard(guard)
    review_guards.share_refusal(draft)

    assert asked == [draft.pk]


def test_the_guard_answers_none_without_a_window(pay, draft):
    assert calibration_guards.window_open(draft) is None
    opened(pay)
    assert calibration_guards.window_open(draft) is not None


def test_the_review_page_stays_flat_with_the_guard(manager, pay, draft):
    from reviews.models import Rating
    from tests.factories import ExpectationFactory
    from tests.reviews.review_steps import observation

    opened(pay)

    def build(numbers):
        for _number in numbers:
            expectation = ExpectationFactory(organization=draft.organization, weight=10)
            rating = Rating.objects.create(
                organization=draft.organization,
                review=draft,
                expectation=expectation,
                expectation_version=expectation.current_version,
                weight=10,
                level=3,
            )
            rating.evidence.add(observation(pay.assessment))

    response = assert_flat_queries(lambda: manager.get(review_page(draft)), build, few=2, many=12)
    assert REFUSAL in page_text(response)


# --- at the same moment, on PostgreSQL ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_share_and_the_window_opening_at_once_never_leave_a_review_shared_in_the_window(pay, draft):

    from calibration import services_window

    require_postgresql()
    opened(pay)
    closed(pay)  # the second round: the window's row exists, so the share locks it

    def share():
        services_reviews.review_share(review=Review.objects.get(pk=draft.pk), actor=draft.manager)

    def open_again():
        services_window.window_open(cycle=pay.cycle, actor=pay.tenant.hr)

    share_outcome, open_outcome = both_at_once(share, open_again)

    review = Review.objects.get(pk=draft.pk)
    window = Calibration.objects.get(cycle=pay.cycle)
    assert open_outcome == "won" and window.window == Window.OPEN
    if share_outcome == "won":
        assert review.state == ReviewState.SHARED and review.shared_at < window.opened_at
    else:
        assert share_outcome == REFUSAL and review.state == ReviewState.DRAFT
