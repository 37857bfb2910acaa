"""Date arithmetic for planning that never raises on stored dates.

A ``date`` holds the years 1–9999 and so does a ``datetime`` in any zone:
adding a rule's offset to a window in 9999, or reading 23:30 UTC on
9999-12-31 in Tokyo, would raise ``OverflowError`` and take a whole cycle's
planning down with it. These helpers answer None instead, and pass a None on,
so the planner can leave that one reminder out and say so.
"""

import datetime


def due_utc(day: datetime.date | None, at: datetime.time, zone) -> datetime.datetime | None:
    """``day`` at ``at`` local time, in UTC. A time the clocks skip is read as the same wall time after the jump.

    None when there is no such moment: the day itself was out of range, or its conversion to UTC would leave
    the years 1–9999 (09:00 on 9999-12-31 west of UTC).
    """
    if day is None:
        return None
    try:
        return datetime.datetime.combine(day, at, tzinfo=zone).astimezone(datetime.UTC)
    except OverflowError:
        return None


def shift_days(day: datetime.date | None, days: int) -> datetime.date | None:
    """``day`` moved by ``days``; None past the first or last date a ``date`` can hold."""
    if day is None:
        return None
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return None


def local_day(moment: datetime.datetime, zone) -> datetime.date | None:
    """The local date of a stored UTC time; None when the zone's offset takes it past year 9999 (or before 1)."""
    try:
        return moment.astimezone(zone).date()
    except OverflowError:
        return None
