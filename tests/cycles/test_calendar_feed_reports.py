"""A manager's calendar feed: their own conversations and their active reports' (read as ``employee_id IN (the
person UNION ALL their reports)``, cycles.selectors.feed_conversations), in active cycles only, and as many queries
for 40 reports as for 2."""

import datetime

import pytest

from cycles import selectors, services
from cycles.models import CycleStatus
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import assert_flat_queries, feed_events, feed_of

pytestmark = pytest.mark.django_db

D = datetime.date


def scheduled(moment, person, day=None):
    conversation = ConversationFactory(moment=moment, employee=person)
    services.conversation_schedule(conversation=conversation, day=day or D(2027, 3, 10), at=datetime.time(9))
    return conversation


@pytest.fixture
def moment(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    return MomentFactory(cycle=cycle, name_en="March talk", opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))


def uids(response):
    return {uid for uid in feed_events(response) if uid.startswith("conversation-")}


def test_the_feed_holds_their_own_and_their_active_reports_conversations(tenant_a, client, moment):
    own = scheduled(moment, tenant_a.manager)
    report = scheduled(moment, tenant_a.employee)
    gone = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager)
    left = scheduled(moment, gone)
    someone_elses = scheduled(moment, tenant_a.outsider)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    found = uids(client.get(feed_of(tenant_a.manager)))
    assert found == {f"conversation-{row.pk}@helder" for row in (own, report)}
    assert f"conversation-{left.pk}@helder" not in found and f"conversation-{someone_elses.pk}@helder" not in found


def test_prepared_and_closed_cycles_stay_out(tenant_a, client, moment):
    for status in (CycleStatus.DRAFT, CycleStatus.CLOSED):
        other = MomentFactory(cycle=CycleFactory(organization=tenant_a.organization, status=status))
        scheduled(other, tenant_a.manager, day=other.opens_on)
        scheduled(other, tenant_a.employee, day=other.opens_on)
    assert uids(client.get(feed_of(tenant_a.manager))) == set()


def test_the_selector_lists_the_same_rows_for_someone_without_reports(tenant_a, moment):
    mine = scheduled(moment, tenant_a.employee)
    scheduled(moment, tenant_a.manager)
    assert [row.pk for row in selectors.feed_conversations(employee=tenant_a.employee)] == [mine.pk]


def test_the_feed_query_count_does_not_grow_with_the_reports(tenant_a, client, moment):
    def add_reports(numbers):
        for _ in numbers:
            scheduled(moment, EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager))

    response = assert_flat_queries(lambda: client.get(feed_of(tenant_a.manager)), add_reports, few=2, many=40)
    assert len(uids(response)) == 40
