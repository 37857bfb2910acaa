"""Demo cycle for Voorbeeld BV: this year's cycle from the template, active, with a realistic mix of states."""

from datetime import date, time, timedelta

from django.utils import timezone

from organizations.models import Employee

from . import services
from .models import Conversation, ConversationState, Cycle

AGREEMENTS = [
    "We houden de vijf verwachtingen aan. Daan oefent met het terugbellen van lastige klanten; Mila luistert "
    "in maart een gesprek mee.",
    "Feedback vragen gaat goed (drie voorbeelden). Afspraken vastleggen nog niet: vanaf nu binnen een dag in "
    "het dossier.",
    "Geen bijzonderheden; volgende keer twee voorbeelden per verwachting meenemen.",
]


def seed(organization) -> int:
    """Create and activate this year's cycle with conversations in every state (the caller disables scopes)."""
    today = timezone.localdate()
    year = today.year
    if Cycle.objects.filter(organization=organization, name=str(year)).exists():
        return 0
    cycle = services.cycle_create(
        organization=organization, name=str(year), starts_on=date(year, 1, 1), ends_on=date(year, 12, 31)
    )
    created = 1 + cycle.moments.count()
    created += services.cycle_activate(cycle=cycle)
    cycle.refresh_from_db()
    zone = organization.zone
    conversations = list(
        Conversation.objects.filter(organization=organization, moment__cycle=cycle)
        .select_related("moment", "employee")
        .order_by("moment__opens_on", "employee__last_name", "employee__pk")
    )
    demo_employee = Employee.objects.filter(organization=organization, user__email="employee@example.com").first()
    for index, conversation in enumerate(conversations):
        moment = conversation.moment
        window_days = (moment.closes_on - moment.opens_on).days or 1
        day = moment.opens_on + timedelta(days=(index * 3) % window_days)
        at = time(9 + index % 7, 0 if index % 2 else 30)
        when = services.local_datetime(day=day, at=at, zone=zone)
        if moment.closes_on < today:
            # A past window: most were held, a few are overdue (one scheduled, then never held).
            if index % 11 == 0 and conversation.employee != demo_employee:
                continue
            if index % 13 == 0 and conversation.employee != demo_employee:
                Conversation.objects.filter(pk=conversation.pk).update(
                    state=ConversationState.SCHEDULED, scheduled_at=when
                )
                continue
            Conversation.objects.filter(pk=conversation.pk).update(
                state=ConversationState.HELD,
                scheduled_at=when,
                held_at=when + timedelta(hours=1),
                location="Vergaderruimte De Vecht",
                agreements=AGREEMENTS[index % len(AGREEMENTS)],
            )
        elif moment.opens_on <= today:
            # The open window: some held already, some scheduled in the coming weeks, some still to schedule.
            # Held means it took place: on a day of the window gone by (none when the window opened today).
            held_day = min(day, today - timedelta(days=1))
            if index % 4 == 0 and held_day >= moment.opens_on:
                held = services.local_datetime(day=held_day, at=at, zone=zone)
                Conversation.objects.filter(pk=conversation.pk).update(
                    state=ConversationState.HELD,
                    scheduled_at=held,
                    held_at=held + timedelta(hours=1),
                    agreements=AGREEMENTS[2],
                )
            elif index % 4 in (1, 2) or conversation.employee == demo_employee:
                upcoming = max(today + timedelta(days=1 + index % 14), moment.opens_on)
                if upcoming <= moment.closes_on:
                    Conversation.objects.filter(pk=conversation.pk).update(
                        state=ConversationState.SCHEDULED,
                        scheduled_at=services.local_datetime(day=upcoming, at=time(10, 0), zone=zone),
                        location="Teams-link in de agenda-uitnodiging",
                    )
    return created
