"""The next conversation on the home page, and the demo cycle."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from cycles import services
from cycles.models import Conversation, ConversationState, Cycle, CycleStatus
from organizations.models import Organization
from tests.factories import ConversationFactory, CycleFactory, MomentFactory

pytestmark = pytest.mark.django_db


def home(tenant):
    return reverse("organizations:home", kwargs={"org_slug": tenant.organization.slug})


@time_machine.travel(datetime.datetime(2027, 6, 10, 12, tzinfo=datetime.UTC))
def test_home_shows_the_next_scheduled_conversation_with_its_purpose(tenant_a, login):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    conversation = ConversationFactory(moment=MomentFactory(cycle=cycle), employee=tenant_a.employee)
    services.conversation_schedule(
        conversation=conversation, day=datetime.date(2027, 6, 15), at=datetime.time(10, 0), location="Kamer 2"
    )
    page = login(tenant_a.employee).get(home(tenant_a)).content.decode()
    assert "Feedback op gedrag en bijsturen." in page
    assert "10:00" in page and "Kamer 2" in page


def test_home_says_so_when_no_conversation_is_planned(tenant_a, login):
    response = login(tenant_a.employee).get(home(tenant_a))
    assert response.status_code == 200
    assert response.context["next_conversation"] is None


def test_another_persons_conversation_never_shows_on_my_home(tenant_a, login):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    ConversationFactory(moment=MomentFactory(cycle=cycle), employee=tenant_a.outsider)
    assert login(tenant_a.employee).get(home(tenant_a)).context["next_conversation"] is None


@time_machine.travel(datetime.datetime(2026, 11, 28, 9, tzinfo=datetime.UTC))
def test_the_demo_has_an_active_cycle_with_conversations_in_every_state(settings):
    """Late in the year: past windows mostly held (some overdue), the assessment window open."""
    settings.DEBUG = True
    call_command("seed_demo")
    demo = Organization.objects.get(slug="demo")
    cycle = Cycle.objects.get(organization=demo)
    assert cycle.status == CycleStatus.ACTIVE
    assert cycle.moments.count() == 3
    states = set(Conversation.objects.filter(moment__cycle=cycle).values_list("state", flat=True))
    assert {ConversationState.HELD, ConversationState.SCHEDULED, ConversationState.TO_SCHEDULE} <= states
    assert Conversation.objects.filter(moment__cycle=cycle).count() == 3 * demo.employees.count()
    call_command("seed_demo")
    assert Cycle.objects.filter(organization=demo).count() == 1
