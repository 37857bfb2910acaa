"""core.states.move_state: a state moves only from the states it may leave, and of two moves at once one wins."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from core.states import move_state
from cycles.models import Conversation, ConversationState
from expectations.models import Expectation, Status
from tests.conftest import need
from tests.factories import ConversationFactory, CycleFactory, ExpectationFactory, MomentFactory

pytestmark = pytest.mark.django_db

UNPUBLISHED = {Status.DRAFT, Status.SHARPENING}


def draft(tenant):
    return ExpectationFactory(organization=tenant.organization, status=Status.DRAFT, published_at=None)


def stored(expectation):
    return Expectation.objects.values_list("status", "published_at").get(pk=expectation.pk)


def test_a_row_in_an_allowed_state_moves_with_its_fields(tenant_a):
    expectation = draft(tenant_a)
    now = timezone.now()
    assert move_state(Expectation, expectation.pk, UNPUBLISHED, Status.PUBLISHED, published_at=now) is True
    assert stored(expectation) == (Status.PUBLISHED, now)


def test_of_two_moves_one_after_the_other_only_the_first_wins_and_the_second_writes_nothing(tenant_a):
    expectation = draft(tenant_a)
    first, second = timezone.now(), timezone.now() + timezone.timedelta(hours=1)
    assert move_state(Expectation, expectation.pk, UNPUBLISHED, Status.PUBLISHED, published_at=first)
    assert not move_state(Expectation, expectation.pk, UNPUBLISHED, Status.PUBLISHED, published_at=second)
    assert stored(expectation) == (Status.PUBLISHED, first)


def test_a_row_in_another_state_does_not_move(tenant_a):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=Status.RETIRED)
    assert not move_state(Expectation, expectation.pk, Status.PUBLISHED, Status.DRAFT)
    assert stored(expectation)[0] == Status.RETIRED


def test_a_row_outside_the_queryset_or_gone_does_not_move(tenant_a, tenant_b):
    expectation = draft(tenant_a)
    theirs = Expectation.objects.filter(organization=tenant_b.organization)
    assert not move_state(theirs, expectation.pk, UNPUBLISHED, Status.PUBLISHED)
    assert not move_state(Expectation, expectation.pk + 1000, UNPUBLISHED, Status.PUBLISHED)
    assert stored(expectation)[0] == Status.DRAFT


def test_the_state_field_can_have_another_name(tenant_a):
    moment = MomentFactory(cycle=CycleFactory(organization=tenant_a.organization))
    conversation = ConversationFactory(moment=moment, employee=tenant_a.employee)
    assert move_state(
        Conversation, conversation.pk, ConversationState.TO_SCHEDULE, ConversationState.CANCELLED, field="state"
    )
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.CANCELLED


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_of_two_moves_at_the_same_moment_on_postgresql_exactly_one_wins(tenant_a):
    if connection.vendor != "postgresql":
        need("the concurrent move needs PostgreSQL (set DATABASE_URL)")
    expectation = draft(tenant_a)
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def publish(at):
        try:
            with scopes_disabled(), transaction.atomic():
                start.wait(timeout=10)
                moved = move_state(Expectation, expectation.pk, UNPUBLISHED, Status.PUBLISHED, published_at=at)
                # The winner keeps its row lock a moment, so the other UPDATE surely waits on it and then
                # re-reads the row: no longer a draft, so it changes nothing.
                time.sleep(0.3)
            outcomes.append((moved, at))
        except Exception as error:  # a thread's failure must fail the test, not vanish
            errors.append(error)
        finally:
            connection.close()

    moments = [timezone.now(), timezone.now() + timezone.timedelta(hours=1)]
    threads = [threading.Thread(target=publish, args=(at,)) for at in moments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(moved for moved, _at in outcomes) == [False, True]
    winner = next(at for moved, at in outcomes if moved)
    assert stored(expectation) == (Status.PUBLISHED, winner)
