"""Adding newcomers to an active cycle (cycles/newcomers.py): one conversation per moment whose window has not
closed, for the people in scope without any conversation in it; and what the pages are told it would create."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cycles import newcomers
from cycles.models import Conversation, CycleStatus, PlanRequest, Reminder
from organizations import services as people_services
from organizations.models import AuditEntry
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory, TeamFactory
from tests.kit import MARCH_2027, activated_cycle

pytestmark = pytest.mark.django_db

D = datetime.date
SEPTEMBER_2027 = (D(2027, 9, 1), D(2027, 9, 30))


def at(time_machine, day):
    """The clock on ``day`` at noon in Amsterdam."""
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def running(tenant_a):
    """An active 2027 cycle for everyone with a March and a September moment; only Eva has her conversations."""
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    for opens_on, closes_on in (MARCH_2027, SEPTEMBER_2027):
        moment = MomentFactory(cycle=cycle, opens_on=opens_on, closes_on=closes_on)
        ConversationFactory(moment=moment, employee=tenant_a.employee)
    return cycle


def conversations_of(person):
    return sorted(Conversation.objects.filter(employee=person).values_list("moment__opens_on", flat=True))


def test_a_newcomer_gets_a_conversation_only_for_the_windows_that_have_not_closed(tenant_a, running, time_machine):
    at(time_machine, D(2027, 6, 1))  # March has closed, September is to come
    created = newcomers.newcomers_add(cycle=running)
    assert created == 3  # Hanna, Mark and Olaf, each one conversation for September
    for person in (tenant_a.hr, tenant_a.manager, tenant_a.outsider):
        assert conversations_of(person) == [D(2027, 9, 1)]
    assert Conversation.objects.filter(employee=tenant_a.employee).count() == 2  # untouched


def test_a_window_that_closes_today_is_still_open(tenant_a, running, time_machine):
    at(time_machine, D(2027, 3, 31))
    newcomers.newcomers_add(cycle=running, person=tenant_a.outsider)
    assert conversations_of(tenant_a.outsider) == [D(2027, 3, 1), D(2027, 9, 1)]


def test_adding_twice_creates_nothing_the_second_time(tenant_a, running, time_machine):
    at(time_machine, D(2027, 1, 10))
    assert newcomers.newcomers_add(cycle=running) == 6
    assert newcomers.newcomers_add(cycle=running) == 0
    assert Conversation.objects.count() == 8


def test_given_a_person_only_they_are_added(tenant_a, running, time_machine):
    at(time_machine, D(2027, 1, 10))
    assert newcomers.newcomers_add(cycle=running, person=tenant_a.outsider) == 2
    assert conversations_of(tenant_a.outsider) == [D(2027, 3, 1), D(2027, 9, 1)]
    assert not Conversation.objects.filter(employee__in=[tenant_a.hr, tenant_a.manager]).exists()


def test_someone_who_has_conversations_already_is_not_a_newcomer(tenant_a, running, time_machine):
    at(time_machine, D(2027, 1, 10))
    assert newcomers.newcomers_add(cycle=running, person=tenant_a.employee) == 0
    assert Conversation.objects.filter(employee=tenant_a.employee).count() == 2


def test_when_every_window_has_closed_nothing_is_added_and_it_says_why(tenant_a, running, time_machine, english):
    at(time_machine, D(2027, 10, 1))
    with pytest.raises(ValidationError) as refused:
        newcomers.newcomers_add(cycle=running)
    assert "Every window of this cycle has closed" in refused.value.messages[0]
    assert Conversation.objects.count() == 2


@pytest.mark.parametrize("status", [CycleStatus.DRAFT, CycleStatus.CLOSED])
def test_a_cycle_that_is_not_active_takes_no_newcomers(tenant_a, running, status, english):
    running.status = status
    running.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        newcomers.newcomers_add(cycle=running)
    assert Conversation.objects.count() == 2


def test_people_outside_a_team_cycles_scope_and_deactivated_people_are_not_added(tenant_a, time_machine):
    at(time_machine, D(2027, 1, 10))
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE, teams=[tenant_a.team])
    MomentFactory(cycle=cycle)
    gone = EmployeeFactory(organization=tenant_a.organization, team=tenant_a.team)
    people_services.person_deactivate(employee=gone, actor=tenant_a.hr)
    assert newcomers.newcomers_add(cycle=cycle) == 2  # Mark and Eva are in Klantenservice; Olaf and Hanna are not
    assert set(Conversation.objects.values_list("employee_id", flat=True)) == {
        tenant_a.manager.pk,
        tenant_a.employee.pk,
    }


def test_one_audit_entry_on_the_cycle_counts_the_conversations_and_the_reminders_follow(
    tenant_a, january_2027, django_capture_on_commit_callbacks
):
    cycle = activated_cycle(tenant_a.organization, capture=django_capture_on_commit_callbacks)
    newcomer = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager)
    entries = AuditEntry.objects.filter(object_id=cycle.pk).count()
    with django_capture_on_commit_callbacks(execute=True):
        assert newcomers.newcomers_add(cycle=cycle) == 1
    entry = AuditEntry.objects.filter(object_id=cycle.pk).latest("pk")
    assert AuditEntry.objects.filter(object_id=cycle.pk).count() == entries + 1
    assert entry.additional_data == {"via": "cycle_newcomers", "count": 1}
    assert Reminder.objects.filter(recipient=newcomer).exists()  # planned for their new conversation
    assert not PlanRequest.objects.exists()  # and the request to plan them was handled


# --- what the pages are told ------------------------------------------------------------------------------------


def test_the_cycles_offer_names_the_newcomers_and_splits_the_moments(tenant_a, running, time_machine):
    at(time_machine, D(2027, 6, 1))
    offer = newcomers.cycle_offer(cycle=running)
    assert offer.people == 3
    by_name = sorted((tenant_a.hr, tenant_a.manager, tenant_a.outsider), key=lambda p: (p.sort_name, p.pk))
    assert offer.names == [person.full_name for person in by_name]
    assert [m.opens_on for m in offer.opening] == [D(2027, 9, 1)]
    assert [m.opens_on for m in offer.skipped] == [D(2027, 3, 1)]
    assert offer.conversations == 3


def test_the_cycles_offer_names_five_and_counts_the_rest(tenant_a, running):
    for number in range(6):
        EmployeeFactory(organization=tenant_a.organization, last_name=f"Zz{number}")
    offer = newcomers.cycle_offer(cycle=running)
    assert offer.people == 9 and len(offer.names) == 5 and offer.more == 4


def test_a_cycle_that_is_not_active_has_no_offer(tenant_a):
    assert newcomers.cycle_offer(cycle=CycleFactory(organization=tenant_a.organization)) is None


def test_a_persons_offers_are_the_active_cycles_they_are_in_scope_of_without_conversations(tenant_a, running):
    other_team = TeamFactory(organization=tenant_a.organization)
    theirs = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE, teams=[tenant_a.team])
    MomentFactory(cycle=theirs)
    CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE, teams=[other_team])
    CycleFactory(organization=tenant_a.organization, status=CycleStatus.DRAFT)
    newcomer = EmployeeFactory(organization=tenant_a.organization, team=tenant_a.team)

    assert [offer.cycle for offer in newcomers.person_offers(person=newcomer)] == [running, theirs]
    assert [offer.cycle for offer in newcomers.person_offers(person=tenant_a.employee)] == [theirs]
    assert [offer.cycle for offer in newcomers.person_offers(person=tenant_a.outsider)] == [running]
    people_services.person_deactivate(employee=newcomer, actor=tenant_a.hr)
    newcomer.refresh_from_db()
    assert newcomers.person_offers(person=newcomer) == []


def test_the_organisations_offers_leave_out_cycles_without_newcomers(tenant_a, running):
    everyone_has_them = CycleFactory(
        organization=tenant_a.organization, status=CycleStatus.ACTIVE, teams=[tenant_a.team]
    )
    moment = MomentFactory(cycle=everyone_has_them)
    ConversationFactory(moment=moment, employee=tenant_a.manager)
    ConversationFactory(moment=moment, employee=tenant_a.employee)
    assert [offer.cycle for offer in newcomers.organization_offers(organization=tenant_a.organization)] == [running]
