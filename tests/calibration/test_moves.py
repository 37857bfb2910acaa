"""HR moves a proposed outcome to another band of its cycle, with a reason, while the calibration window is open.

The move is one transaction: the OutcomeMove, the review's band by a conditional update, both in the audit trail.
The budget follows (it reads the review's band); the manager reads the reason on the review and on their own page.
Refused (translated, nothing changed): outside the window, in a cycle that is not active, a review that is not a
draft or has no outcome, a band of another cycle or none at all, no reason, the band it already has, a review that
changed since the form was shown.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from calibration.models import OutcomeMove
from cycles.models import CycleStatus
from organizations.audit_models import AuditEntry
from pay.selectors_budget import budget_of
from reviews.models import Review, ReviewState
from reviews.scales import cycle_bands
from tests.factories import CycleFactory, EmployeeFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    shown_messages,
)
from tests.pay.budget_kit import BELOW, EXCEEDS, MEETS, review_of
from tests.pay.conftest import make_pay
from tests.pay.mine_page import page_text

from .window_kit import (
    REASON,
    both_at_once,
    closed,
    employees_review,
    hooks_for_the_test,
    move_data,
    move_page,
    moved,
    opened,
    require_postgresql,
    review_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _hooks(monkeypatch):
    hooks_for_the_test(monkeypatch)


@pytest.fixture
def pay(tenant_a):
    return make_pay(tenant_a)


@pytest.fixture
def review(pay):
    """Eva's review by Mark: a draft that meets expectations, in the cycle whose window HR opened."""
    opened(pay)
    return employees_review(pay, MEETS)


def band_of(review):
    return Review.objects.get(pk=review.pk).band_id


# --- who may use the page -------------------------------------------------------------------------------------------


def test_another_organisations_member_gets_404(client, pay, review, stranger):
    for method in ("get", "post"):
        data = move_data(review, pay.bands[EXCEEDS])
        assert_other_organisation_gets_404(client, stranger, move_page(review), method, data)


def test_another_organisations_hr_with_its_own_address_gets_404(client, pay, review, tenant_b):
    address = move_page(review).replace("/o/alfa/", "/o/bravo/")
    client.force_login(tenant_b.hr.user)
    for method in ("get", "post"):
        with assert_nothing_changes():
            assert getattr(client, method)(address, move_data(review, pay.bands[EXCEEDS])).status_code == 404


def test_a_review_under_another_cycles_address_gets_404(hr, pay, review, tenant_a):
    other = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)

    for method in ("get", "post"):
        with assert_nothing_changes():
            response = getattr(hr, method)(move_page(review, other), move_data(review, pay.bands[EXCEEDS]))
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_hr_may_move_an_outcome(client, pay, review, tenant_a, role):
    for method in ("get", "post"):
        assert_role_forbidden(
            client, tenant_a.member(role), move_page(review), method, move_data(review, pay.bands[EXCEEDS])
        )


def test_other_methods_get_405(hr, review):
    assert_method_not_allowed(hr, move_page(review), ["put", "patch", "delete"])


# --- the move --------------------------------------------------------------------------------------------------------


def test_the_form_offers_the_cycles_outcomes_and_says_who_reads_the_reason(hr, pay, review):
    with assert_nothing_changes():
        response = hr.get(move_page(review))

    text = page_text(response)
    assert "Meets expectations (its outcome now)" in text
    assert "Exceeds expectations" in text and "Below expectations" in text
    assert "the employee reads only the outcome" in text
    assert f'name="shown_band" value="{review.band_id}"' in response.content.decode()


def test_hr_moves_the_outcome_with_a_reason_and_both_are_audited(hr, pay, review, tenant_a):
    response = hr.post(move_page(review), move_data(review, pay.bands[EXCEEDS]), follow=True)

    assert shown_messages(response) == [
        f"The outcome of {tenant_a.employee.full_name} is now “Exceeds expectations”; the manager reads your reason."
    ]
    assert response.redirect_chain[-1][0] == review_page(review)
    stored = Review.objects.get(pk=review.pk)
    assert stored.band == pay.bands[EXCEEDS] and stored.state == ReviewState.DRAFT
    move = OutcomeMove.objects.get()
    assert (move.review, move.from_band, move.to_band, move.reason, move.moved_by) == (
        stored,
        pay.bands[MEETS],
        pay.bands[EXCEEDS],
        REASON,
        tenant_a.hr,
    )
    review_entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Review),
        object_id=review.pk,
        action=AuditEntry.Action.UPDATE,
        changes__has_key="band",
    )
    assert review_entry.changes["band"] == [pay.bands[MEETS].pk, pay.bands[EXCEEDS].pk]
    assert review_entry.actor_employee == tenant_a.hr
    move_entry = AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(OutcomeMove), object_id=move.pk)
    assert move_entry.action == AuditEntry.Action.CREATE and move_entry.actor_employee == tenant_a.hr


def test_after_the_move_the_review_deviates_and_keeps_the_managers_justification(pay, review):
    Review.objects.filter(pk=review.pk).update(computed_band=pay.bands[MEETS], justification="")
    review.refresh_from_db()

    moved(pay, review, EXCEEDS)

    stored = Review.objects.get(pk=review.pk)
    assert stored.deviates and stored.computed_band == pay.bands[MEETS] and stored.justification == ""


def test_the_budget_follows_a_move(pay, review):
    before = budget_of(cycle=pay.cycle).total

    moved(pay, review, EXCEEDS)

    after = budget_of(cycle=pay.cycle).total
    assert after.cost > before.cost
    assert after.one_off > before.one_off  # only the top band's rule has a one-off payment


def test_the_manager_reads_the_move_on_the_review_and_hr_gets_a_link_to_move_it(manager, hr, pay, review):
    moved(pay, review, EXCEEDS)

    for reader in (manager, hr):
        text = page_text(reader.get(review_page(review)))
        assert "Changes by HR" in text
        assert "HR moved the outcome from “Meets expectations” to “Exceeds expectations” on " in text
        assert REASON in text
    assert "Move the outcome…" in page_text(hr.get(review_page(review)))
    assert "Move the outcome…" not in page_text(manager.get(review_page(review)))


def test_the_employee_reads_the_outcome_but_not_the_move(pay, review, employee, tenant_a):
    moved(pay, review, EXCEEDS)
    closed(pay)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SHARED)

    text = page_text(employee.get(review_page(review)))

    assert "Exceeds expectations" in text
    assert REASON not in text and "HR moved" not in text


# --- refusals --------------------------------------------------------------------------------------------------------


def test_a_move_without_a_reason_is_refused_at_the_field(hr, pay, review):
    for reason in ("", "   "):
        with assert_nothing_changes():
            response = hr.post(move_page(review), move_data(review, pay.bands[EXCEEDS], reason=reason))
        assert response.status_code == 200
        assert field_error(response, "reason") == "Write why you move this outcome; the manager reads it."


def test_a_reason_longer_than_2000_characters_is_refused(hr, pay, review):
    with assert_nothing_changes():
        response = hr.post(move_page(review), move_data(review, pay.bands[EXCEEDS], reason="x" * 2001))

    assert field_error(response, "reason") == "Keep the reason to 2000 characters at most."


def test_a_move_to_a_band_of_another_cycle_or_none_at_all_is_refused(hr, pay, review, tenant_a):
    other_cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    foreign = cycle_bands(cycle=other_cycle)[EXCEEDS]
    for band in (foreign.pk, 987654, "abc", "-1", "99999999999999999999999"):
        with assert_nothing_changes():
            response = hr.post(move_page(review), move_data(review, band))
        assert field_error(response, "to_band") == "Choose one of the outcomes of this cycle."
    response = hr.post(move_page(review), move_data(review, ""))
    assert field_error(response, "to_band") == "Choose the outcome to move to."


def test_the_service_refuses_a_band_of_another_cycle_too(pay, review, tenant_a, english):
    from django.core.exceptions import ValidationError

    from calibration.services_moves import outcome_move

    foreign = cycle_bands(cycle=CycleFactory(organization=tenant_a.organization))[EXCEEDS]
    with pytest.raises(ValidationError) as refused, assert_nothing_changes():
        outcome_move(review=review, to_band_id=foreign.pk, reason=REASON, shown_band_id=review.band_id, actor=None)
    assert refused.value.message_dict == {"to_band": ["Choose one of the outcomes of this cycle."]}


def test_a_move_to_the_outcome_it_already_has_is_refused(hr, pay, review):
    with assert_nothing_changes():
        response = hr.post(move_page(review), move_data(review, pay.bands[MEETS]))

    assert field_error(response, "to_band") == "This review already has this outcome: choose another one."


@pytest.mark.parametrize("window", ["never", "closed"])
def test_a_move_outside_the_window_is_refused(hr, pay, tenant_a, window):
    review = employees_review(pay, MEETS)
    if window == "closed":
        opened(pay)
        closed(pay)
    refusal = "Outcomes can be moved only while the calibration window of the cycle is open."

    assert refusal in page_text(hr.get(move_page(review)))
    with assert_nothing_changes():
        response = hr.post(move_page(review), move_data(review, pay.bands[EXCEEDS]), follow=True)
    assert shown_messages(response) == [refusal]
    assert 'name="reason"' not in response.content.decode()


def test_a_move_in_a_closed_cycle_is_refused(hr, pay, review):
    type(pay.cycle).objects.filter(pk=pay.cycle.pk).update(status=CycleStatus.CLOSED)

    with assert_nothing_changes():
        response = hr.post(move_page(review), move_data(review, pay.bands[EXCEEDS]), follow=True)

    assert shown_messages(response) == ["This cycle is closed: its outcomes can no longer be moved."]


def test_a_shared_review_cannot_be_moved_and_hr_reads_who_shared_it(hr, pay, tenant_a):
    opened(pay)
    review = employees_review(pay, MEETS, state=ReviewState.SHARED)

    with assert_nothing_changes():
        response = hr.post(move_page(review), move_data(review, pay.bands[EXCEEDS]), follow=True)

    [message] = shown_messages(response)
    assert message.startswith(f"This review was already shared with {tenant_a.employee.full_name}")


def test_a_review_without_an_outcome_cannot_be_moved(hr, pay, tenant_a):
    opened(pay)
    review = employees_review(pay, None)

    text = page_text(hr.get(move_page(review)))

    assert "This review has no outcome yet: its manager has not rated it, so there is nothing to move." in text


def test_a_review_whose_outcome_changed_since_the_form_was_shown_is_not_moved(hr, pay, review):
    shown = move_data(review, pay.bands[EXCEEDS])
    Review.objects.filter(pk=review.pk).update(band=pay.bands[BELOW])  # the manager saved meanwhile

    with assert_nothing_changes(OutcomeMove.objects.all()):
        response = hr.post(move_page(review), shown, follow=True)

    [message] = shown_messages(response)
    assert message.startswith("The review changed meanwhile")
    assert band_of(review) == pay.bands[BELOW].pk
    assert "Below expectations (its outcome now)" in page_text(response)


def test_moving_twice_from_the_same_form_moves_once(hr, pay, review):
    data = move_data(review, pay.bands[EXCEEDS])
    hr.post(move_page(review), data, follow=True)

    with assert_nothing_changes():
        response = hr.post(move_page(review), data, follow=True)

    assert shown_messages(response)[0].startswith("The review changed meanwhile")
    assert OutcomeMove.objects.count() == 1


# --- a fixed number of queries ---------------------------------------------------------------------------------------


def test_the_move_page_is_flat_in_the_number_of_reviews_and_moves(hr, pay, review, tenant_a):
    def build(numbers):
        for _number in numbers:
            other = review_of(pay, EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager))
            moved(pay, other)

    response = assert_flat_queries(lambda: hr.get(move_page(review)), build)
    assert 'name="reason"' in response.content.decode()


def test_the_review_page_is_flat_in_the_number_of_moves_of_the_review(manager, pay, review):
    def build(numbers):
        for number in numbers:
            OutcomeMove.objects.create(
                organization=pay.tenant.organization,
                cycle=pay.cycle,
                review=review,
                from_band=pay.bands[number % 3],
                to_band=pay.bands[(number + 1) % 3],
                reason=f"Reden {number}.",
                moved_by=pay.tenant.hr,
            )

    response = assert_flat_queries(lambda: manager.get(review_page(review)), build)
    assert "Reden 39." in page_text(response)


@pytest.mark.django_db(transaction=True)
def test_a_move_and_the_window_closing_at_once_never_leave_a_move_after_the_close(pay, review):
    from calibration import services_moves, services_window
    from calibration.models import Calibration

    require_postgresql()

    def move():
        services_moves.outcome_move(
            review=Review.objects.select_related("cycle").get(pk=review.pk),
            to_band_id=pay.bands[EXCEEDS].pk,
            reason=REASON,
            shown_band_id=review.band_id,
            actor=pay.tenant.hr,
        )

    def close():
        services_window.window_close(cycle=pay.cycle, actor=pay.tenant.hr)

    move_outcome, close_outcome = both_at_once(move, close)

    window = Calibration.objects.get(cycle=pay.cycle)
    assert close_outcome == "won" and window.window == "closed"
    if move_outcome == "won":
        assert OutcomeMove.objects.get().moved_at < window.closed_at
        assert band_of(review) == pay.bands[EXCEEDS].pk
    else:
        assert move_outcome == "Outcomes can be moved only while the calibration window of the cycle is open."
        assert not OutcomeMove.objects.exists() and band_of(review) == pay.bands[MEETS].pk
