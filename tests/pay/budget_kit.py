"""What the budget and export tests share: a review with a band for anyone, and a crowd of people built in bulk.

Built on tests/pay/conftest.py's ``pay`` (the active cycle, Schaal 8 and 10, the published pay table, bands
below / meets / exceeds). ``crowd`` writes plain rows with bulk_create, so 300 people take a moment, not a minute.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from cycles.models import Conversation, ConversationState, MomentKind
from organizations.models import Employee, Team
from pay.models import Placement
from reviews.models import Review, ReviewState
from tests.factories import ConversationFactory, MomentFactory, ReviewFactory

BELOW, MEETS, EXCEEDS = 0, 1, 2  # positions of the cycle's bands in pay.bands


def review_of(pay, person, band=MEETS, *, state=ReviewState.DRAFT, when=None, conversation=None, moment=None):
    """A review of ``person`` at the cycle's assessment moment (or ``moment``) with ``band`` (a position, or None)."""
    if conversation is None:
        conversation = ConversationFactory(
            moment=moment or pay.assessment.assessment,
            employee=person,
            state=ConversationState.SCHEDULED if when else ConversationState.TO_SCHEDULE,
            scheduled_at=when,
        )
    return ReviewFactory(
        conversation=conversation,
        manager=person.manager or pay.tenant.hr,
        band=None if band is None else pay.bands[band],
        state=state,
    )


def second_assessment(pay):
    """Another moment of the cycle that produces a rating, after the first."""
    return MomentFactory(
        cycle=pay.cycle,
        kind=MomentKind.ASSESSMENT,
        produces_rating=True,
        opens_on=pay.assessment.assessment.closes_on + datetime.timedelta(days=30),
        closes_on=pay.assessment.assessment.closes_on + datetime.timedelta(days=60),
    )


def in_cycle_without_review(pay, person):
    """``person`` has an assessment conversation in the cycle, and no review yet."""
    return ConversationFactory(moment=pay.assessment.assessment, employee=person)


def kind_of(number: int) -> str:
    """Where person ``number`` of a crowd stands: mostly on a scale, some outside the scales, a few not placed."""
    if number % 7 == 3:
        return "not_placed"
    if number % 5 == 1:
        return "salary"
    return "scale"


def crowd(pay, numbers, *, per_team=3, state=ReviewState.DRAFT, moment=None):
    """One person per number in the cycle with a review with a band (``state``), in teams of ``per_team``.

    Person ``number`` is in team "Crowd <number // per_team>" (every 11th person in no team), placed as
    :func:`kind_of` says: on Schaal 8 (step number % 6) or Schaal 10 (step 1 + number % 3), off the scales with
    a salary of 3000 + 10 × number, or not placed; their band is number % 3. Returns the people.
    """
    organization = pay.tenant.organization
    numbers = list(numbers)
    team_names = sorted({f"Crowd {number // per_team:04d}" for number in numbers})
    existing = {team.name: team for team in Team.objects.filter(organization=organization, name__in=team_names)}
    Team.objects.bulk_create(Team(organization=organization, name=name) for name in team_names if name not in existing)
    teams = {team.name: team for team in Team.objects.filter(organization=organization, name__in=team_names)}
    users = User.objects.bulk_create(
        User(email=f"crowd{number}@{organization.slug}.example", password="!") for number in numbers
    )
    now = timezone.now()
    people = Employee.objects.bulk_create(
        Employee(
            organization=organization,
            user=user,
            first_name=f"Person {number:04d}",
            last_name="Crowd",
            employee_number=f"C{number:05d}",
            team=None if number % 11 == 5 else teams[f"Crowd {number // per_team:04d}"],
            manager=pay.tenant.manager,
            joined_at=now,
        )
        for number, user in zip(numbers, users, strict=True)
    )
    placements = []
    for number, person in zip(numbers, people, strict=True):
        kind = kind_of(number)
        if kind == "scale" and number % 2:
            placements.append(Placement(employee=person, scale=pay.schaal_10, step=1 + number % 3))
        elif kind == "scale":
            placements.append(Placement(employee=person, scale=pay.schaal_8, step=number % 6))
        elif kind == "salary":
            placements.append(Placement(employee=person, monthly_salary=Decimal(3000 + 10 * number)))
    for placement in placements:
        placement.organization = organization
    Placement.objects.bulk_create(placements)
    moment = moment or pay.assessment.assessment
    start = timezone.now() + datetime.timedelta(days=12)
    conversations = Conversation.objects.bulk_create(
        Conversation(
            organization=organization,
            moment=moment,
            employee=person,
            state=ConversationState.SCHEDULED,
            scheduled_at=start + datetime.timedelta(minutes=number),
        )
        for number, person in zip(numbers, people, strict=True)
    )
    Review.objects.bulk_create(
        Review(
            organization=organization,
            cycle=pay.cycle,
            conversation=conversation,
            employee=person,
            manager=pay.tenant.manager,
            band=pay.bands[number % 3],
            state=state,
        )
        for number, person, conversation in zip(numbers, people, conversations, strict=True)
    )
    return people
