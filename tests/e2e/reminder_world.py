"""What the two reminder journeys share: Alfa BV with Mila managing Pieter, and an active cycle whose window opens
in a month, its default rules planned (activation plans after commit; here the rows are wanted right away)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from cycles.models import Conversation, Cycle
from cycles.planning import reminders_plan
from cycles.reminder_rules import reminder_rules_default
from organizations.models import Employee, Organization, Role
from tests.factories import ConversationFactory, CycleFactory, MomentFactory

from .conftest import alfa_organisation, person


@dataclass
class PlannedCycle:
    organization: Organization
    hr: Employee
    employee: Employee
    cycle: Cycle
    conversation: Conversation


def planned_cycle() -> PlannedCycle:
    organization, team, hr = alfa_organisation()
    manager = person(organization, "Mila", "Dekker", team=team, role=Role.MANAGER)
    employee = person(organization, "Pieter", "Bakker", team=team, manager=manager)
    today = timezone.localdate()
    cycle = CycleFactory(
        organization=organization,
        name="Jaarcyclus",
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=357),
        status="active",
        activated_at=timezone.now(),
    )
    moment = MomentFactory(
        cycle=cycle,
        name_nl="Voortgangsgesprek",
        opens_on=today + datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
    )
    conversation = ConversationFactory(moment=moment, employee=employee)
    reminder_rules_default(cycle=cycle)
    reminders_plan(cycle=cycle)
    return PlannedCycle(organization, hr, employee, cycle, conversation)
