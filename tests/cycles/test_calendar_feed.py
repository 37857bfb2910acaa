"""The personal calendar feed (/calendar/<token>.ics): what it holds, how it reads back, and who can read it."""

import datetime
import zoneinfo

import icalendar
import pytest
import time_machine
from django.utils import timezone

from cycles import services
from cycles.models import CycleStatus, MomentChange
from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import (
    assert_anonymous_refused,
    assert_flat_queries,
    assert_method_not_allowed,
    client_for,
    feed_events,
    feed_of,
    feed_url,
    in_english,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
D = datetime.date


@pytest.fixture
def year(tenant_a):
    """An active cycle: Eva's planning talk scheduled on 29 March 2027 10:00 (the day after the clocks go forward)."""
    cycle = CycleFactory(
        organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE, activated_at=timezone.now()
    )
    planning = MomentFactory(
        cycle=cycle,
        name_nl="Planningsgesprek",
        name_en="Planning talk",
        purpose_nl="Verwachtingen afspreken.",
        purpose_en="Agree expectations.",
        preparation_employee_en="Secret preparation hint.",
        opens_on=D(2027, 3, 1),
        closes_on=D(2027, 3, 31),
    )
    progress = MomentFactory(
        cycle=cycle, name_en="Progress talk", purpose_en="Feedback.", opens_on=D(2027, 6, 1), closes_on=D(2027, 6, 30)
    )
    eva = ConversationFactory(moment=planning, employee=tenant_a.employee)
    services.conversation_schedule(conversation=eva, day=D(2027, 3, 29), at=datetime.time(10, 0), location="Room 4")
    ConversationFactory(moment=progress, employee=tenant_a.employee)
    mark = ConversationFactory(moment=planning, employee=tenant_a.manager)
    services.conversation_schedule(conversation=mark, day=D(2027, 3, 30), at=datetime.time(9, 0))
    olaf = ConversationFactory(moment=planning, employee=tenant_a.outsider)
    services.conversation_schedule(conversation=olaf, day=D(2027, 3, 31), at=datetime.time(11, 0))
    for conversation in (eva, mark, olaf):
        conversation.refresh_from_db()
    return {"cycle": cycle, "planning": planning, "progress": progress, "eva": eva, "mark": mark, "olaf": olaf}


def test_the_feed_parses_and_is_served_as_a_private_calendar(tenant_a, client, year):
    response = client.get(feed_of(tenant_a.employee))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Helder – Alfa BV"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"


def test_a_conversation_reads_back_at_its_local_time(tenant_a, client, year):
    event = feed_events(client.get(feed_of(tenant_a.employee)))[f"conversation-{year['eva'].pk}@helder"]
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    start = event.decoded("DTSTART")
    assert start.astimezone(AMSTERDAM).replace(tzinfo=None) == datetime.datetime(2027, 3, 29, 10, 0)
    assert start.astimezone(datetime.UTC).replace(tzinfo=None) == datetime.datetime(2027, 3, 29, 8, 0)
    assert event.decoded("DURATION") == datetime.timedelta(hours=1)
    assert str(event["SUMMARY"]) == "Planningsgesprek"  # the organisation's language: Dutch
    assert "LOCATION" not in event  # anyone with the address can read the feed: locations stay in Helder
    assert b"DTSTART;TZID=Europe/Amsterdam:20270329T100000" in event.to_ical()


def test_moment_windows_are_all_day_events(tenant_a, client, year):
    found = feed_events(client.get(feed_of(tenant_a.employee)))
    window = found[f"moment-{year['planning'].pk}@helder"]
    assert window.decoded("DTSTART") == D(2027, 3, 1)
    assert window.decoded("DTEND") == D(2027, 4, 1)  # the day after the window closes (DTEND is exclusive)
    assert b"DTSTART;VALUE=DATE:20270301" in window.to_ical()
    assert f"moment-{year['progress'].pk}@helder" in found
    # The progress talk is not scheduled: its window shows, no timed event.
    timed = [uid for uid in found if uid.startswith("conversation-")]
    assert timed == [f"conversation-{year['eva'].pk}@helder"]


def test_the_feed_speaks_the_persons_language(tenant_a, client, year):
    in_english(tenant_a.employee)
    event = feed_events(client.get(feed_of(tenant_a.employee)))[f"conversation-{year['eva'].pk}@helder"]
    assert str(event["SUMMARY"]) == "Planning talk"
    assert str(event["DESCRIPTION"]) == "Agree expectations."
    tenant_a.employee.user.language = ""
    tenant_a.employee.user.save(update_fields=["language"])
    event = feed_events(client.get(feed_of(tenant_a.employee)))[f"conversation-{year['eva'].pk}@helder"]
    assert str(event["SUMMARY"]) == "Planningsgesprek"  # no choice of their own: the organisation's Dutch
    tenant_a.organization.language = "en"
    tenant_a.organization.save(update_fields=["language"])
    event = feed_events(client.get(feed_of(tenant_a.employee)))[f"conversation-{year['eva'].pk}@helder"]
    assert str(event["SUMMARY"]) == "Planning talk"


def test_uids_are_stable_across_fetches(tenant_a, client, year):
    first = feed_events(client.get(feed_of(tenant_a.employee)))
    second = feed_events(client.get(feed_of(tenant_a.employee)))
    assert sorted(first) == sorted(second)
    assert len(first) == 3


def test_the_sequence_goes_up_when_a_conversation_moves(tenant_a, client, year):
    uid = f"conversation-{year['eva'].pk}@helder"
    before = feed_events(client.get(feed_of(tenant_a.employee)))[uid]
    services.conversation_schedule(
        conversation=year["eva"], day=D(2027, 3, 30), at=datetime.time(14, 0), location="Room 4"
    )
    after = feed_events(client.get(feed_of(tenant_a.employee)))[uid]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART").astimezone(AMSTERDAM).replace(tzinfo=None) == datetime.datetime(2027, 3, 30, 14)


def test_the_sequence_goes_up_when_a_window_moves(tenant_a, client, year):
    uid = f"moment-{year['planning'].pk}@helder"
    assert int(feed_events(client.get(feed_of(tenant_a.employee)))[uid]["SEQUENCE"]) == 0
    services.moment_move(
        moment=year["planning"], opens_on=D(2027, 3, 8), closes_on=D(2027, 4, 8), reason="Easter", actor=tenant_a.hr
    )
    assert MomentChange.objects.count() == 1
    window = feed_events(client.get(feed_of(tenant_a.employee)))[uid]
    assert int(window["SEQUENCE"]) == 1
    assert window.decoded("DTSTART") == D(2027, 3, 8) and window.decoded("DTEND") == D(2027, 4, 9)


def test_a_cancelled_conversation_is_marked_cancelled_with_a_higher_sequence(tenant_a, client, year):
    uid = f"conversation-{year['eva'].pk}@helder"
    before = feed_events(client.get(feed_of(tenant_a.employee)))[uid]
    services.conversation_cancel(conversation=year["eva"])
    after = feed_events(client.get(feed_of(tenant_a.employee)))[uid]
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1


def test_no_agreements_or_notes_go_into_the_feed(tenant_a, client, year):
    with time_machine.travel(datetime.datetime(2027, 3, 30, 9, tzinfo=datetime.UTC)):  # after it took place
        services.conversation_hold(conversation=year["eva"], agreements="Confidential: lead the stand-up.")
    body = client.get(feed_of(tenant_a.employee)).content.decode()
    assert "Confidential" not in body
    assert "Secret preparation hint" not in body
    assert "Room 4" not in body  # nor the location
    assert f"conversation-{year['eva'].pk}@helder" in body  # the held conversation itself still shows


def test_a_managers_feed_holds_their_reports_conversations_only(tenant_a, client, year):
    found = feed_events(client.get(feed_of(tenant_a.manager)))
    assert f"conversation-{year['mark'].pk}@helder" in found  # their own
    report = found[f"conversation-{year['eva'].pk}@helder"]  # Eva reports to Mark
    assert str(report["SUMMARY"]) == f"Planningsgesprek – {tenant_a.employee.full_name}"
    assert f"conversation-{year['olaf'].pk}@helder" not in found  # Olaf does not


def test_an_employees_feed_does_not_hold_their_managers_conversations(tenant_a, client, year):
    assert f"conversation-{year['mark'].pk}@helder" not in feed_events(client.get(feed_of(tenant_a.employee)))


def test_another_organisations_rows_never_show(tenant_a, tenant_b, client, year):
    theirs = MomentFactory(
        cycle=CycleFactory(organization=tenant_b.organization, status=CycleStatus.ACTIVE), name_nl="Bravo gesprek"
    )
    conversation = ConversationFactory(moment=theirs, employee=tenant_b.employee)
    services.conversation_schedule(conversation=conversation, day=D(2027, 6, 2), at=datetime.time(9))
    body = client.get(feed_of(tenant_a.manager)).content.decode()
    assert "Bravo gesprek" not in body


@pytest.mark.parametrize("token", ["unknown", "x" * 64, "x" * 300, "%00", "a%00" * 12, "a.b", "%C3%A9" * 20])
def test_an_unknown_token_gets_404(client, tenant_a, token):
    services.feed_for(employee=tenant_a.employee)
    assert_anonymous_refused(client, f"/calendar/{token}.ics", 404)


def test_a_regenerated_token_kills_the_old_address(tenant_a, client, year):
    old = services.feed_for(employee=tenant_a.employee).token
    assert client.get(feed_url(old)).status_code == 200
    new = services.feed_regenerate(employee=tenant_a.employee).token
    assert_anonymous_refused(client, feed_url(old), 404)
    assert client.get(feed_url(new)).status_code == 200


def test_a_deactivated_persons_token_gets_404(tenant_a, client, year):
    token = services.feed_for(employee=tenant_a.employee).token
    tenant_a.employee.is_active = False
    tenant_a.employee.save(update_fields=["is_active"])
    assert_anonymous_refused(client, feed_url(token), 404)


def test_the_feed_needs_no_login_and_ignores_who_is_logged_in(tenant_a, tenant_b, year):
    assert client_for(tenant_b.hr).get(feed_of(tenant_a.employee)).status_code == 200


def test_the_wrong_method_gets_405(tenant_a, client):
    assert_method_not_allowed(client, feed_of(tenant_a.employee), "post")


def test_the_feed_query_count_is_flat(tenant_a, client, year):
    address = feed_of(tenant_a.manager)

    def add_moments(numbers):
        """A September moment per number, with Mark's and his report Eva's conversations scheduled in it."""
        for index in numbers:
            moment = MomentFactory(cycle=year["cycle"], opens_on=D(2027, 9, 1 + index), closes_on=D(2027, 9, 20))
            for person in (tenant_a.manager, tenant_a.employee):
                conversation = ConversationFactory(moment=moment, employee=person)
                services.conversation_schedule(conversation=conversation, day=moment.opens_on, at=datetime.time(9))

    response = assert_flat_queries(lambda: client.get(address), add_moments, few=0, many=6)
    # Mark's own and Eva's: the planning talks of the year, and one each per September moment.
    assert sum(uid.startswith("conversation-") for uid in feed_events(response)) == 2 + 2 * 6
