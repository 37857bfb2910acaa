"""What the overdue list's tests share (tests/cycles/test_overdue_*.py): a July in which June's window has closed.

The clock stands at 15 July 2027, 14:00 in Amsterdam: June's window closed on 30 June, 15 days ago; September's
has not opened. In tenant_a's active cycle Eva (reporting to Mark) and Olaf (no manager) have an overdue June
conversation; Eva's September one is to be scheduled and is not overdue.
"""

import datetime
from dataclasses import dataclass

from cycles.models import Conversation, ConversationState, Cycle, CycleStatus, Moment
from cycles.reminder_rules import reminder_rules_default
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import url

JULY = datetime.datetime(2027, 7, 15, 12, tzinfo=datetime.UTC)


@dataclass
class Year:
    cycle: Cycle
    june: Moment
    september: Moment
    eva: Conversation  # overdue, Mark's report
    olaf: Conversation  # overdue, no manager


def overdue_year(tenant) -> Year:
    cycle = CycleFactory(organization=tenant.organization, status=CycleStatus.ACTIVE, name="Jaar 2027")
    reminder_rules_default(cycle=cycle)
    june = MomentFactory(cycle=cycle, name_en="June talk", name_nl="Junigesprek")
    september = MomentFactory(
        cycle=cycle,
        name_en="September talk",
        name_nl="Septembergesprek",
        opens_on=datetime.date(2027, 9, 1),
        closes_on=datetime.date(2027, 9, 30),
    )
    eva = ConversationFactory(moment=june, employee=tenant.employee)
    olaf = ConversationFactory(moment=june, employee=tenant.outsider)
    ConversationFactory(moment=september, employee=tenant.employee)
    return Year(cycle=cycle, june=june, september=september, eva=eva, olaf=olaf)


def add_overdue(tenant, moment, numbers, *, manager=None, state=ConversationState.TO_SCHEDULE, **fields):
    """One person per number (reporting to ``manager``, by default tenant's Mark) with a conversation for ``moment``."""
    people = [
        EmployeeFactory(
            organization=tenant.organization,
            manager=tenant.manager if manager is None else manager,
            last_name=f"P{number:03}",
            **fields,
        )
        for number in numbers
    ]
    return Conversation.objects.bulk_create(
        Conversation(organization=tenant.organization, moment=moment, employee=person, state=state) for person in people
    )


def list_url(tenant, cycle, **query):
    address = url("cycles:overdue_list", tenant.organization, cycle_id=cycle.pk)
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def remind_url(tenant, conversation):
    return url("cycles:overdue_remind", tenant.organization, conversation_id=conversation.pk)


def remind_all_url(tenant, cycle, **query):
    address = url("cycles:overdue_remind_all", tenant.organization, cycle_id=cycle.pk)
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")
