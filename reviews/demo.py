"""Demo observations and reviews for Voorbeeld BV (seed_demo; the caller disables scopes).

This year (the active cycle cycles.demo made): observations of the Klantenservice
team by their manager Mila, one held for Daan's next conversation, one showing
room to grow, two answered by colleagues on request, a self-observation, an open
request waiting for Daan, and submitted self-reflections. Last year: a closed
cycle whose assessments are written, with reviews in every state (most finalised,
Daan's among them, so he can read its history): reviews.demo_last_year. What the
observations say: reviews.demo_texts.

Rows are written directly, in states the services would have produced, so the
demo stays fast; running it twice creates nothing new.
"""

from datetime import timedelta

from django.utils import timezone

from cycles.models import Conversation, Cycle, CycleStatus, MomentKind
from expectations import selectors as expectation_selectors
from organizations.demo_time import (
    MONTHS_NL,
    workday_between,
    workday_on_or_before,
    working_before,
)
from organizations.models import Employee

from . import scales
from .demo_last_year import last_year
from .demo_texts import ROOM, SEEN, fitting
from .models import (
    Observation,
    ObservationRequest,
    SelfReflection,
    Shows,
    Source,
)


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
    created += last_year(organization, manager, team)
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
