"""Every page bench/pages.py measures makes as many queries in a small organisation as in one eight times larger.

Both are the large demo (home.large_demo) under two addresses: ``klein`` with 40 people in one team and ``middel``
with 320 in ten teams, each with an active cycle, observations, requests, self-reflections and reviews in every
state. The pages and who opens them are bench/pages.py's own list (bench.pages_site.pages), so a page added to the
bench is checked here too. Query counts stay flat in the organisation's size.
"""

import datetime
from collections import Counter

import pytest
from django.test import Client

from bench.pages_site.pages import pages_of
from cycles.models import Conversation
from home import large_demo
from reviews.models import Review, ReviewState
from tests.kit import _measure, _normalised, client_for

SMALL, LARGE = 40, 320
# The clock stands still in the assessment window of the template's cycle, so every state exists whenever this runs.
NOVEMBER_30_2027 = datetime.datetime(2027, 11, 30, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def late_november(time_machine):
    time_machine.move_to(NOVEMBER_30_2027, tick=False)


class ClientBrowser:
    """What pages_of asks of a browser, on the Django test client (logged in with force_login)."""

    def __init__(self, employee):
        self.client = client_for(employee) if employee is not None else None

    def run(self, path, headers=None):
        return (self.client or Client()).get(path, headers=headers)


@pytest.fixture
def pages(db, late_november):
    large_demo.seed(SMALL, slug="klein")
    large_demo.seed(LARGE, slug="middel")
    return pages_of(ClientBrowser, {"small": "klein", "large": "middel"})


def test_every_page_makes_as_many_queries_at_both_sizes(pages):
    by_name = {}
    for page in pages:
        if page.path.startswith("/bench/"):
            continue  # the bare page exists only on the bench's own server
        queries, _response = _measure(lambda page=page: page.browser.run(page.path, page.headers))
        by_name.setdefault(page.name, {})[page.size] = queries
    differ = []
    for name, sizes in by_name.items():
        small, large = sizes["small"], sizes["large"]
        if len(small) != len(large):
            before, after = Counter(map(_normalised, small)), Counter(map(_normalised, large))
            changed = [
                f"    {before[sql]} -> {after[sql]}: {sql}" for sql in before | after if before[sql] != after[sql]
            ]
            differ.append(f"  {name}: {len(small)} queries with {SMALL} people, {len(large)} with {LARGE}")
            differ.extend(changed)
    assert len(by_name) >= 20
    assert not differ, "Query counts that grow with the organisation:\n" + "\n".join(differ)


def test_the_large_demo_is_made_once_in_every_state(db, late_november):
    assert large_demo.seed(SMALL, slug="klein") > 0
    assert large_demo.seed(SMALL, slug="klein") == 0  # idempotent
    with pytest.raises(ValueError, match="already has 40 people"):
        large_demo.seed(LARGE, slug="klein")
    assert set(Review.objects.values_list("state", flat=True)) == set(ReviewState.values)
    assert {"held", "scheduled", "to_schedule"} <= set(Conversation.objects.values_list("state", flat=True))
