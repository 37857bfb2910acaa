"""Demo observations and reviews for Voorbeeld BV (seed_demo; the caller disables scopes).

This year (the active cycle cycles.demo made): observations of the Klantenservice
team by their manager Mila, one held for Daan's next conversation, one showing
room to grow, two answered by colleagues on request, a self-observation, an open
request waiting for Daan, and submitted self-reflections. Last year: a closed
cycle whose assessments are written, with reviews in every state (most finalised,
Daan's among them, so he can read its history).

Rows are written directly, in states the services would have produced, so the
demo stays fast; running it twice creates nothing new.
"""

from datetime import date, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from cycles import services as cycle_services
from cycles.demo import LOCATION, agreements
from cycles.models import Conversation, ConversationState, Cycle, CycleStatus, MomentKind
from expectations import selectors as expectation_selectors
from organizations import audit
from organizations.audit_models import AuditEntry
from organizations.demo_time import (
    MONTHS_NL,
    at,
    start_time,
    workday_between,
    workday_on_or_after,
    workday_on_or_before,
    working_before,
)
from organizations.models import Employee

from . import outcome, scales
from .models import (
    Observation,
    ObservationRequest,
    Rating,
    Review,
    ReviewState,
    SelfReflection,
    Shows,
    Source,
)

# (situation, behaviour, effect), Dutch: the demo organisation works in Dutch.
SEEN = [
    (
        "Klant Hoekstra belde voor de derde keer over dezelfde factuur.",
        "Je vatte zijn vraag samen, beloofde hem vrijdag terug te bellen en deed dat om 10 uur.",
        "De klant bedankte ons in de enquête en de vraag was in één keer opgelost.",
    ),
    (
        "Het teamoverleg van dinsdag over de nieuwe belscripts.",
        "Je vroeg een collega om feedback op jouw gespreksopening en schreef de twee tips op.",
        "Die collega deelde daarna zelf een voorbeeld; twee anderen namen de opening over.",
    ),
    (
        "Oplevering van het klantdossier voor de kwartaalcontrole.",
        "Je vulde de afspraken met de klant dezelfde dag in het dossier in, met datum en naam.",
        "De controle vond alles terug zonder navragen.",
    ),
    (
        "Een klacht over een late levering, vlak voor het weekend.",
        "Je zette de klacht door naar Logistiek zonder te noteren wat je de klant had beloofd.",
        "De klant werd maandag door twee collega's gebeld met verschillende antwoorden.",
    ),
]
ROOM = 3  # the index in SEEN that shows room to grow
# Per text of SEEN, the demo expectations (expectations.demo, by Dutch title) it is an example of, best first.
FITS = [
    ("Afspraken vastleggen", "Risico's op tijd melden"),
    ("Feedback vragen", "Kennis delen"),
    ("Afspraken vastleggen", "Werk laten controleren"),
    ("Afspraken vastleggen", "Risico's op tijd melden"),
]


def fitting(expectations, seen: int, fallback: int):
    """Of ``expectations``, the one SEEN[seen] is an example of (FITS), else the one at ``fallback`` (round)."""
    titles = {e.current_version.title_nl: e for e in expectations if e.current_version_id}
    for title in FITS[seen]:
        if title in titles:
            return titles[title]
    return expectations[fallback % len(expectations)] if expectations else None


# Per person (in turn): the levels of their expectations, so that last year's outcomes differ.
LAST_YEAR_LEVELS = [[3, 3, 2, 4, 3], [4, 4, 3, 4, 3], [2, 2, 3, 2, 3], [3, 4, 3, 3, 3]]
# The review states of last year's assessments, in the order of the team's members (the rest are finalised).
STATES = [
    ReviewState.FINALISED,  # Daan (the demo employee): finalised, with a history
    ReviewState.DRAFT,
    ReviewState.SHARED,
    ReviewState.EMPLOYEE_SIGNED,
    ReviewState.MANAGER_SIGNED,
    ReviewState.SIGNED,
]


def seed(organization) -> int:
    """Create the demo observations, requests, self-reflections and last year's reviews; returns the count."""
    if Observation.objects.filter(organization=organization).exists():
        return 0
    scales.organization_levels(organization_id=organization.pk)
    manager = Employee.objects.filter(organization=organization, user__email="manager@example.com").first()
    if manager is None:
        return 0
    team = list(Employee.objects.filter(organization=organization, manager=manager).order_by("pk"))
    daan = next((person for person in team if person.user.email == "employee@example.com"), team[0])
    team.remove(daan)
    team.insert(0, daan)
    created = _this_year(organization, manager, team)
    created += _last_year(organization, manager, team)
    return created


def _this_year(organization, manager, team) -> int:
    today = timezone.localdate()
    zone = organization.zone
    now = working_before(timezone.now(), zone)  # "now" as the demo's people work: a working quarter hour
    cycle = Cycle.objects.filter(organization=organization, status=CycleStatus.ACTIVE).order_by("-starts_on").first()
    if cycle is None:
        return 0
    last_month = MONTHS_NL[(today.replace(day=1) - timedelta(days=1)).month - 1]
    scales.cycle_levels(cycle=cycle)
    scales.cycle_bands(cycle=cycle)
    created = 0
    start = max(cycle.starts_on, today - timedelta(days=200))
    for number, person in enumerate(team):
        expectations = list(expectation_selectors.applicable_expectations(employee=person))
        for index, (situation, behaviour, effect) in enumerate(SEEN[: 2 + number % 3]):
            Observation.objects.create(
                organization=organization,
                employee=person,
                author=manager,
                source=Source.MANAGER,
                expectation=fitting(expectations, index, number + index),
                observed_on=workday_on_or_before(min(today, start + timedelta(days=20 + 37 * index + number))),
                situation=situation,
                behaviour=behaviour,
                effect=effect,
                shows=Shows.ROOM if index == ROOM else Shows.SHOWN,
            )
            created += 1
    daan, colleague, other = team[0], team[1], team[2]
    expectations = list(expectation_selectors.applicable_expectations(employee=daan))
    if not expectations:
        return created
    # One held until Daan's next conversation: he sees it once that conversation is held.
    upcoming = (
        Conversation.objects.filter(organization=organization, employee=daan, state__in=("to_schedule", "scheduled"))
        .order_by("moment__opens_on")
        .first()
    )
    Observation.objects.create(
        organization=organization,
        employee=daan,
        author=manager,
        source=Source.MANAGER,
        expectation=expectations[-1],
        observed_on=workday_on_or_before(today - timedelta(days=3)),
        situation=f"Het overleg met Financiën over de creditnota's van {last_month}.",
        behaviour="Je liet Bram zijn voorstel afmaken en vroeg daarna wat hij van jou nodig had.",
        effect="Bram stuurde dezelfde middag de lijst; de creditnota's gingen een dag eerder de deur uit.",
        held_for=upcoming,
    )
    # Two answered requests: colleagues' observations of Daan, and one of Sanne by Daan.
    for author, about, expectation, text in (
        (colleague, daan, fitting(expectations, 1, 0), SEEN[1]),
        (other, daan, fitting(expectations, 0, 1), SEEN[0]),
    ):
        request = ObservationRequest.objects.create(
            organization=organization,
            cycle=cycle,
            employee=about,
            colleague=author,
            asked_by=manager,
            expectation=expectation,
            expectation_version=expectation.current_version,
            message="Wil je één situatie beschrijven die je dit kwartaal zag?",
            due_on=workday_on_or_before(today - timedelta(days=10)),
            state=ObservationRequest.State.ANSWERED,
            created_at=working_before(now - timedelta(days=24, hours=3), zone),
            closed_at=working_before(now - timedelta(days=12, hours=1), zone),
        )
        Observation.objects.create(
            organization=organization,
            employee=about,
            author=author,
            source=Source.COLLEAGUE,
            expectation=expectation,
            observed_on=workday_on_or_before(today - timedelta(days=14)),
            situation=text[0],
            behaviour=text[1],
            effect=text[2],
            request=request,
        )
        created += 2
    # Waiting for Daan: Mila asks him about Sanne.
    sanne_expectations = list(expectation_selectors.applicable_expectations(employee=colleague))
    if sanne_expectations:
        ObservationRequest.objects.create(
            organization=organization,
            cycle=cycle,
            employee=colleague,
            colleague=daan,
            asked_by=manager,
            expectation=sanne_expectations[0],
            expectation_version=sanne_expectations[0].current_version,
            message=f"Jullie werkten samen aan de wachtrij van {last_month}; wat zag je {colleague.first_name} doen?",
            due_on=workday_between(today + timedelta(days=7), today, cycle.ends_on) or cycle.ends_on,
            created_at=working_before(now - timedelta(days=2), zone),
        )
        created += 1
    Observation.objects.create(
        organization=organization,
        employee=daan,
        author=daan,
        source=Source.SELF,
        expectation=expectations[0],
        observed_on=workday_on_or_before(today - timedelta(days=5)),
        situation="Een klant met een klacht over de app.",
        behaviour="Ik vroeg na afloop of mijn uitleg duidelijk was en paste mijn e-mail daarop aan.",
        effect="De klant schreef terug dat het nu werkte.",
    )
    created += 2
    # Self-reflections for the assessment conversations of this year, where the moment asks for one.
    for number, person in enumerate(team[:3]):
        conversation = (
            Conversation.objects.filter(organization=organization, employee=person, moment__cycle=cycle)
            .filter(moment__kind=MomentKind.ASSESSMENT, moment__asks_reflection=True)
            .select_related("moment")
            .first()
        )
        if conversation is None:
            continue
        questions = [line for line in conversation.moment.reflection_questions_nl.splitlines() if line.strip()]
        SelfReflection.objects.create(
            organization=organization,
            conversation=conversation,
            employee=person,
            answers=[
                {
                    "question": question,
                    "answer": "Het terugbellen op vrijdag gaat nu elke week goed; de "
                    "dossiers vul ik nog niet altijd dezelfde dag in.",
                }
                for question in questions
            ],
            submitted_at=working_before(now - timedelta(days=2, hours=number), zone),
        )
        created += 1
    return created


def _last_year(organization, manager, team) -> int:
    """Last year's cycle, closed, all conversations held, the assessments written: reviews in every state."""
    year = timezone.localdate().year - 1
    if Cycle.objects.filter(organization=organization, name=str(year)).exists():
        return 0
    cycle = cycle_services.cycle_create(
        organization=organization, name=str(year), starts_on=date(year, 1, 1), ends_on=date(year, 12, 31)
    )
    zone = organization.zone
    now = working_before(timezone.now(), zone)
    moments = list(cycle.moments.all())
    people = list(Employee.objects.filter(organization=organization, is_active=True).select_related("manager"))
    Conversation.objects.bulk_create(
        _held_last_year(organization, moment, person) for moment in moments for person in people
    )
    Cycle.objects.filter(pk=cycle.pk).update(
        status=CycleStatus.CLOSED, activated_at=at(workday_on_or_after(date(year, 1, 2)), time(9, 0), zone)
    )
    levels = scales.cycle_levels(cycle=cycle)
    bands = scales.cycle_bands(cycle=cycle)
    top = levels[-1].value
    hr = Employee.objects.filter(organization=organization, role="hr_admin").order_by("pk").first()
    assessment = next(moment for moment in moments if moment.produces_rating)
    created = 1 + len(moments) + len(moments) * len(people)
    for number, person in enumerate(team):
        conversation = Conversation.objects.get(moment=assessment, employee=person)
        state = STATES[number] if number < len(STATES) else ReviewState.FINALISED
        expectations = list(expectation_selectors.applicable_expectations(employee=person))
        pairs = []
        # Written two days after the conversation; then shared, signed and finalised over the next weeks.
        written = min(now, conversation.held_at + timedelta(days=2))

        def stamp(days, written=written):
            return working_before(min(now, written + timedelta(days=days)), zone)

        with audit.acting_as(manager):
            review = Review.objects.create(
                organization=organization,
                cycle=cycle,
                conversation=conversation,
                employee=person,
                manager=manager,
                summary="Een sterk jaar met de klant; dossiers op tijd bijwerken blijft het aandachtspunt.",
            )
        for index, expectation in enumerate(expectations):
            levels_of_person = LAST_YEAR_LEVELS[number % len(LAST_YEAR_LEVELS)]
            level = min(top, levels_of_person[index % len(levels_of_person)])
            situation, behaviour, effect = SEEN[index % len(SEEN)]
            evidence = Observation.objects.create(
                organization=organization,
                employee=person,
                author=manager,
                source=Source.MANAGER,
                expectation=expectation,
                observed_on=workday_on_or_before(date(year, 3 + index, 10 + number % 15)),
                situation=situation,
                behaviour=behaviour,
                effect=effect,
                shows=Shows.ROOM if level <= 2 else Shows.SHOWN,
            )
            weight = expectation.current_version.weight
            rating = Rating.objects.create(
                organization=organization,
                review=review,
                expectation=expectation,
                expectation_version=expectation.current_version,
                weight=weight,
                level=level,
            )
            rating.evidence.add(evidence)
            pairs.append((level, weight))
            created += 2
        score = outcome.weighted_score(pairs)
        band = outcome.band_for(score, bands)
        shared = state != ReviewState.DRAFT
        Review.objects.filter(pk=review.pk).update(score=score, computed_band=band, band=band)
        _history(review, state, {"manager": manager, "person": person, "hr": hr}, stamp)
        Review.objects.filter(pk=review.pk).update(
            state=state,
            score=score,
            computed_band=band,
            band=band,
            created_at=stamp(0),
            updated_at=stamp(STEP_DAYS[state]),
            shared_at=stamp(STEP_DAYS[ReviewState.SHARED]) if shared else None,
            employee_comment="Herkenbaar; het punt over de dossiers pak ik op." if shared and number % 2 == 0 else "",
            employee_signed_at=stamp(STEP_DAYS[ReviewState.EMPLOYEE_SIGNED])
            if state in (ReviewState.EMPLOYEE_SIGNED, ReviewState.SIGNED, ReviewState.FINALISED)
            else None,
            manager_signed_at=stamp(STEP_DAYS[ReviewState.MANAGER_SIGNED])
            if state in (ReviewState.MANAGER_SIGNED, ReviewState.SIGNED, ReviewState.FINALISED)
            else None,
            finalised_at=stamp(STEP_DAYS[ReviewState.FINALISED]) if state == ReviewState.FINALISED else None,
            finalised_by=hr if state == ReviewState.FINALISED else None,
        )
        created += 1
    return created


# The steps of a review up to its state: (who, the state it moved to, days after it was written).
STEPS = {
    ReviewState.SHARED: [("manager", ReviewState.SHARED, 5)],
    ReviewState.EMPLOYEE_SIGNED: [("manager", ReviewState.SHARED, 5), ("person", ReviewState.EMPLOYEE_SIGNED, 7)],
    ReviewState.MANAGER_SIGNED: [("manager", ReviewState.SHARED, 5), ("manager", ReviewState.MANAGER_SIGNED, 8)],
    ReviewState.SIGNED: [
        ("manager", ReviewState.SHARED, 5),
        ("person", ReviewState.EMPLOYEE_SIGNED, 7),
        ("manager", ReviewState.SIGNED, 8),
    ],
}
STEPS[ReviewState.FINALISED] = [*STEPS[ReviewState.SIGNED], ("hr", ReviewState.FINALISED, 15)]
# Days after writing that a review reached each state (the review's own dates agree with its history).
STEP_DAYS = {ReviewState.DRAFT: 0, ReviewState.MANAGER_SIGNED: 8} | {
    to_state: days for _who, to_state, days in STEPS[ReviewState.FINALISED]
}


def _history(review, state, people, stamp) -> None:
    """The review's history as its people made it: written by the manager, then each step, on its day.

    ``stamp(days)``: the working moment that many days after the review was written."""
    manager = people["manager"]
    ratings = [rating.pk for rating in review.ratings.all()]
    written_then = AuditEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Review), object_id=review.pk)
        | Q(content_type=ContentType.objects.get_for_model(Rating), object_id__in=ratings)
    )
    written_then.update(timestamp=stamp(0), actor_id=manager.user_id, actor_employee=manager)
    for who, to_state, days in STEPS.get(state, []):
        with audit.acting_as(people[who]):
            entry = audit.record_update(review, state=to_state)
        review.state = to_state
        if entry is not None:
            AuditEntry.objects.filter(pk=entry.pk).update(timestamp=stamp(days))


def _held_last_year(organization, moment, person) -> Conversation:
    """Person ``person``'s conversation at last year's ``moment``: held on a working day of its window."""
    zone = organization.zone
    day = workday_between(moment.opens_on + timedelta(days=7 + person.pk % 10), moment.opens_on, moment.closes_on)
    start = at(day, start_time(person.pk), zone)
    return Conversation(
        organization=organization,
        moment=moment,
        employee=person,
        state=ConversationState.HELD,
        scheduled_at=start,
        held_at=start + timedelta(hours=1),
        location=LOCATION,
        agreements=agreements(
            name=person.first_name,
            manager=person.manager.first_name if person.manager else None,
            kind=moment.kind,
            number=person.pk,
            day=day,
        ),
    )
