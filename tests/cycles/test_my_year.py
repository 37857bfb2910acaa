"""'My year': every moment of the person's active cycle with its conversation, and the calendar feed address."""

import datetime

import pytest
import time_machine

from cycles import services
from cycles.models import CalendarFeed, ConversationState, CycleStatus, MomentKind
from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import (
    assert_anonymous_refused,
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    client_for,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def cycle(tenant_a):
    return CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)


def add_moments(cycle, employee, count, start=0):
    conversations = []
    for index in range(start, start + count):
        day = datetime.date(2027, 1, 4) + datetime.timedelta(days=7 * index)
        moment = MomentFactory(
            cycle=cycle,
            name_en=f"Moment {index:02d}",
            opens_on=day,
            closes_on=day + datetime.timedelta(days=5),
        )
        conversations.append(ConversationFactory(moment=moment, employee=employee))
    return conversations


# The door


def test_another_organisations_member_gets_404(tenant_a, tenant_b, client):
    assert_other_organisation_gets_404(client, tenant_b.employee, url("cycles:my_year", tenant_a.organization))
    regenerate = url("cycles:feed_regenerate", tenant_a.organization)
    assert_other_organisation_gets_404(client, tenant_b.employee, regenerate, "post")


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_every_role_sees_their_year(tenant_a, role):
    assert client_for(tenant_a.member(role)).get(url("cycles:my_year", tenant_a.organization)).status_code == 200


def test_the_outsider_without_manager_or_team_sees_their_year_too(tenant_a, outsider):
    assert outsider.get(url("cycles:my_year", tenant_a.organization)).status_code == 200


def test_the_wrong_method_gets_405(tenant_a, employee):
    assert_method_not_allowed(employee, url("cycles:my_year", tenant_a.organization), ["post", "delete"])
    # A GET of feed_regenerate is its confirmation page (tests/cycles/test_cycle_confirmations.py).
    assert_method_not_allowed(employee, url("cycles:feed_regenerate", tenant_a.organization), ["put", "delete"])
    assert not CalendarFeed.objects.exists()


def test_logged_out_visitors_are_sent_to_log_in(tenant_a, client):
    response = assert_anonymous_refused(client, url("cycles:my_year", tenant_a.organization), 302)
    assert "login" in response["Location"]


# The page


def test_my_year_lists_every_moment_in_order_with_what_matters(tenant_a, employee, cycle):
    late = MomentFactory(
        cycle=cycle,
        kind=MomentKind.ASSESSMENT,
        name_en="Assessment talk",
        purpose_en="Rating and what it means.",
        preparation_employee_en="Reread your observations.",
        produces_rating=True,
        opens_on=datetime.date(2027, 11, 1),
        closes_on=datetime.date(2027, 11, 30),
    )
    early = MomentFactory(
        cycle=cycle,
        kind=MomentKind.PLANNING,
        name_en="Planning talk",
        purpose_en="Agree expectations.",
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 3, 31),
    )
    ConversationFactory(moment=late, employee=tenant_a.employee)
    planned = ConversationFactory(moment=early, employee=tenant_a.employee)
    services.conversation_schedule(
        conversation=planned, day=datetime.date(2027, 3, 29), at=datetime.time(10, 0), location="Room 4"
    )
    other = MomentFactory(cycle=cycle, name_en="Someone else's talk")
    ConversationFactory(moment=other, employee=tenant_a.manager)

    response = employee.get(url("cycles:my_year", tenant_a.organization))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1>") == 1
    assert page.index("Planning talk") < page.index("Assessment talk")
    assert "Someone else&#x27;s talk" not in page and "Someone else's talk" not in page
    assert "Agree expectations." in page and "Rating and what it means." in page
    assert "Reread your observations." in page
    assert "Produces a rating" in page
    # 10:00 in Amsterdam (08:00 UTC), shown in the organisation's zone.
    assert "10:00" in page and "Room 4" in page
    assert "Not scheduled yet" in page


def test_agreements_show_once_the_conversation_was_held(tenant_a, employee, cycle):
    (conversation,) = add_moments(cycle, tenant_a.employee, 1)
    assert "Agreements" not in employee.get(url("cycles:my_year", tenant_a.organization)).content.decode()
    services.conversation_hold(conversation=conversation, agreements="Lead the Friday stand-up.")
    page = employee.get(url("cycles:my_year", tenant_a.organization)).content.decode()
    assert "Lead the Friday stand-up." in page


@time_machine.travel(datetime.datetime(2027, 7, 15, 9, tzinfo=UTC), tick=False)
def test_an_overdue_conversation_is_flagged(tenant_a, cycle):
    add_moments(cycle, tenant_a.employee, 1)  # window in January 2027
    # Logged in now, in July 2027: a session from before the travel would have expired.
    page = client_for(tenant_a.employee).get(url("cycles:my_year", tenant_a.organization)).content.decode()
    assert "badge-bad" in page and "Overdue" in page


def test_a_draft_cycle_does_not_show_and_a_closed_one_stays_readable(tenant_a, employee):
    # Which of several cycles shows first, and the links to the others: tests/cycles/test_calendar_cycle_choice.py.
    draft = MomentFactory(
        cycle=CycleFactory(organization=tenant_a.organization, status=CycleStatus.DRAFT), name_en="Hidden draft"
    )
    ConversationFactory(moment=draft, employee=tenant_a.employee)
    page = employee.get(url("cycles:my_year", tenant_a.organization)).content.decode()
    assert "Hidden draft" not in page
    assert "There is no active cycle with conversations for you yet." in page
    closed = MomentFactory(
        cycle=CycleFactory(organization=tenant_a.organization, status=CycleStatus.CLOSED), name_en="Last year"
    )
    ConversationFactory(moment=closed, employee=tenant_a.employee)
    page = employee.get(url("cycles:my_year", tenant_a.organization)).content.decode()
    assert "Hidden draft" not in page and "Last year" in page


def test_the_feed_address_is_created_on_first_visit_and_shown(tenant_a, employee):
    page = employee.get(url("cycles:my_year", tenant_a.organization)).content.decode()
    feed = CalendarFeed.objects.get(employee=tenant_a.employee)
    address = f"http://testserver/calendar/{feed.token}.ics"
    assert f'value="{address}"' in page and "readonly" in page
    assert '<label for="feed-url">' in page
    assert "Subscribe from web" in page and "From URL" in page
    employee.get(url("cycles:my_year", tenant_a.organization))
    assert CalendarFeed.objects.get(employee=tenant_a.employee).token == feed.token


def test_regenerating_replaces_the_address(tenant_a, employee):
    employee.get(url("cycles:my_year", tenant_a.organization))
    old = CalendarFeed.objects.get(employee=tenant_a.employee).token
    other_feed = services.feed_for(employee=tenant_a.manager)

    response = employee.post(url("cycles:feed_regenerate", tenant_a.organization), {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(url("cycles:my_year", tenant_a.organization), 302)]
    new = CalendarFeed.objects.get(employee=tenant_a.employee).token
    assert new != old and len(new) >= 40
    page = response.content.decode()
    assert new in page and old not in page
    [message] = shown_messages(response)
    assert "The old one no longer works" in message
    assert CalendarFeed.objects.get(pk=other_feed.pk).token == other_feed.token
    assert CalendarFeed.objects.count() == 2


def test_regenerating_before_any_visit_creates_the_feed(tenant_a, employee):
    response = employee.post(url("cycles:feed_regenerate", tenant_a.organization), {"confirm": "yes"})
    assert response.status_code == 302
    assert CalendarFeed.objects.filter(employee=tenant_a.employee).count() == 1


# Queries


def test_the_query_count_is_the_same_for_2_and_7_moments(tenant_a, employee, cycle):
    my_year = url("cycles:my_year", tenant_a.organization)
    employee.get(my_year)  # creates the feed: the measured visits only read

    def add_moments_in_every_state(numbers):
        """One moment per number, its conversation scheduled, held or still to schedule, and others' beside it."""
        mine = add_moments(cycle, tenant_a.employee, len(numbers), start=numbers.start)
        for number, conversation in zip(numbers, mine, strict=True):
            if number % 3 == 0:
                services.conversation_schedule(
                    conversation=conversation, day=conversation.moment.opens_on, at=datetime.time(14), location="Teams"
                )
            elif number % 3 == 1:
                services.conversation_hold(conversation=conversation, agreements="Agreed.")
        # Other people's conversations in the same cycle change nothing either.
        for conversation in add_moments(cycle, tenant_a.manager, len(numbers), start=20 + numbers.start):
            assert conversation.state == ConversationState.TO_SCHEDULE

    response = assert_flat_queries(lambda: employee.get(my_year), add_moments_in_every_state, few=2, many=7)
    assert len(response.context["conversations"]) == 7
