"""Last year's part of the Voorbeeld BV demo (reviews.demo): a closed cycle whose assessments are held and written,
with reviews in every state (most finalised, Daan's among them with its history), as the services would have left
them. The caller disables scopes."""

from datetime import date, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from cycles import services as cycle_services
from cycles.demo import LOCATION, agreements
from cycles.models import Conversation, ConversationState, Cycle, CycleStatus
from expectations import selectors as expectation_selectors
from organizations import audit
from organizations.audit_models import AuditEntry
from organizations.demo_time import (
    at,
    start_time,
    workday_between,
    workday_on_or_after,
    workday_on_or_before,
    working_before,
)
from organizations.models import Employee

from . import outcome, scales
from .demo_texts import SEEN
from .models import (
    Observation,
    Rating,
    Review,
    ReviewState,
    Shows,
    Source,
)

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


def last_year(organization, manager, team) -> int:
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
