"""What the reviews tests share beyond tests/kit.py: an active cycle around today with an assessment moment.

Dates are relative to today, so observations (which may not lie in the future) and windows line up without a
frozen clock.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cycles.models import CycleStatus, MomentKind
from reviews import scales
from tests.factories import ConversationFactory, CycleFactory, ExpectationFactory, MomentFactory


@dataclass
class Assessment:
    """tenant_a's active cycle: a progress moment (open now) and an assessment moment (opens in 10 days)."""

    tenant: object
    cycle: object
    progress: object  # Moment
    assessment: object  # Moment, produces a rating
    progress_conversation: object  # tenant.employee's
    conversation: object  # tenant.employee's assessment conversation
    expectations: list  # two published expectations for everyone, weights 60 and 40


def make_assessment(tenant) -> Assessment:
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    cycle = CycleFactory(
        organization=tenant.organization,
        starts_on=today - 60 * day,
        ends_on=today + 300 * day,
        status=CycleStatus.ACTIVE,
        activated_at=timezone.now(),
    )
    progress = MomentFactory(
        cycle=cycle,
        kind=MomentKind.PROGRESS,
        opens_on=today - 20 * day,
        closes_on=today + 5 * day,
        asks_reflection=True,
        reflection_questions_nl="Waar ben je trots op?\nWat wil je leren?",
        reflection_questions_en="What are you proud of?\nWhat do you want to learn?",
    )
    assessment = MomentFactory(
        cycle=cycle,
        kind=MomentKind.ASSESSMENT,
        produces_rating=True,
        name_nl="Beoordelingsgesprek",
        name_en="Assessment conversation",
        opens_on=today + 10 * day,
        closes_on=today + 40 * day,
    )
    scales.cycle_levels(cycle=cycle)
    scales.cycle_bands(cycle=cycle)
    expectations = [
        ExpectationFactory(organization=tenant.organization, weight=60, title="Klant om feedback vragen"),
        ExpectationFactory(organization=tenant.organization, weight=40, title="Afspraken nakomen"),
    ]
    return Assessment(
        tenant=tenant,
        cycle=cycle,
        progress=progress,
        assessment=assessment,
        progress_conversation=ConversationFactory(moment=progress, employee=tenant.employee),
        conversation=ConversationFactory(moment=assessment, employee=tenant.employee),
        expectations=expectations,
    )


@pytest.fixture
def assessment(tenant_a) -> Assessment:
    return make_assessment(tenant_a)


@pytest.fixture
def assessment_b(tenant_b) -> Assessment:
    return make_assessment(tenant_b)
