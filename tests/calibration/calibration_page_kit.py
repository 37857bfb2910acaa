"""What the calibration page's tests share: managers with reviews in chosen bands, and ratings that cite observations
of chosen dates or give a reason instead, all written in bulk on tests/pay/conftest.py's ``pay``.

The reviews follow the rule (``computed_band`` is their ``band``) unless a test says otherwise, so a spread test
sees no deviation by accident.
"""

import datetime
import itertools

from django.utils import timezone

from accounts.models import User
from cycles.models import Conversation, ConversationState
from organizations.models import Employee, Role
from reviews.models import Observation, Rating, Review, ReviewState, Source
from tests.factories import EmployeeFactory

_numbers = itertools.count(1)


def managed(pay, name, bands, *, state=ReviewState.SHARED, team=None, scheduled_at=None):
    """A manager called ``name`` with one report per entry of ``bands`` (band positions), each with a review in that
    band (``state``), their conversation at ``scheduled_at`` (default: in 12 days). Returns (manager, reviews)."""
    organization = pay.tenant.organization
    manager = EmployeeFactory(organization=organization, role=Role.MANAGER, first_name=name, last_name="Manager")
    numbers = [next(_numbers) for _band in bands]
    users = User.objects.bulk_create(
        User(email=f"{name.lower()}-{number}@{organization.slug}.example", password="!") for number in numbers
    )
    now = timezone.now()
    people = Employee.objects.bulk_create(
        Employee(
            organization=organization,
            user=user,
            first_name=f"Report {number:04d}",
            last_name=name,
            team=team,
            manager=manager,
            joined_at=now,
        )
        for number, user in zip(numbers, users, strict=True)
    )
    when = scheduled_at or now + datetime.timedelta(days=12)
    conversations = Conversation.objects.bulk_create(
        Conversation(
            organization=organization,
            moment=pay.assessment.assessment,
            employee=person,
            state=ConversationState.SCHEDULED,
            scheduled_at=when,
        )
        for person in people
    )
    reviews = Review.objects.bulk_create(
        Review(
            organization=organization,
            cycle=pay.cycle,
            conversation=conversation,
            employee=person,
            manager=manager,
            band=pay.bands[band],
            computed_band=pay.bands[band],
            state=state,
        )
        for person, conversation, band in zip(people, conversations, bands, strict=True)
    )
    return manager, reviews


def _versions(pay):
    """The assessment's two expectations with their version 1, read once per test."""
    if not hasattr(pay, "_calibration_versions"):
        pay._calibration_versions = [
            (expectation, expectation.versions.get(number=1)) for expectation in pay.assessment.expectations
        ]
    return pay._calibration_versions


def _rating(pay, review, number=0, **fields):
    expectation, version = _versions(pay)[number]
    return Rating(
        organization=pay.tenant.organization,
        review=review,
        expectation=expectation,
        expectation_version=version,
        weight=60 if number == 0 else 40,
        level=3,
        **fields,
    )


def cite(pay, review, days_before, *, number=0):
    """A rating of ``review`` citing one observation per entry of ``days_before``: observed that many days before
    ``day`` (the review's conversation date, or the day it was started). Returns the rating."""
    conversation = review.conversation
    moment = conversation.scheduled_at or review.created_at
    day = timezone.localtime(moment).date()
    rating = _rating(pay, review, number)
    rating.save()
    observations = Observation.objects.bulk_create(
        Observation(
            organization=pay.tenant.organization,
            employee=review.employee,
            author=review.manager,
            source=Source.MANAGER,
            observed_on=day - datetime.timedelta(days=before),
            situation="In het klantoverleg.",
            behaviour="Je vatte de afspraken samen.",
        )
        for before in days_before
    )
    rating.evidence.set(observations)
    return rating


def reason_only(pay, review, reason, *, number=1):
    """A rating of ``review`` that cites nothing and gives ``reason`` instead."""
    rating = _rating(pay, review, number, reason_without_evidence=reason)
    rating.save()
    return rating


def bulk_ratings(pay, reviews):
    """For each review: a rating citing three observations (two recent, one older: 67 % recent) and one with a
    reason, in bulk."""
    organization = pay.tenant.organization
    today = timezone.localdate()
    observations = Observation.objects.bulk_create(
        Observation(
            organization=organization,
            employee_id=review.employee_id,
            author_id=review.manager_id,
            source=Source.MANAGER,
            observed_on=today - datetime.timedelta(days=days),
            situation="In het klantoverleg.",
            behaviour="Je vatte de afspraken samen.",
        )
        for review in reviews
        for days in (1, 2, 90)
    )
    ratings = Rating.objects.bulk_create(
        rating
        for review in reviews
        for rating in (_rating(pay, review, 0), _rating(pay, review, 1, reason_without_evidence="Nog niet gezien."))
    )
    cited = ratings[0::2]
    Rating.evidence.through.objects.bulk_create(
        Rating.evidence.through(rating_id=rating.pk, observation_id=observation.pk)
        for number, rating in enumerate(cited)
        for observation in observations[3 * number : 3 * number + 3]
    )
