"""The calendar feed: it never fails on what is stored, it carries no locations, and a retired address stays dead.

Anyone with a feed address can read it without logging in, so it holds titles,
times and purposes only; the location (often a video link) stays on the
conversation page for its two people. Deactivating a person retires their
address, so that reactivating them does not revive it.
"""

import datetime
from datetime import UTC

import pytest
from django.utils import timezone

from cycles import services
from cycles.models import CalendarFeed, Conversation, ConversationState, Cycle, CycleStatus, Moment
from organizations.models import Employee
from organizations.signals import membership_moved, person_deactivated
from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import assert_anonymous_refused, client_for, feed_events, feed_of, feed_url, url

pytestmark = pytest.mark.django_db

D = datetime.date
VIDEO_LINK = "https://meet.example.com/abc-defg-hij?pwd=s3cret"


@pytest.fixture
def year(tenant_a):
    """Eva (reporting to Mark) with a planning talk scheduled by video on 29 March 2027, 10:00."""
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE, activated_at=timezone.now())
    planning = MomentFactory(cycle=cycle, name_nl="Planningsgesprek", opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    eva = ConversationFactory(moment=planning, employee=tenant_a.employee)
    services.conversation_schedule(conversation=eva, day=D(2027, 3, 29), at=datetime.time(10), location=VIDEO_LINK)
    return {"cycle": cycle, "planning": planning, "eva": eva}


# --- far dates stored before the bounds --------------------------------------------------------


@pytest.mark.parametrize(
    "stored_at",
    [
        datetime.datetime(9999, 12, 31, 22, 30, tzinfo=UTC),  # what "9999-12-31 23:30" in Amsterdam was stored as
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=UTC),  # past midnight local time: year 10000 in Amsterdam
        datetime.datetime(1, 1, 1, 0, 30, tzinfo=UTC),
    ],
)
def test_a_conversation_stored_at_the_edge_of_time_leaves_both_feeds_working(tenant_a, client, year, stored_at):
    far_moment = MomentFactory(cycle=year["cycle"], name_nl="Ver weg", opens_on=D(2027, 6, 1), closes_on=D(2027, 6, 30))
    far = ConversationFactory(moment=far_moment, employee=tenant_a.employee)
    # Straight into the table, as the old pages allowed: no service would accept it today.
    Conversation.objects.filter(pk=far.pk).update(state=ConversationState.SCHEDULED, scheduled_at=stored_at)
    for person in (tenant_a.employee, tenant_a.manager):  # Eva's feed and her manager Mark's
        events = feed_events(client.get(feed_of(person)))
        assert f"conversation-{far.pk}@helder" not in events  # left out, not a 500
        assert f"conversation-{year['eva'].pk}@helder" in events  # the rest of the feed is still there


def test_a_window_stored_at_the_edge_of_time_is_left_out_and_the_feed_still_works(tenant_a, client, year):
    forever = Cycle.objects.create(
        organization=tenant_a.organization,
        name="Forever",
        starts_on=D(2027, 1, 1),
        ends_on=D(9999, 12, 31),
        status=CycleStatus.ACTIVE,
    )
    last = Moment.objects.create(
        organization=tenant_a.organization,
        cycle=forever,
        name_nl="Laatste dag",
        purpose_nl="Ooit.",
        opens_on=D(9999, 12, 1),
        closes_on=D(9999, 12, 31),  # DTEND would be the day after: 1 January 10000
    )
    ConversationFactory(moment=last, employee=tenant_a.employee)
    events = feed_events(client.get(feed_of(tenant_a.employee)))
    assert f"moment-{last.pk}@helder" not in events
    assert f"moment-{year['planning'].pk}@helder" in events


# --- what the feed holds -----------------------------------------------------------------------


def test_no_location_or_video_link_goes_into_anyones_feed(tenant_a, client, year):
    for person in (tenant_a.employee, tenant_a.manager):
        response = client.get(feed_of(person))
        events = feed_events(response)
        assert "meet.example.com" not in response.content.decode()
        event = events[f"conversation-{year['eva'].pk}@helder"]
        assert "LOCATION" not in event
        assert str(event["SUMMARY"]).startswith("Planningsgesprek")  # title, time and purpose are still there
        assert event.decoded("DTSTART").astimezone(UTC) == datetime.datetime(2027, 3, 29, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("who", ["employee", "manager"])
def test_the_conversation_page_still_shows_the_video_link_to_its_two_people(tenant_a, year, who):
    page = client_for(getattr(tenant_a, who)).get(
        url("cycles:conversation_detail", tenant_a.organization, conversation_id=year["eva"].pk)
    )
    assert page.status_code == 200
    assert VIDEO_LINK in page.content.decode().replace("&amp;", "&").replace("&#x3D;", "=")


# --- a retired address stays dead --------------------------------------------------------------


def reactivate(employee):
    Employee.objects.filter(pk=employee.pk).update(is_active=True, deactivated_at=None)


@pytest.mark.parametrize("signal", [person_deactivated, membership_moved])
def test_a_retired_address_stays_404_after_reactivation_and_the_person_gets_a_new_one(tenant_a, client, year, signal):
    old = services.feed_for(employee=tenant_a.employee).token
    assert client.get(feed_url(old)).status_code == 200
    Employee.objects.filter(pk=tenant_a.employee.pk).update(is_active=False)
    signal.send(sender=Employee, organization_id=tenant_a.organization.pk, employee_id=tenant_a.employee.pk)
    reactivate(tenant_a.employee)
    assert_anonymous_refused(client, feed_url(old), 404)
    new = services.feed_for(employee=tenant_a.employee).token
    assert new != old
    assert client.get(feed_url(new)).status_code == 200


def test_retiring_one_persons_address_leaves_everyone_elses(tenant_a, tenant_b, client, year):
    mark = services.feed_for(employee=tenant_a.manager).token
    theirs = services.feed_for(employee=tenant_b.employee).token
    services.feed_for(employee=tenant_a.employee)
    person_deactivated.send(sender=Employee, organization_id=tenant_a.organization.pk, employee_id=tenant_a.employee.pk)
    assert set(CalendarFeed.objects.values_list("token", flat=True)) == {mark, theirs}
    assert client.get(feed_url(mark)).status_code == 200


def test_deactivating_and_reactivating_through_the_people_services_retires_the_address(tenant_a, client, year):
    from organizations import services as people

    old = services.feed_for(employee=tenant_a.employee).token
    people.person_deactivate(employee=tenant_a.employee, actor=tenant_a.hr)
    people.person_reactivate(employee=tenant_a.employee)
    assert_anonymous_refused(client, feed_url(old), 404)
    assert client.get(feed_of(tenant_a.employee)).status_code == 200
