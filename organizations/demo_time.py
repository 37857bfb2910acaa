"""When things happen in the demos: on working days, in working hours, on the quarter hour, in local time.

The demos (seed_demo and the large demo) date conversations, observations, reviews and suggestions relative to
today. A date a fixed number of days away can fall on a Saturday, and "now minus two days" carries the time the
seed ran (19:32:46.5 on a Sunday); nobody holds a conversation then. These helpers move such dates and times to
where an organisation works: Monday to Friday, 08:00 to 18:00 in its own time zone, on a quarter hour.
Plain functions without queries, so the large demo can call them for every row.
"""

from datetime import date, datetime, time, timedelta

DAY_STARTS = time(8, 0)
DAY_ENDS = time(18, 0)
# Conversations start between 08:30 and 16:00 (a quarter-hour grid) and last an hour, so they end by 17:00.
FIRST_START = 8 * 60 + 30
START_SLOTS = (16 * 60 - FIRST_START) // 15 + 1

MONTHS_NL = "januari februari maart april mei juni juli augustus september oktober november december".split()


def is_workday(day: date) -> bool:
    return day.weekday() < 5


def workday_on_or_after(day: date) -> date:
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def workday_on_or_before(day: date) -> date:
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def workday_between(day: date, first: date, last: date) -> date | None:
    """The working day nearest ``day`` (later first) within ``first`` … ``last``; None when the span has none."""
    day = min(max(day, first), last)
    later = workday_on_or_after(day)
    if later <= last:
        return later
    earlier = workday_on_or_before(day)
    return earlier if earlier >= first else None


def start_time(number: int) -> time:
    """A conversation's start for the ``number``-th person: 08:30 … 16:00 on a quarter hour, spread."""
    minutes = FIRST_START + 15 * ((number * 7) % START_SLOTS)
    return time(minutes // 60, minutes % 60)


def at(day: date, clock: time, zone) -> datetime:
    """``day`` at ``clock`` in ``zone`` (working hours never fall in a daylight-saving gap)."""
    return datetime.combine(day, clock, tzinfo=zone)


def working_before(moment: datetime, zone) -> datetime:
    """The latest working quarter hour at or before ``moment``: a Saturday afternoon becomes Friday 17:45, 07:10
    the previous working day's 17:45, 14:37 becomes 14:30."""
    local = moment.astimezone(zone)
    day, clock = local.date(), local.time()
    if is_workday(day) and clock >= DAY_STARTS:
        if clock >= DAY_ENDS:
            return at(day, time(17, 45), zone)
        return at(day, time(clock.hour, clock.minute - clock.minute % 15), zone)
    return at(workday_on_or_before(day - timedelta(days=1)), time(17, 45), zone)


def day_month_nl(day: date) -> str:
    """A date as Dutch demo text writes it, without the year: "12 maart"."""
    return f"{day.day} {MONTHS_NL[day.month - 1]}"
