"""What the tests of the calibration window, the moves, the manager's page and the share guard share.

Built on tests/pay/conftest.py's ``make_pay`` (Alfa's active cycle around today, its three bands below / meets /
exceeds, Schaal 8 and a published pay table) and tests/pay/budget_kit.py's ``review_of``.

Until calibration/hooks.py registers calibration's guard, note and link with reviews.guards, :func:`hooks_for_the_test`
registers them for one test (on copies of the registries, so nothing stays behind for other tests). Two people acting
at once (:func:`both_at_once`) need PostgreSQL, as in tests/reviews/test_review_concurrency.py.
"""

import threading

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from calibration import guards as calibration_guards
from calibration import services_moves, services_window
from calibration.models import OutcomeMove
from reviews import guards as review_guards
from tests.conftest import need
from tests.factories import EmployeeFactory
from tests.kit import url
from tests.pay.budget_kit import EXCEEDS, MEETS, review_of

REASON = "In de kalibratie vergeleken met vergelijkbare rollen: het gedrag is breder zichtbaar dan beschreven."


def hooks_for_the_test(monkeypatch) -> None:
    """Register calibration's share guard, review note and review link for this test only."""
    for name in ("_share_guards", "_review_notes", "_review_links"):
        monkeypatch.setattr(review_guards, name, list(getattr(review_guards, name)))
    review_guards.register_share_guard(calibration_guards.window_open)
    review_guards.register_review_note(calibration_guards.moved_outcome_notes)
    review_guards.register_review_link(calibration_guards.move_link)


def window_page(cycle):
    return url("calibration:window", cycle.organization, cycle_id=cycle.pk)


def open_page(cycle):
    return url("calibration:window_open", cycle.organization, cycle_id=cycle.pk)


def close_page(cycle):
    return url("calibration:window_close", cycle.organization, cycle_id=cycle.pk)


def move_page(review, cycle=None):
    """The move page of ``review`` under its own cycle, or under ``cycle`` (another one: a 404)."""
    cycle_id = cycle.pk if cycle is not None else review.cycle_id
    return url("calibration:move", review.organization, cycle_id=cycle_id, review_id=review.pk)


def review_page(review):
    return url("reviews:review", review.organization, review_id=review.pk)


def opened(pay):
    """The pay cycle's calibration window, opened by HR through the service."""
    return services_window.window_open(cycle=pay.cycle, actor=pay.tenant.hr)


def closed(pay):
    return services_window.window_close(cycle=pay.cycle, actor=pay.tenant.hr)


def moved(pay, review, to=EXCEEDS, reason=REASON):
    """``review``'s outcome moved by HR to band ``to`` (a position) through the service; the window must be open."""
    return services_moves.outcome_move(
        review=review, to_band_id=pay.bands[to].pk, reason=reason, shown_band_id=review.band_id, actor=pay.tenant.hr
    )


def employees_review(pay, band=MEETS, **kwargs):
    """The review of Alfa's employee (Eva, reporting to Mark) at her assessment conversation, with band ``band``."""
    return review_of(pay, pay.tenant.employee, band, conversation=pay.assessment.conversation, **kwargs)


def report_of(manager, **kwargs):
    """A new person reporting to ``manager``."""
    return EmployeeFactory(organization=manager.organization, manager=manager, **kwargs)


def moves_of(pay, count, *, manager=None, band=MEETS, reason=REASON):
    """``count`` moves by HR, each of a draft review (band position ``band``) of a new report of ``manager`` (by
    default Alfa's manager), written as rows."""
    manager = manager or pay.tenant.manager
    rows = []
    for number in range(count):
        review = review_of(pay, report_of(manager), band)
        rows.append(
            OutcomeMove(
                organization=pay.tenant.organization,
                cycle=pay.cycle,
                review=review,
                from_band=pay.bands[band],
                to_band=pay.bands[(band + 1) % 3],
                reason=f"{reason} ({number})",
                moved_by=pay.tenant.hr,
                moved_at=timezone.now(),
            )
        )
    return OutcomeMove.objects.bulk_create(rows)


def move_data(review, to_band, reason=REASON, **changes):
    """What HR posts on the move page: the band to move to, the reason, the outcome the form showed."""
    data = {
        "to_band": to_band.pk if hasattr(to_band, "pk") else to_band,
        "reason": reason,
        "shown_band": review.band_id,
    }
    data.update(changes)
    return data


# --- two people at once (PostgreSQL) ----------------------------------------------------------------------------------


def require_postgresql():
    if connection.vendor != "postgresql":
        need("two people acting at once need PostgreSQL (set DATABASE_URL); SQLite runs one writer at a time")


def both_at_once(*steps):
    """Run each step (a function of nothing) in its own thread and connection, released together; their outcomes."""
    barrier = threading.Barrier(len(steps))
    outcomes, errors = {}, []

    def run(number, step):
        try:
            with scopes_disabled(), translation.override("en"):
                barrier.wait()
                try:
                    step()
                    outcomes[number] = "won"
                except ValidationError as error:
                    outcomes[number] = error.messages[0]
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number, step)) for number, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return [outcomes[number] for number in range(len(steps))]
