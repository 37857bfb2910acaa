"""The cycle calendar's services: creating, activating (and adding newcomers), validating and moving windows."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cycles import newcomers, services
from cycles.models import Conversation, ConversationState, Cycle, CycleStatus, Moment, MomentChange, MomentKind
from organizations.models import Employee
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory, TeamFactory

OUTSIDE_CYCLE = "The window must lie inside the cycle (1 January 2027 – 31 December 2027)."

pytestmark = pytest.mark.django_db

D = datetime.date


def messages_of(error):
    return [message for messages in error.value.message_dict.values() for message in messages]


def active_people(organization):
    return Employee.objects.filter(organization=organization, is_active=True).count()


# Creating


def test_create_from_the_template_fills_in_three_moments_in_both_languages(tenant_a):
    cycle = services.cycle_create(
        organization=tenant_a.organization, name=" 2027 ", starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31)
    )
    assert cycle.name == "2027" and cycle.status == CycleStatus.DRAFT
    moments = list(cycle.moments.order_by("opens_on"))
    assert [moment.kind for moment in moments] == [MomentKind.PLANNING, MomentKind.PROGRESS, MomentKind.ASSESSMENT]
    for moment in moments:
        assert moment.name_nl and moment.name_en and moment.purpose_nl and moment.purpose_en
        assert cycle.starts_on <= moment.opens_on <= moment.closes_on <= cycle.ends_on
    assert [moment.produces_rating for moment in moments] == [False, False, True]


def test_create_from_scratch_has_no_moments(tenant_a):
    cycle = services.cycle_create(
        organization=tenant_a.organization,
        name="2027",
        starts_on=D(2027, 1, 1),
        ends_on=D(2027, 12, 31),
        from_template=False,
    )
    assert cycle.moments.count() == 0


def test_create_with_a_team_of_another_organisation_saves_nothing(tenant_a, tenant_b, english):
    with pytest.raises(ValidationError) as error:
        services.cycle_create(
            organization=tenant_a.organization,
            name="2027",
            starts_on=D(2027, 1, 1),
            ends_on=D(2027, 12, 31),
            for_everyone=False,
            teams=[tenant_b.team],
        )
    assert error.value.message_dict == {"teams": ["Choose teams of this organisation."]}
    assert not Cycle.objects.exists() and not Moment.objects.exists()


def test_create_refuses_a_cycle_that_ends_before_it_starts(tenant_a, english):
    with pytest.raises(ValidationError) as error:
        services.cycle_create(
            organization=tenant_a.organization, name="2027", starts_on=D(2027, 12, 31), ends_on=D(2027, 1, 1)
        )
    assert error.value.message_dict == {"ends_on": ["The cycle ends before it starts."]}
    assert not Cycle.objects.exists()


def test_cycle_update_is_refused_once_active(tenant_a, english):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE, name="2027")
    with pytest.raises(ValidationError) as error:
        services.cycle_update(
            cycle=cycle, name="Anders", starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31), for_everyone=True, teams=[]
        )
    assert "An active cycle's calendar is fixed" in error.value.messages[0]
    assert Cycle.objects.get(pk=cycle.pk).name == "2027"


# Moments: window and rating


@pytest.mark.parametrize(
    ("opens", "closes", "field", "message"),
    [
        (D(2026, 12, 1), D(2027, 1, 31), "opens_on", OUTSIDE_CYCLE),
        (D(2027, 12, 1), D(2028, 1, 31), "opens_on", OUTSIDE_CYCLE),
        (D(2027, 6, 30), D(2027, 6, 1), "closes_on", "The window closes before it opens."),
    ],
)
def test_a_window_outside_the_cycle_or_reversed_is_refused(tenant_a, english, opens, closes, field, message):
    cycle = CycleFactory(organization=tenant_a.organization)
    with pytest.raises(ValidationError) as error:
        services.moment_save(
            cycle=cycle,
            kind=MomentKind.PROGRESS,
            name_nl="Voortgang",
            purpose_nl="Bijsturen.",
            opens_on=opens,
            closes_on=closes,
        )
    assert error.value.message_dict[field] == [message]
    assert not Moment.objects.exists()


def test_only_an_assessment_moment_produces_a_rating(tenant_a, english):
    cycle = CycleFactory(organization=tenant_a.organization)
    fields = {"name_nl": "Gesprek", "purpose_nl": "Doel.", "opens_on": D(2027, 6, 1), "closes_on": D(2027, 6, 30)}
    with pytest.raises(ValidationError) as error:
        services.moment_save(cycle=cycle, kind=MomentKind.DEVELOPMENT, produces_rating=True, **fields)
    assert error.value.message_dict["produces_rating"] == ["Only an assessment conversation produces a rating."]
    assert not Moment.objects.exists()
    moment = services.moment_save(cycle=cycle, kind=MomentKind.ASSESSMENT, produces_rating=True, **fields)
    assert moment.produces_rating


def test_a_moment_needs_a_purpose(tenant_a, english):
    cycle = CycleFactory(organization=tenant_a.organization)
    with pytest.raises(ValidationError) as error:
        services.moment_save(
            cycle=cycle, kind=MomentKind.CUSTOM, name_nl="Gesprek", opens_on=D(2027, 6, 1), closes_on=D(2027, 6, 30)
        )
    assert "purpose_nl" in error.value.message_dict


# Activation


def test_activation_creates_one_conversation_per_person_in_scope_per_moment_and_is_idempotent(tenant_a, tenant_b):
    cycle = CycleFactory(organization=tenant_a.organization)
    MomentFactory.create_batch(3, cycle=cycle)
    EmployeeFactory(organization=tenant_a.organization, is_active=False)
    people = active_people(tenant_a.organization)
    assert people == 4

    assert services.cycle_activate(cycle=cycle) == people * 3
    assert Conversation.objects.filter(moment__cycle=cycle).count() == people * 3
    assert set(Conversation.objects.values_list("organization_id", flat=True)) == {tenant_a.organization.pk}
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.ACTIVE and cycle.activated_at is not None

    assert services.cycle_activate(cycle=cycle) == 0
    assert Conversation.objects.count() == people * 3
    assert newcomers.cycle_offer(cycle=cycle).people == 0


def test_add_newcomers_creates_only_the_newcomers_conversations(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, teams=[tenant_a.team])
    MomentFactory.create_batch(2, cycle=cycle)
    assert services.cycle_activate(cycle=cycle) == 2 * 2
    cycle.refresh_from_db()
    held = Conversation.objects.filter(employee=tenant_a.employee).first()
    Conversation.objects.filter(pk=held.pk).update(state=ConversationState.HELD)

    newcomer = EmployeeFactory(organization=tenant_a.organization, team=tenant_a.team)
    EmployeeFactory(organization=tenant_a.organization)  # not in a team in scope
    assert newcomers.cycle_offer(cycle=cycle).people == 1
    before = set(Conversation.objects.values_list("pk", flat=True))

    assert services.cycle_activate(cycle=cycle) == 2
    added = Conversation.objects.exclude(pk__in=before)
    assert set(added.values_list("employee_id", flat=True)) == {newcomer.pk}
    assert Conversation.objects.get(pk=held.pk).state == ConversationState.HELD
    assert newcomers.cycle_offer(cycle=cycle).people == 0


def test_a_team_scoped_cycle_includes_only_those_teams_active_members(tenant_a):
    other_team = TeamFactory(organization=tenant_a.organization)
    EmployeeFactory(organization=tenant_a.organization, team=other_team)
    EmployeeFactory(organization=tenant_a.organization, team=tenant_a.team, is_active=False)
    cycle = CycleFactory(organization=tenant_a.organization, teams=[tenant_a.team])
    MomentFactory(cycle=cycle)
    services.cycle_activate(cycle=cycle)
    assert set(Conversation.objects.values_list("employee_id", flat=True)) == {
        tenant_a.manager.pk,
        tenant_a.employee.pk,
    }


def test_activating_a_cycle_without_moments_is_refused(tenant_a, english):
    cycle = CycleFactory(organization=tenant_a.organization)
    with pytest.raises(ValidationError) as error:
        services.cycle_activate(cycle=cycle)
    assert error.value.messages == ["This cycle has no moments yet; add at least one before activating it."]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT and not Conversation.objects.exists()


def test_activating_a_cycle_with_nobody_in_scope_is_refused(tenant_a, english):
    empty_team = TeamFactory(organization=tenant_a.organization)
    cycle = CycleFactory(organization=tenant_a.organization, teams=[empty_team])
    MomentFactory(cycle=cycle)
    with pytest.raises(ValidationError) as error:
        services.cycle_activate(cycle=cycle)
    assert error.value.messages == ["Nobody is in this cycle's scope; add people or teams first."]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT and not Conversation.objects.exists()


# Moving a window


def test_moving_a_window_records_the_change_and_keeps_conversation_states(tenant_a, english):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle)
    held = ConversationFactory(moment=moment, employee=tenant_a.employee, state=ConversationState.HELD)
    waiting = ConversationFactory(moment=moment, employee=tenant_a.manager)

    services.moment_move(
        moment=moment, opens_on=D(2027, 7, 1), closes_on=D(2027, 7, 31), reason=" Zomerdrukte ", actor=tenant_a.hr
    )
    moment.refresh_from_db()
    assert (moment.opens_on, moment.closes_on) == (D(2027, 7, 1), D(2027, 7, 31))
    change = MomentChange.objects.get()
    assert (change.old_opens_on, change.old_closes_on) == (D(2027, 6, 1), D(2027, 6, 30))
    assert (change.new_opens_on, change.new_closes_on) == (D(2027, 7, 1), D(2027, 7, 31))
    assert change.reason == "Zomerdrukte" and change.changed_by == tenant_a.hr
    assert Conversation.objects.get(pk=held.pk).state == ConversationState.HELD
    assert Conversation.objects.get(pk=waiting.pk).state == ConversationState.TO_SCHEDULE


def test_moving_a_window_outside_the_cycle_changes_nothing(tenant_a, english):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle)
    with pytest.raises(ValidationError) as error:
        services.moment_move(
            moment=moment, opens_on=D(2027, 12, 1), closes_on=D(2028, 1, 31), reason="Later", actor=tenant_a.hr
        )
    assert "opens_on" in error.value.message_dict
    moment.refresh_from_db()
    assert moment.closes_on == D(2027, 6, 30) and not MomentChange.objects.exists()
