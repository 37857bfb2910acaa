"""The calendar's conditional updates reach the audit trail: auditlog does not see an UPDATE … WHERE, so the services
(cycles.services) record them; an activation is one entry on the cycle, not one per conversation."""

import pytest
from django.contrib.contenttypes.models import ContentType

from cycles import services
from cycles.models import Conversation, ConversationState, CycleStatus
from organizations.audit_models import AuditEntry
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory

pytestmark = pytest.mark.django_db


def entries_of(instance):
    content_type = ContentType.objects.get_for_model(instance)
    return list(AuditEntry.objects.filter(content_type=content_type, object_id=instance.pk).order_by("pk"))


@pytest.mark.parametrize(
    ("service", "state"),
    [(services.conversation_hold, ConversationState.HELD), (services.conversation_cancel, ConversationState.CANCELLED)],
)
def test_holding_or_cancelling_a_conversation_leaves_an_entry_with_the_new_state(tenant_a, service, state):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    conversation = ConversationFactory(moment=MomentFactory(cycle=cycle), employee=tenant_a.employee)
    before = len(entries_of(conversation))

    service(conversation=conversation, actor=tenant_a.manager)

    entries = entries_of(conversation)
    assert len(entries) == before + 1
    assert entries[-1].changes["state"] == [ConversationState.TO_SCHEDULE, state]


def test_an_activation_and_its_newcomers_are_one_entry_each_on_the_cycle(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization)
    MomentFactory(cycle=cycle)
    services.cycle_activate(cycle=cycle)
    EmployeeFactory(organization=tenant_a.organization)
    services.cycle_activate(cycle=cycle)

    counts = [entry.additional_data.get("count") for entry in entries_of(cycle) if entry.additional_data]
    people = tenant_a.organization.employees.filter(is_active=True).count()
    assert counts == [people - 1, 1]
    assert Conversation.objects.filter(moment__cycle=cycle).count() == people
