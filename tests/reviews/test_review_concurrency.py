"""Two people acting on one review at the same moment, on PostgreSQL: the conditional updates let exactly one win.

SQLite runs one writer at a time, so the race is only real on PostgreSQL (set DATABASE_URL); without it these
tests skip on a newcomer's machine and fail under CI=true (tests/conftest.py need()).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation
from django_scopes import scopes_disabled

from organizations.models import Employee, Role
from reviews import services_reviews as services
from reviews.models import Review, ReviewState
from tests.conftest import need
from tests.factories import EmployeeFactory
from tests.reviews.review_steps import held, shared, signed

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def require_postgresql():
    if connection.vendor != "postgresql":
        need("two people acting at once need PostgreSQL (set DATABASE_URL); SQLite runs one writer at a time")


def at_once(step, review_id, actor_ids):
    """Run ``step(review, actor)`` for each actor in its own thread and connection, released together."""
    barrier = threading.Barrier(len(actor_ids))
    outcomes, errors = [], []

    def run(actor_id):
        try:
            # Each thread has its own active language: English, as the messages are read below.
            with scopes_disabled(), translation.override("en"):
                review = Review.objects.select_related("employee", "manager").get(pk=review_id)
                actor = Employee.objects.get(pk=actor_id)
                barrier.wait()
                try:
                    step(review=review, actor=actor)
                    outcomes.append("won")
                except ValidationError as error:
                    outcomes.append(error.messages[0])
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pk,)) for pk in actor_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return outcomes


def test_two_sign_attempts_by_the_employee_at_once_sign_once(assessment):
    require_postgresql()
    review = shared(assessment)
    held(assessment)
    employee = assessment.tenant.employee.pk

    outcomes = at_once(services.review_sign, review.pk, [employee, employee])

    assert sorted(outcomes)[-1] == "won" and outcomes.count("won") == 1
    loser = next(outcome for outcome in outcomes if outcome != "won")
    assert loser.startswith(f"This review was already signed by {assessment.tenant.employee.full_name} on ")
    assert Review.objects.get().state == ReviewState.EMPLOYEE_SIGNED


def test_the_employee_and_the_manager_signing_at_once_both_sign(assessment):
    require_postgresql()
    review = shared(assessment)
    held(assessment)

    outcomes = at_once(services.review_sign, review.pk, [assessment.tenant.employee.pk, assessment.tenant.manager.pk])

    assert outcomes == ["won", "won"]
    review.refresh_from_db()
    assert review.state == ReviewState.SIGNED and review.employee_signed_at and review.manager_signed_at


def test_two_hr_admins_finalising_at_once_finalise_once(assessment):
    require_postgresql()
    review = signed(assessment)
    second = EmployeeFactory(organization=assessment.tenant.organization, role=Role.HR_ADMIN)

    outcomes = at_once(services.review_finalise, review.pk, [assessment.tenant.hr.pk, second.pk])

    assert outcomes.count("won") == 1
    loser = next(outcome for outcome in outcomes if outcome != "won")
    assert loser.startswith("This review was already finalised by ")
    review.refresh_from_db()
    assert review.state == ReviewState.FINALISED and review.finalised_by_id in (assessment.tenant.hr.pk, second.pk)
