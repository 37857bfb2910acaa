"""Demo cycle for Voorbeeld BV: this year's cycle from the template, active, with a realistic mix of states.

Conversations take place on working days between 08:30 and 16:00 on the quarter hour, in the organisation's
time zone; one that is held took place before today. Each held conversation has its own agreements, written
about its person and their manager (``agreements``, also used by reviews.demo and the large demo).
"""

import re
from datetime import date, time, timedelta

from django.utils import timezone

from organizations.demo_time import (
    at,
    day_month_nl,
    start_time,
    workday_between,
    workday_on_or_after,
    workday_on_or_before,
)

from . import services
from .models import Conversation, ConversationState, Cycle, MomentKind

# Per kind of moment: agreements as a manager writes them down, about {name} (the person) and {manager} (their
# manager), with a follow-up {date}. Only these two people are named, so nobody reads notes about someone else.
AGREEMENTS = {
    MomentKind.PLANNING: (
        "{name} kiest twee van de verwachtingen om het eerste kwartaal extra op te letten. {manager} en {name} "
        "kijken er op {date} kort samen naar.",
        "{name} wil dit jaar beter leren plannen; {manager} zoekt vóór {date} een passende training uit. De "
        "verwachtingen zijn duidelijk, {name} heeft er geen vragen meer over.",
        "{name} vraagt voortaan na elke oplevering om feedback en noteert wat ermee gebeurt. {manager} vraagt er "
        "op {date} naar in het werkoverleg.",
        "{name} deelt eens per maand iets in het teamoverleg; de eerste keer is op {date}. {manager} zet het op "
        "de agenda.",
        "Voor {name} is werk laten controleren het lastigst. {manager} regelt vóór {date} een collega die de "
        "eerste weken meeleest.",
        "{name} zet de eigen leerdoelen vóór {date} in het dossier; {manager} leest ze en reageert binnen een week.",
    ),
    MomentKind.PROGRESS: (
        "Feedback vragen gaat goed: {name} gaf drie voorbeelden. Afspraken vastleggen nog niet; vanaf nu zet "
        "{name} ze binnen een werkdag in het dossier. {manager} kijkt op {date} mee.",
        "{name} meldt risico's nu eerder, met een voorstel erbij. Aandachtspunt: ook melden als het om een dag "
        "gaat. {manager} en {name} bespreken het opnieuw op {date}.",
        "{name} heeft nog geen kennis gedeeld in het teamoverleg; {manager} maakt op {date} tien minuten ruimte "
        "voor een eerste keer.",
        "Werk laten controleren lukt {name} bij grote opdrachten, bij kleine nog niet. {name} probeert het tot "
        "{date} bij alles en vertelt dan aan {manager} wat het opleverde.",
        "{name} vraagt om minder losse verzoeken tussendoor. {manager} bespreekt dat in het MT en laat vóór "
        "{date} weten wat eruit kwam.",
        "{name} heeft de training afgerond en past het geleerde toe. {name} en {manager} spreken op {date} af "
        "welke verwachting nu de aandacht krijgt.",
    ),
    MomentKind.ASSESSMENT: (
        "{manager} lichtte elke beoordeling toe met de observaties van dit jaar; {name} herkent het beeld en "
        "tekent de beoordeling vóór {date}.",
        "{name} is het niet eens met de beoordeling van risico's op tijd melden en schrijft dat vóór {date} bij de "
        "beoordeling. {manager} legt het voor aan HR.",
        "Uitkomst besproken, ook wat die betekent voor het salaris van {name}. {name} wil volgend jaar meer kennis "
        "delen; {manager} zet dat vóór {date} in het ontwikkelplan.",
        "{name} en {manager} kijken terug op een goed jaar. Voor volgend jaar: eerder om feedback vragen. {name} "
        "stuurt vóór {date} twee leerdoelen.",
        "{name} had meer observaties verwacht bij werk laten controleren. {manager} vraagt vóór {date} een collega "
        "om een observatie en past zo nodig de beoordeling aan.",
        "Beoordeling besproken; {name} heeft nog een vraag over de periodiek. {manager} zoekt het uit met HR en "
        "laat het {name} vóór {date} weten.",
    ),
}
NO_MANAGER = "de RvC"  # the director's conversations: nobody in the organisation is her manager
NAMESAKE = "de leidinggevende"  # a manager with the person's own first name (the large demo has few names)
LOCATION = "Vergaderruimte De Vecht"
ONLINE = "Teams-link in de agenda-uitnodiging"


def agreements(*, name: str, manager: str | None, kind: str, number: int, day: date) -> str:
    """The agreements of person ``number``'s conversation of ``kind`` held on ``day``: about them and their manager.

    ``number`` (the person's id, or their place in the large demo) plus the year picks the text, so one person's
    conversations differ from each other and from last year's, and people in one team read different notes.
    """
    texts = AGREEMENTS.get(kind, AGREEMENTS[MomentKind.PROGRESS])
    follow_up = workday_on_or_after(day + timedelta(days=7 + number % 10))
    manager = NAMESAKE if manager == name else manager or NO_MANAGER
    text = texts[(number + day.year) % len(texts)].format(name=name, manager=manager, date=day_month_nl(follow_up))
    return re.sub(r"(^|\. )(\w)", lambda match: match.group(1) + match.group(2).upper(), text)


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
    zone = organization.zone
    # HR activated it before the first window opened, not on the day the demo was seeded.
    first_opens = min(cycle.moments.values_list("opens_on", flat=True))
    activated = at(workday_on_or_before(first_opens - timedelta(days=1)), time(9, 0), zone)
    Cycle.objects.filter(pk=cycle.pk).update(activated_at=min(activated, timezone.now()))
    cycle.refresh_from_db()
    conversations = list(
        Conversation.objects.filter(organization=organization, moment__cycle=cycle)
        .select_related("moment", "employee__manager", "employee__user")
        .order_by("moment__opens_on", "employee__sort_name", "employee__pk")
    )
    for index, conversation in enumerate(conversations):
        fields = _fields(conversation, index, today, zone)
        if fields:
            Conversation.objects.filter(pk=conversation.pk).update(**fields)
    return created


def _fields(conversation, index: int, today: date, zone) -> dict:
    """What the ``index``-th conversation looks like on ``today``: held, scheduled, overdue or still to schedule."""
    moment, person = conversation.moment, conversation.employee
    demo_employee = person.user.email == "employee@example.com"
    window_days = (moment.closes_on - moment.opens_on).days or 1
    day = workday_between(
        moment.opens_on + timedelta(days=(index * 3) % window_days), moment.opens_on, moment.closes_on
    )
    if day is None:
        return {}
    when = at(day, start_time(index), zone)

    def held(on):
        start = at(on, start_time(index), zone)
        return {
            "state": ConversationState.HELD,
            "scheduled_at": start,
            "held_at": start + timedelta(hours=1),
            "location": LOCATION,
            "agreements": agreements(
                name=person.first_name,
                manager=person.manager.first_name if person.manager else None,
                kind=moment.kind,
                number=person.pk,
                day=on,
            ),
        }

    if moment.closes_on < today:
        # A past window: most were held, a few are overdue (one scheduled, then never held).
        if index % 11 == 0 and not demo_employee:
            return {}
        if index % 13 == 0 and not demo_employee:
            return {"state": ConversationState.SCHEDULED, "scheduled_at": when, "location": LOCATION}
        return held(day)
    if moment.opens_on <= today:
        # The open window: some held already, some scheduled in the coming weeks, some still to schedule.
        # Held means it took place: on a working day of the window gone by (none when the window opened today).
        if index % 4 == 0 and moment.opens_on < today:
            held_day = workday_between(min(day, today - timedelta(days=1)), moment.opens_on, today - timedelta(days=1))
            if held_day is not None:
                return held(held_day)
        if index % 4 in (1, 2) or demo_employee:
            upcoming = workday_on_or_after(max(today + timedelta(days=1 + index % 14), moment.opens_on))
            if upcoming <= moment.closes_on:
                return {
                    "state": ConversationState.SCHEDULED,
                    "scheduled_at": at(upcoming, start_time(index + 3), zone),
                    "location": ONLINE,
                }
    return {}
