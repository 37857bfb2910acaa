"""One date style per language, messages included (config/formats): day first, the month written out, 24 hours."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from cycles import bounds

DAY = datetime.date(2026, 11, 25)
AT = datetime.datetime(2026, 12, 14, 15, 0)


@pytest.mark.parametrize(
    ("language", "day", "moment", "time"),
    [
        ("nl", "25 november 2026", "14 december 2026, 15:00", "15:00"),
        ("en", "25 November 2026", "14 December 2026, 15:00", "15:00"),
    ],
)
def test_dates_and_times_read_the_same_way_in_every_template_and_message(language, day, moment, time):
    template = Template(
        '{{ day|date }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ at|date:"DATETIME_FORMAT" }}|{{ at|time }}'
    )
    with translation.override(language):
        shown = template.render(Context({"day": DAY, "at": AT}))
        message = bounds.reach_message(DAY, DAY)

    assert shown == f"{day}|{day}|{moment}|{time}"
    assert day in message and "2026-11-25" not in message
