"""The calendar feed's body is kept while nothing it shows has changed (cycles.views_calendar, core.cache): a second
fetch builds nothing, and a conversation scheduled, cancelled or added, or a window moved, shows at the next fetch."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles import services
from tests.factories import ConversationFactory, EmployeeFactory
from tests.kit import feed_events, feed_of, kept_in_cache

from .test_calendar_feed import year  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def kept(settings):
    with kept_in_cache(settings, "FEED_CACHE_SECONDS"):
        yield


def fetch(client, employee):
    address = feed_of(employee)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_fetch_reads_the_kept_feed(tenant_a, client, year, kept):  # noqa: F811
    first, built = fetch(client, tenant_a.manager)
    again, read = fetch(client, tenant_a.manager)
    assert again.content == first.content
    assert read == 2 < built  # the feed by its token, and the fingerprint of its conversations


def test_what_a_manager_does_shows_at_the_next_fetch(tenant_a, client, year, kept):  # noqa: F811
    manager, eva = tenant_a.manager, year["eva"]
    uid = f"conversation-{eva.pk}@helder"
    fetch(client, manager)
    services.conversation_schedule(conversation=eva, day=D(2027, 3, 30), at=datetime.time(14, 0), location="")
    moved = feed_events(fetch(client, manager)[0])[uid]
    assert moved.decoded("DTSTART").date() == D(2027, 3, 30)
    services.conversation_cancel(conversation=moved_conversation(eva))
    assert str(feed_events(fetch(client, manager)[0])[uid]["STATUS"]) == "CANCELLED"
    newcomer = EmployeeFactory(organization=tenant_a.organization, manager=manager)
    added = ConversationFactory(moment=year["progress"], employee=newcomer)
    services.conversation_schedule(conversation=added, day=D(2027, 6, 2), at=datetime.time(9, 0), location="")
    assert f"conversation-{added.pk}@helder" in feed_events(fetch(client, manager)[0])


def moved_conversation(conversation):
    conversation.refresh_from_db()
    return conversation


def test_a_moved_window_shows_at_the_next_fetch(tenant_a, client, year, kept):  # noqa: F811
    uid = f"moment-{year['planning'].pk}@helder"
    assert int(feed_events(fetch(client, tenant_a.employee)[0])[uid]["SEQUENCE"]) == 0
    services.moment_move(
        moment=year["planning"],
        opens_on=D(2027, 3, 8),
        closes_on=D(2027, 4, 7),
        reason="Spring holiday.",
        actor=tenant_a.hr,
    )
    assert int(feed_events(fetch(client, tenant_a.employee)[0])[uid]["SEQUENCE"]) == 1


def test_each_language_has_its_own_kept_feed(tenant_a, client, year, kept):  # noqa: F811
    employee = tenant_a.employee
    employee.user.language = "en"
    employee.user.save(update_fields=["language"])
    english = fetch(client, employee)[0]
    employee.user.language = "nl"
    employee.user.save(update_fields=["language"])
    dutch = fetch(client, employee)[0]
    assert "Planning talk" in english.content.decode() and "Planningsgesprek" in dutch.content.decode()
    assert "Planning talk" not in dutch.content.decode()
    # The header says the language the feed is written in, whatever the fetching program asked for.
    assert (english["Content-Language"], dutch["Content-Language"]) == ("en", "nl")
