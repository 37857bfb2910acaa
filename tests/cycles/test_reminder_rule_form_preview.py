"""What each reminder rule sends next, on HR's reminder page and a rule's own page, or why it sends nothing yet.

An active cycle's preview reads the planned reminders (what will really go out, counted per send); a cycle
being prepared works the dates out from the moments' windows ("would send"). Dates and times are the
organisation's (Europe/Amsterdam), on both sides of a daylight-saving change.
"""

import datetime

import pytest
import time_machine

from cycles.models import ConversationState, CycleStatus, ReminderAnchor
from cycles.planning import reminders_plan
from cycles.reminder_rules import reminder_rules_default
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import assert_flat_queries, client_for, url

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
JANUARY = datetime.datetime(2027, 1, 15, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(JANUARY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cycle(tenant_a):
    """The active 2027 cycle with a June window (closing Wednesday 30 June), Eva's conversation, the default rules."""
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, name_en="Progress talk", name_nl="Voortgangsgesprek")
    ConversationFactory(moment=moment, employee=tenant_a.employee)
    reminder_rules_default(cycle=cycle)
    reminders_plan(cycle=cycle)
    return cycle


def reminders_page(client, cycle):
    return client.get(url("cycles:reminders", cycle.organization, cycle_id=cycle.pk))


def previews(response):
    """{(anchor, offset): preview} of the page's rules."""
    return {(p.rule.anchor, p.rule.offset_days): p for p in response.context["previews"]}


def shown(preview):
    """A preview's sends as the page words them: (local date and time, about, how many)."""
    return [
        (
            datetime.datetime.strftime(send.due_at.astimezone(preview.rule.organization.zone), "%Y-%m-%d %H:%M"),
            send.about,
            send.reminders,
        )
        for send in preview.sends
    ]


def schedule(tenant, moment, days):
    """A report of Mark's for each day of ``days``, their conversation scheduled at 10:00 UTC on 2027-06-<day>."""
    for day in days:
        person = EmployeeFactory(organization=tenant.organization, manager=tenant.manager)
        ConversationFactory(
            moment=moment,
            employee=person,
            state=ConversationState.SCHEDULED,
            scheduled_at=datetime.datetime(2027, 6, day, 10, tzinfo=UTC),
        )


# An active cycle: read from the planned reminders


def test_the_page_shows_what_each_rule_sends_next(tenant_a, hr, cycle):
    response = reminders_page(hr, cycle)
    rules = previews(response)
    opens = rules[(ReminderAnchor.WINDOW_OPENS, 0)]
    # Eva about her conversation and Mark about the moment: one send of two reminders, 09:00 in summer time.
    assert shown(opens) == [("2027-06-01 09:00", "Progress talk", "2 reminders")]
    assert not opens.would and opens.more == ""
    closes = rules[(ReminderAnchor.WINDOW_CLOSES, -7)]
    assert shown(closes) == [("2027-06-23 09:00", "Progress talk", "1 reminder")]
    digest = rules[(ReminderAnchor.OVERDUE_WEEKLY, 0)]
    # The day after the window closes is Thursday 1 July; the digest goes out on Mondays, to the one HR admin.
    assert shown(digest)[:2] == [
        ("2027-07-05 09:00", "Overdue conversations, week of 5 July 2027", "1 reminder"),
        ("2027-07-12 09:00", "Overdue conversations, week of 12 July 2027", "1 reminder"),
    ]
    assert len(digest.sends) == 5 and digest.more == "And 21 more planned reminders after these."
    page = response.content.decode()
    assert "What each rule sends next" in page and "Planned, soonest first:" in page
    assert "1 June 2027, 09:00</strong> · Progress talk · 2 reminders" in page
    assert "To: The employee and the manager" in page and "To: HR admins" in page


def test_conversation_reminders_are_counted_per_day_soonest_first(tenant_a, hr, cycle):
    schedule(tenant_a, cycle.moments.get(), [3, 3, 4, 7, 8, 9, 10, 11])
    reminders_plan(cycle=cycle)
    two_days = previews(reminders_page(hr, cycle))[(ReminderAnchor.CONVERSATION, -2)]
    # Each conversation reminds its person and Mark; two conversations on 3 June make four reminders on 1 June.
    assert shown(two_days) == [
        ("2027-06-01 09:00", "Scheduled conversations", "4 reminders"),
        ("2027-06-02 09:00", "Scheduled conversations", "2 reminders"),
        ("2027-06-05 09:00", "Scheduled conversations", "2 reminders"),
        ("2027-06-06 09:00", "Scheduled conversations", "2 reminders"),
        ("2027-06-07 09:00", "Scheduled conversations", "2 reminders"),
    ]
    assert two_days.more == "And 4 more planned reminders after these."


def test_a_rule_with_nothing_planned_says_why(tenant_a, hr, cycle):
    conversation = cycle.moments.get().conversations.get()
    conversation.state = ConversationState.HELD
    conversation.save(update_fields=["state"])
    reminders_plan(cycle=cycle)
    rules = previews(reminders_page(hr, cycle))
    assert rules[(ReminderAnchor.WINDOW_OPENS, 0)].why_none == (
        "Nobody in its audience: no conversation of its windows is still open."
    )
    assert rules[(ReminderAnchor.WINDOW_CLOSES, -7)].why_none == (
        "Nobody in its audience: every conversation of its windows has been scheduled, held or cancelled."
    )
    assert rules[(ReminderAnchor.CONVERSATION, -14)].why_none == (
        "Nothing planned: no scheduled conversation lies ahead. It is planned as conversations are scheduled."
    )
    assert rules[(ReminderAnchor.REQUEST_MADE, 0)].why_none == (
        "Nothing waiting: it goes out the moment a colleague is asked for an observation."
    )
    assert rules[(ReminderAnchor.REQUEST_DUE, -2)].why_none == (
        "Nothing planned: no observation request is waiting for an answer."
    )
    assert all(not preview.sends for key, preview in rules.items() if key[0] != ReminderAnchor.OVERDUE_WEEKLY)


def test_when_all_its_dates_have_passed_the_rule_says_so(tenant_a, cycle, clock):
    clock.move_to(datetime.datetime(2027, 6, 10, 12, tzinfo=UTC))
    hr = client_for(tenant_a.hr)  # a new login: January's session has expired
    reminders_plan(cycle=cycle)
    rules = previews(reminders_page(hr, cycle))
    assert rules[(ReminderAnchor.WINDOW_CLOSES, -7)].sends  # 23 June is still ahead
    opens = rules[(ReminderAnchor.WINDOW_OPENS, 0)]
    # The 1 June reminders went out or were missed; none is planned and its date has passed.
    opens.rule.reminders.filter(status="planned").update(status="sent", sent_at=JANUARY)
    assert previews(reminders_page(hr, cycle))[(ReminderAnchor.WINDOW_OPENS, 0)].why_none == (
        "All its dates have passed: it sends nothing more in this cycle."
    )


def test_a_switched_off_rule_and_a_closed_cycle_send_nothing(hr, cycle):
    rule = cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS)
    rule.enabled = False
    rule.save(update_fields=["enabled"])
    assert previews(reminders_page(hr, cycle))[(ReminderAnchor.WINDOW_OPENS, 0)].why_none == (
        "This rule is switched off: it sends nothing."
    )
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    page = reminders_page(hr, cycle)
    assert {preview.why_none for preview in page.context["previews"]} == {
        "The cycle is closed: this rule sends nothing more."
    }


# A cycle being prepared: worked out from the windows


@pytest.fixture
def draft(tenant_a):
    """A 2027 cycle being prepared, with windows in March (winter time) and in October (summer time)."""
    draft = CycleFactory(organization=tenant_a.organization, name="2027")
    MomentFactory(
        cycle=draft,
        name_en="Planning talk",
        opens_on=datetime.date(2027, 3, 1),
        closes_on=datetime.date(2027, 3, 26),
    )
    MomentFactory(
        cycle=draft,
        name_en="Assessment talk",
        opens_on=datetime.date(2027, 10, 4),
        closes_on=datetime.date(2027, 10, 29),
    )
    reminder_rules_default(cycle=draft)
    return draft


def test_a_draft_shows_the_dates_its_rules_would_send_on(hr, draft):
    response = reminders_page(hr, draft)
    rules = previews(response)
    opens = rules[(ReminderAnchor.WINDOW_OPENS, 0)]
    assert opens.would
    # 09:00 in Amsterdam on both sides of the change to summer time (28 March 2027); no counts before activation.
    assert shown(opens) == [("2027-03-01 09:00", "Planning talk", ""), ("2027-10-04 09:00", "Assessment talk", "")]
    assert [send.due_at for send in opens.sends] == [
        datetime.datetime(2027, 3, 1, 8, tzinfo=UTC),
        datetime.datetime(2027, 10, 4, 7, tzinfo=UTC),
    ]
    closes = rules[(ReminderAnchor.WINDOW_CLOSES, -7)]
    assert [when for when, _about, _count in shown(closes)] == ["2027-03-19 09:00", "2027-10-22 09:00"]
    digest = rules[(ReminderAnchor.OVERDUE_WEEKLY, 0)]
    # From the day after the first window closes (Saturday 27 March): Mondays, 09:00 in summer time.
    assert shown(digest)[0] == ("2027-03-29 09:00", "Overdue conversations, week of 29 March 2027", "")
    assert len(digest.sends) == 5
    assert rules[(ReminderAnchor.CONVERSATION, -14)].why_none == (
        "No dates yet: once the cycle is active, it is planned for each conversation as it is scheduled."
    )
    assert rules[(ReminderAnchor.REQUEST_DUE, -2)].why_none == (
        "No dates yet: once the cycle is active, it is planned for each observation request that waits for an answer."
    )
    page = response.content.decode()
    assert "Would send on these dates once the cycle is active:" in page
    assert "1 March 2027, 09:00</strong> · Planning talk</li>" in page


def test_a_drafts_past_dates_and_a_draft_without_moments_say_why(tenant_a, draft, clock):
    clock.move_to(datetime.datetime(2027, 3, 10, 12, tzinfo=UTC))
    hr = client_for(tenant_a.hr)  # a new login: January's session has expired
    opens = previews(reminders_page(hr, draft))[(ReminderAnchor.WINDOW_OPENS, 0)]
    assert shown(opens) == [("2027-10-04 09:00", "Assessment talk", "")]  # March's has passed
    empty = CycleFactory(organization=tenant_a.organization, name="2028")
    reminder_rules_default(cycle=empty)
    assert previews(reminders_page(hr, empty))[(ReminderAnchor.WINDOW_OPENS, 0)].why_none == (
        "The cycle has no moments yet, so this rule has no dates."
    )
    clock.move_to(datetime.datetime(2028, 2, 1, 12, tzinfo=UTC))
    hr = client_for(tenant_a.hr)
    assert previews(reminders_page(hr, draft))[(ReminderAnchor.WINDOW_OPENS, 0)].why_none == (
        "All its dates have passed: it sends nothing more in this cycle."
    )


def test_a_rules_own_page_shows_what_it_sends_next(hr, cycle):
    rule = cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS)
    response = hr.get(url("cycles:reminder_rule_edit", cycle.organization, cycle_id=cycle.pk, rule_id=rule.pk))
    assert shown(response.context["preview"]) == [("2027-06-01 09:00", "Progress talk", "2 reminders")]
    page = response.content.decode()
    assert "What this rule sends next" in page and page.count("<h1") == 1


def test_the_preview_reads_dutch_for_a_dutch_reader(tenant_a, cycle):
    hr = client_for(tenant_a.hr, language="nl")
    page = reminders_page(hr, cycle).content.decode()
    assert "Wat elke regel als eerste verstuurt" in page
    assert "1 juni 2027, 09:00</strong> · Voortgangsgesprek · 2 herinneringen" in page
    assert "Aan: HR-beheerders" in page and "Gesprekken over tijd, week van 5 juli 2027" in page


# Query counts: flat in the number of people, planned sends and moments


def test_the_reminders_page_with_previews_is_flat_in_people_and_sends(tenant_a, hr, cycle):
    moment = cycle.moments.get()

    def build(numbers):
        schedule(tenant_a, moment, [2 + number % 28 for number in numbers])
        reminders_plan(cycle=cycle)

    response = assert_flat_queries(lambda: reminders_page(hr, cycle), build, few=2, many=40)
    two_days = previews(response)[(ReminderAnchor.CONVERSATION, -2)]
    assert len(two_days.sends) == 5 and two_days.planned == 80


def test_a_drafts_reminders_page_is_flat_in_moments(tenant_a, hr, draft):
    def build(numbers):
        for number in numbers:
            day = datetime.date(2027, 1, 1) + datetime.timedelta(days=7 * number)
            MomentFactory(cycle=draft, opens_on=day, closes_on=day + datetime.timedelta(days=5))

    response = assert_flat_queries(lambda: reminders_page(hr, draft), build, few=2, many=40)
    assert len(previews(response)[(ReminderAnchor.WINDOW_OPENS, 0)].sends) == 5
