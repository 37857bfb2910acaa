"""A person's calendar feed as iCalendar text (RFC 5545), built with the ``icalendar`` package.

What the feed may hold is deliberately small: titles, times and the purpose.
No locations (a video link is a key to the meeting), agreements, notes or
ratings ever go in, because a calendar address is shared with calendar
providers, and anyone who has it can read the feed without logging in. The
location stays on the conversation page, for its two people, and in the
invitation attached to their own reminder emails (``conversation_invitation``).

The feed never fails on what is stored: an event further than ``FEED_YEARS``
from today (a row saved before the date bounds of cycles.bounds existed, such
as a conversation at 9999-12-31 23:30, whose end or time-zone rules would not
fit in a datetime) is left out rather than answered with a 500.

- Each moment window the person has a conversation for is an all-day event
  (``DTSTART;VALUE=DATE``, ``DTEND`` the day after the window closes), UID
  ``moment-<id>@helder``, SEQUENCE the number of times HR moved the window.
- Each scheduled (or held, or cancelled after scheduling) conversation is a
  one-hour timed event in the organisation's zone (``DTSTART;TZID=...``), UID
  ``conversation-<id>@helder``, SEQUENCE ``conversation.sequence`` (the services
  raise it when the time moves or the conversation is cancelled). Cancelled
  conversations stay in the feed with ``STATUS:CANCELLED`` so calendars drop them.
"""

import datetime
from collections.abc import Iterable, Mapping

import icalendar
from django.utils import timezone

from organizations.models import Employee

from .models import Conversation, ConversationState

PRODID = "-//Helder//Cycle calendar//EN"
CONVERSATION_LENGTH = datetime.timedelta(hours=1)
# Twice the reach of the dates people may enter (cycles.bounds), so every event entered under the bounds stays in
# the feed for years after, while the VTIMEZONE (the zone's rules for every year covered) stays a few kilobytes.
FEED_YEARS = 10


def moment_uid(moment) -> str:
    return f"moment-{moment.pk}@helder"


def conversation_uid(conversation) -> str:
    return f"conversation-{conversation.pk}@helder"


def build_feed(
    *,
    employee: Employee,
    conversations: Iterable[Conversation],
    moment_sequences: Mapping[int, int] | None = None,
) -> bytes:
    """The feed of ``employee``: their moment windows and the scheduled conversations in ``conversations``.

    ``conversations`` is ``selectors.feed_conversations(employee=...)`` (own and, for a manager, their
    reports'); call inside the language the feed is read in. Pure: no queries beyond what was fetched.
    """
    organization = employee.organization
    zone = organization.zone
    moment_sequences = moment_sequences or {}

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Helder – {organization.name}")
    calendar.add("x-wr-timezone", organization.time_zone)

    earliest, latest = _horizon()
    windows = {}
    events = []
    for conversation in conversations:
        moment = conversation.moment
        own = conversation.employee_id == employee.pk
        if own and moment.pk not in windows and earliest <= moment.opens_on <= moment.closes_on <= latest:
            windows[moment.pk] = _window_event(moment, moment_sequences.get(moment.pk, 0))
        when = conversation.scheduled_at
        if when is not None and earliest <= when.astimezone(datetime.UTC).date() <= latest:
            events.append(_conversation_event(conversation, own=own, zone=zone, with_location=False))

    calendar.add_component(_vtimezone(organization.time_zone, [*windows.values(), *events]))
    for event in [*windows.values(), *events]:
        calendar.add_component(event)
    return calendar.to_ical()


def _horizon() -> tuple[datetime.date, datetime.date]:
    """The days the feed covers: FEED_YEARS either side of today, far from the edges of year 1 and 9999."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=366 * FEED_YEARS), today + datetime.timedelta(days=366 * FEED_YEARS)


def _vtimezone(tzid: str, events: list) -> icalendar.Timezone:
    """The zone's rules for the years the feed covers (a year either side), so the feed stays small."""
    days = [event.decoded("dtstart") for event in events]
    days = [day.date() if isinstance(day, datetime.datetime) else day for day in days] or [timezone.localdate()]
    year = datetime.timedelta(days=366)
    return icalendar.Timezone.from_tzid(tzid, first_date=min(days) - year, last_date=max(days) + year)


def _stamp(value: datetime.datetime | None) -> datetime.datetime:
    return (value or timezone.now()).astimezone(datetime.UTC)


def _window_event(moment, sequence: int) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", moment_uid(moment))
    event.add("dtstamp", _stamp(moment.cycle.activated_at or moment.cycle.created_at))
    event.add("sequence", sequence)
    event.add("summary", moment.local_name)
    event.add("dtstart", moment.opens_on)
    event.add("dtend", moment.closes_on + datetime.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a window is not a busy block
    if moment.local_purpose:
        event.add("description", moment.local_purpose)
    return event


def _conversation_event(conversation: Conversation, *, own: bool, zone, with_location: bool) -> icalendar.Event:
    moment = conversation.moment
    summary = moment.local_name if own else f"{moment.local_name} – {conversation.employee.full_name}"
    event = icalendar.Event()
    event.add("uid", conversation_uid(conversation))
    event.add("dtstamp", _stamp(conversation.updated_at))
    event.add("sequence", conversation.sequence)
    event.add("summary", summary)
    event.add("dtstart", conversation.scheduled_at.astimezone(zone))
    event.add("duration", CONVERSATION_LENGTH)
    if conversation.state == ConversationState.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    if moment.local_purpose:
        event.add("description", moment.local_purpose)
    if with_location and conversation.location:
        event.add("location", conversation.location)
    return event


def conversation_invitation(conversation: Conversation, *, own: bool) -> bytes:
    """One scheduled conversation as a calendar file to attach to a reminder (``METHOD:PUBLISH``).

    The event is the feed's own (same UID and SEQUENCE), so a calendar that
    imports the attachment and also subscribes to the feed keeps one event and
    updates it when the conversation moves. ``own`` is False for the manager,
    whose title names the employee. Unlike the feed it carries the location: the email goes to
    one of the conversation's two people only. Call inside the recipient's language.
    """
    organization = conversation.organization
    event = _conversation_event(conversation, own=own, zone=organization.zone, with_location=True)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_vtimezone(organization.time_zone, [event]))
    calendar.add_component(event)
    return calendar.to_ical()
