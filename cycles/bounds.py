"""How far the dates people enter may reach: one place for the rule, used by the forms and the services alike.

Without bounds a cycle ending in 9027 planned 310,510 weekly digests, one ending
in 9999 overflowed the planner, and a conversation at 9999-12-31 23:30 made two
calendar feeds fail. So every date a person enters lies within
``YEARS_AROUND_TODAY`` years of today (in the active time zone: the
organisation's, inside a request); a cycle lasts at most ``MAX_CYCLE_YEARS``
years; a moment's window lies inside its cycle; a conversation lies inside its
cycle, give or take ``CONVERSATION_SLACK``. The forms check what they can see
(the reach), the services check everything, since the form is not the only door.

Each check returns a dict of field name to message (empty when the dates are
fine), so a form can add them to its fields and a service can raise them.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

YEARS_AROUND_TODAY = 5
MAX_CYCLE_YEARS = 2
# A conversation may fall a little before or after its cycle (a late assessment in January, an early planning
# talk in December); a month either side covers that without letting a typo in the year through.
CONVERSATION_SLACK = timedelta(days=30)


def years_from(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def reach(today: date | None = None) -> tuple[date, date]:
    """The first and last date anyone may enter today."""
    today = today or timezone.localdate()
    return years_from(today, -YEARS_AROUND_TODAY), years_from(today, YEARS_AROUND_TODAY)


def reach_message(earliest: date, latest: date) -> str:
    return _("Enter a date between %(earliest)s and %(latest)s (five years either side of today).") % {
        "earliest": date_format(earliest),
        "latest": date_format(latest),
    }


def within_reach(value: date | None) -> None:
    """A form field validator: refuses a date further than five years from today."""
    if value is None:
        return
    earliest, latest = reach()
    if not earliest <= value <= latest:
        raise ValidationError(reach_message(earliest, latest), code="out_of_reach")


def _reach_errors(**days: date | None) -> dict[str, str]:
    earliest, latest = reach()
    return {
        field: reach_message(earliest, latest)
        for field, day in days.items()
        if day is not None and not earliest <= day <= latest
    }


def cycle_errors(*, starts_on: date | None, ends_on: date | None) -> dict[str, str]:
    """A cycle starts and ends within reach, ends on or after it starts, and lasts at most two years."""
    errors = _reach_errors(starts_on=starts_on, ends_on=ends_on)
    if starts_on is None or ends_on is None or errors:
        return errors
    if ends_on < starts_on:
        errors["ends_on"] = _("The cycle ends before it starts.")
    elif ends_on >= years_from(starts_on, MAX_CYCLE_YEARS):
        errors["ends_on"] = _("A cycle lasts at most two years: let it end on or before %(latest)s.") % {
            "latest": date_format(years_from(starts_on, MAX_CYCLE_YEARS) - timedelta(days=1))
        }
    return errors


def window_errors(*, opens_on: date | None, closes_on: date | None) -> dict[str, str]:
    """A moment's window is within reach (inside its cycle is checked beside it, in services.moments.validate_moment).

    A cycle stored before these bounds existed may reach further than today's
    rule allows; its windows still may not.
    """
    return _reach_errors(opens_on=opens_on, closes_on=closes_on)


def conversation_range(cycle) -> tuple[date, date]:
    """The days a conversation of ``cycle`` may be scheduled on: the cycle with its slack, within reach."""
    earliest, latest = reach()
    return (
        max(cycle.starts_on - CONVERSATION_SLACK, earliest),
        min(cycle.ends_on + CONVERSATION_SLACK, latest),
    )


def conversation_errors(*, day: date, cycle) -> dict[str, str]:
    """A conversation is scheduled inside its cycle, or at most 30 days before or after it (and within reach)."""
    earliest, latest = conversation_range(cycle)
    if earliest <= day <= latest:
        return {}
    return {
        "date": _(
            "Choose a date between %(earliest)s and %(latest)s: during the cycle, or at most 30 days "
            "before or after it."
        )
        % {"earliest": date_format(earliest), "latest": date_format(latest)}
    }
