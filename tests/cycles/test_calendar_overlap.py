"""One active cycle per person on any day: activating a cycle whose dates overlap an active cycle for some of the
same people is refused, naming that cycle, in the service and on the activation page before the click."""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from django_scopes import scopes_disabled

from cycles import services
from cycles.models import Conversation, Cycle, CycleStatus
from cycles.services import cycles as cycle_services
from organizations.models import Organization
from tests.conftest import need
from tests.factories import CycleFactory, EmployeeFactory, MomentFactory, TeamFactory
from tests.kit import assert_nothing_changes, client_for, shown_messages, url

pytestmark = pytest.mark.django_db

D = datetime.date
CONFIRM = {"confirm": "yes"}
OVERLAP_2027 = (
    "The active cycle 2027 (1 January 2027 to 31 December 2027) is already running for some of the same people on "
    "some of these dates. Change this cycle's dates or teams so that they do not overlap."
)


JANUARY_1, DECEMBER_31 = D(2027, 1, 1), D(2027, 12, 31)


def prepared(organization, name, starts_on=JANUARY_1, ends_on=DECEMBER_31, teams=()):
    """A cycle being prepared, with one moment inside its dates."""
    cycle = CycleFactory(organization=organization, name=name, starts_on=starts_on, ends_on=ends_on, teams=list(teams))
    MomentFactory(cycle=cycle, opens_on=starts_on, closes_on=starts_on + datetime.timedelta(days=20))
    return cycle


def active(organization, name="2027", **dates):
    cycle = prepared(organization, name, **dates)
    services.cycle_activate(cycle=cycle)
    cycle.refresh_from_db()
    return cycle


def refusal(cycle) -> list[str]:
    """What activating ``cycle`` says, having checked that it stays prepared and got no conversations."""
    with pytest.raises(ValidationError) as error:
        services.cycle_activate(cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT
    assert not Conversation.objects.filter(moment__cycle=cycle).exists()
    return error.value.messages


# --- the service -------------------------------------------------------------------------------------------------


def test_a_second_cycle_for_everyone_in_the_same_dates_is_refused_naming_the_first(tenant_a, english):
    active(tenant_a.organization)
    assert refusal(prepared(tenant_a.organization, "2027 again", starts_on=D(2027, 6, 1))) == [OVERLAP_2027]


def test_one_shared_day_is_an_overlap(tenant_a, english):
    active(tenant_a.organization)
    last_day = prepared(tenant_a.organization, "2028", starts_on=D(2027, 12, 31), ends_on=D(2028, 12, 30))
    assert refusal(last_day) == [OVERLAP_2027]


def test_consecutive_cycles_may_both_be_active(tenant_a):
    first = active(tenant_a.organization)
    second = prepared(tenant_a.organization, "2028", starts_on=D(2028, 1, 1), ends_on=D(2028, 12, 31))
    assert services.cycle_activate(cycle=second) == 4  # four people, one moment
    second.refresh_from_db()
    assert {first.status, second.status} == {CycleStatus.ACTIVE}


def test_a_team_cycle_inside_an_everyone_cycle_is_refused_and_the_other_way_round(tenant_a, english):
    everyone = active(tenant_a.organization)
    team = prepared(tenant_a.organization, "Klantenservice 2027", teams=[tenant_a.team])
    assert refusal(team) == [OVERLAP_2027]

    Cycle.objects.filter(pk=everyone.pk).update(status=CycleStatus.CLOSED)
    services.cycle_activate(cycle=team)
    again = prepared(tenant_a.organization, "Everyone again", starts_on=D(2027, 3, 1), ends_on=D(2027, 4, 1))
    [message] = refusal(again)
    assert message.startswith("The active cycle Klantenservice 2027 (1 January 2027 to 31 December 2027)")


def test_team_cycles_sharing_a_team_are_refused(tenant_a, english):
    sales = TeamFactory(organization=tenant_a.organization, name="Verkoop")
    active_cycle = prepared(tenant_a.organization, "Service and sales", teams=[tenant_a.team, sales])
    services.cycle_activate(cycle=active_cycle)
    [message] = refusal(prepared(tenant_a.organization, "Sales", teams=[sales]))
    assert "The active cycle Service and sales" in message


def test_team_cycles_of_different_teams_may_run_at_the_same_time(tenant_a):
    sales = TeamFactory(organization=tenant_a.organization, name="Verkoop")
    EmployeeFactory(organization=tenant_a.organization, team=sales)
    services.cycle_activate(cycle=prepared(tenant_a.organization, "Service", teams=[tenant_a.team]))
    sales_cycle = prepared(tenant_a.organization, "Sales", teams=[sales])
    assert services.cycle_activate(cycle=sales_cycle) == 1
    sales_cycle.refresh_from_db()
    assert sales_cycle.status == CycleStatus.ACTIVE


def test_closed_and_prepared_cycles_do_not_count_nor_do_other_organisations(tenant_a, tenant_b):
    Cycle.objects.filter(pk=active(tenant_a.organization, "2027 closed").pk).update(status=CycleStatus.CLOSED)
    prepared(tenant_a.organization, "2027 draft")
    active(tenant_b.organization, "Bravo 2027")
    cycle = prepared(tenant_a.organization, "2027")
    assert services.cycle_activate(cycle=cycle) == 4


def test_adding_newcomers_to_a_running_cycle_is_not_refused(tenant_a):
    """Two overlapping cycles active from before this rule: each may still take its newcomers."""
    first = active(tenant_a.organization)
    second = prepared(tenant_a.organization, "2027 bis")
    Cycle.objects.filter(pk=second.pk).update(status=CycleStatus.ACTIVE)
    second.refresh_from_db()
    assert services.cycle_activate(cycle=second) == 4
    assert services.cycle_activate(cycle=first) == 0


def test_the_refusal_is_in_dutch_for_a_dutch_reader(tenant_a):
    active(tenant_a.organization)
    with translation.override("nl"):
        [message] = refusal(prepared(tenant_a.organization, "2027 again"))
    assert message.startswith("De actieve cyclus 2027 (1 januari 2027 tot en met 31 december 2027)")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_cycles_activated_at_the_same_moment_cannot_both_pass(tenant_a, monkeypatch):
    if connection.vendor != "postgresql":
        need("the row lock race needs PostgreSQL (set DATABASE_URL); SQLite runs one writer at a time anyway")
    first, second = prepared(tenant_a.organization, "2027"), prepared(tenant_a.organization, "2027 bis")
    start = threading.Barrier(2)
    checking = threading.Barrier(2, timeout=2)
    check = cycle_services.overlapping_cycle

    def check_together(**kwargs):
        # Without the organisation's lock both activations meet here, each seeing no other active cycle. With it,
        # the second waits for the first to commit, the meeting times out and it checks afterwards.
        try:
            checking.wait()
        except threading.BrokenBarrierError:
            pass
        return check(**kwargs)

    monkeypatch.setattr(cycle_services, "overlapping_cycle", check_together)
    outcomes = []

    def activate_cycle(cycle_id):
        try:
            with scopes_disabled():
                cycle = Cycle.objects.get(pk=cycle_id)
                start.wait()
                services.cycle_activate(cycle=cycle)
            outcomes.append("activated")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=activate_cycle, args=(cycle.pk,)) for cycle in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["activated", "refused"]
    assert Cycle.objects.filter(organization=tenant_a.organization, status=CycleStatus.ACTIVE).count() == 1


# --- the activation page -----------------------------------------------------------------------------------------


def activate(cycle):
    return url("cycles:cycle_activate", cycle.organization, cycle_id=cycle.pk)


def test_the_activation_page_says_so_before_the_click(tenant_a, hr):
    active(tenant_a.organization)
    cycle = prepared(tenant_a.organization, "2027 again")
    with assert_nothing_changes():
        response = hr.get(activate(cycle), follow=True)
    assert response.redirect_chain == [(cycle.get_absolute_url(), 302)]
    assert shown_messages(response) == [OVERLAP_2027]


def test_a_confirmed_post_is_refused_too_and_changes_nothing(tenant_a, hr):
    active(tenant_a.organization)
    cycle = prepared(tenant_a.organization, "2027 again")
    with assert_nothing_changes():
        response = hr.post(activate(cycle), CONFIRM, follow=True)
    assert shown_messages(response) == [OVERLAP_2027]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT


def test_the_page_speaks_dutch_to_a_dutch_reader(tenant_a):
    active(tenant_a.organization)
    cycle = prepared(tenant_a.organization, "2027 again")
    response = client_for(tenant_a.hr, language="nl").get(activate(cycle), follow=True)
    [message] = shown_messages(response)
    assert message.startswith("De actieve cyclus 2027 (1 januari 2027 tot en met 31 december 2027)")


def test_a_cycle_without_overlap_still_gets_its_confirmation_page(tenant_a, hr):
    active(tenant_a.organization)
    cycle = prepared(tenant_a.organization, "2028", starts_on=D(2028, 1, 1), ends_on=D(2028, 12, 31))
    response = hr.get(activate(cycle))
    assert response.status_code == 200 and "Activate cycle 2028" in response.content.decode()


# --- the demo ----------------------------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 28, 9, tzinfo=datetime.UTC))
def test_the_demo_still_activates_and_no_active_cycles_overlap(settings):
    settings.DEBUG = True
    call_command("seed_demo", people=60)
    for organization in Organization.objects.filter(slug__in=["demo", "groot"]):
        running = list(Cycle.objects.filter(organization=organization, status=CycleStatus.ACTIVE))
        assert running, organization.slug
        assert all(services.overlapping_cycle(cycle=cycle) is None for cycle in running), organization.slug
