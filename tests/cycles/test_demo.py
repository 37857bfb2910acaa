"""The demo cycle that seed_demo creates."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from cycles.models import Conversation, ConversationState, Cycle, CycleStatus
from organizations.models import Organization

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 28, 9, tzinfo=datetime.UTC))
def test_the_demo_has_an_active_cycle_with_conversations_in_every_state(settings):
    """Late in the year: past windows mostly held (some overdue), the assessment window open."""
    settings.DEBUG = True
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    cycle = Cycle.objects.get(organization=demo, name="2026")
    assert cycle.status == CycleStatus.ACTIVE
    assert cycle.moments.count() == 3
    # HR activated it before its first window opened, not on the day the demo was seeded.
    first_opens = min(cycle.moments.values_list("opens_on", flat=True))
    assert cycle.activated_at.date() < first_opens
    states = set(Conversation.objects.filter(moment__cycle=cycle).values_list("state", flat=True))
    assert {ConversationState.HELD, ConversationState.SCHEDULED, ConversationState.TO_SCHEDULE} <= states
    assert Conversation.objects.filter(moment__cycle=cycle).count() == 3 * demo.employees.count()
    # Held conversations took place: none at a time still to come.
    held = Conversation.objects.filter(organization=demo, state=ConversationState.HELD)
    now = datetime.datetime(2026, 11, 28, 9, tzinfo=datetime.UTC)
    assert held.filter(moment__cycle=cycle).exists()
    assert not held.filter(scheduled_at__gt=now).exists() and not held.filter(held_at__gt=now).exists()
    # Last year's cycle (reviews.demo) is closed, its conversations held.
    last_year = Cycle.objects.get(organization=demo, name="2025")
    assert last_year.status == CycleStatus.CLOSED
    assert set(Conversation.objects.filter(moment__cycle=last_year).values_list("state", flat=True)) == {"held"}
    call_command("seed_demo")
    assert Cycle.objects.filter(organization=demo).count() == 2
