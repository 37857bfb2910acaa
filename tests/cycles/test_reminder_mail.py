"""Reminder emails: what each kind says, in whose language and time zone, with which link and calendar file.

The Dutch catalogue does not have the reminder sentences yet (and .mo files
are not compiled for tests), so the Dutch tests assert on what Django and the
data already give in Dutch: month and day names, the date format, and the
organisation's and moment's names. Check the Dutch sentences once translated.
"""

import datetime
import itertools
import zoneinfo

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.core import mail as outbox
from django.utils import timezone

from cycles import ical, services
from cycles.dispatch import reminders_dispatch
from cycles.mail import reminder_message
from cycles.models import (
    Conversation,
    ConversationState,
    CycleStatus,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
    ReminderStatus,
)
from cycles.planning import reminders_plan
from cycles.reminder_rules import reminder_rules_default
from organizations.models import Employee, Role
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory, OrganizationFactory
from tests.kit import in_english, url

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
D = datetime.date
NINE = datetime.time(9, 0)
SECRET = "GEHEIME-AFSPRAAK-42"
keys = itertools.count()


def load(reminder):
    """The reminder as the dispatcher hands it over."""
    return Reminder.objects.select_related(
        "organization",
        "cycle",
        "rule",
        "recipient__user",
        "moment",
        "conversation__moment",
        "conversation__employee__user",
        "conversation__employee__manager",
    ).get(pk=reminder.pk)


def remind(cycle, recipient, anchor, audience, *, conversation=None, moment=None, occasion=None):
    rule = ReminderRule.objects.create(
        organization=cycle.organization, cycle=cycle, anchor=anchor, time_of_day=NINE, audience=audience
    )
    due = datetime.datetime(2027, 3, 1, 8, tzinfo=datetime.UTC)
    reminder = Reminder.objects.create(
        organization=cycle.organization,
        cycle=cycle,
        rule=rule,
        recipient=recipient,
        moment=moment,
        conversation=conversation,
        occasion=occasion,
        key=f"test-{next(keys)}",
        due_at=due,
        next_try_at=due,
    )
    return load(reminder)


def html_of(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def ics_of(message):
    (part,) = message.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename().endswith(".ics")
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


@pytest.fixture
def year(tenant_a):
    """Alfa BV's active cycle. Planning window 1–31 March 2027; Eva (reports to Mark) is scheduled on
    Monday 29 March 10:00 in room 4, the day after the clocks go forward; Bas (also Mark's) is not
    scheduled; Zoë reports to Mila, another manager."""
    organization = tenant_a.organization
    # Fixed names: a random one like "van 't Hek" would be escaped in the HTML and make assertions flaky.
    for person, last_name in ((tenant_a.employee, "Jansen"), (tenant_a.manager, "de Vries"), (tenant_a.hr, "Hendriks")):
        person.last_name = last_name
        person.save(update_fields=["last_name"])
    mila = EmployeeFactory(organization=organization, role=Role.MANAGER, first_name="Mila", last_name="Smit")
    bas = EmployeeFactory(organization=organization, manager=tenant_a.manager, first_name="Bas", last_name="Bakker")
    zoe = EmployeeFactory(organization=organization, manager=mila, first_name="Zoë", last_name="Visser")
    cycle = CycleFactory(organization=organization, name="2027", status=CycleStatus.ACTIVE, activated_at=timezone.now())
    planning = MomentFactory(
        cycle=cycle,
        name_nl="Planningsgesprek",
        name_en="Planning talk",
        purpose_nl="Verwachtingen afspreken voor het jaar.",
        purpose_en="Agree the expectations for the year.",
        preparation_employee_nl="Lees je verwachtingen door.",
        preparation_employee_en="Read your expectations.",
        preparation_manager_nl="Bekijk de observaties van je team.",
        preparation_manager_en="Look at the observations of your team.",
        opens_on=D(2027, 3, 1),
        closes_on=D(2027, 3, 31),
    )
    talks = {
        f"{person}_talk": ConversationFactory(moment=planning, employee=employee)
        for person, employee in {"eva": tenant_a.employee, "bas": bas, "zoe": zoe}.items()
    }
    eva = talks["eva_talk"]
    services.conversation_schedule(conversation=eva, day=D(2027, 3, 29), at=datetime.time(10, 0), location="Kamer 4")
    # Agreements can be written on a conversation before it is held; they must never reach a reminder.
    Conversation.objects.filter(pk=eva.pk).update(agreements=SECRET)
    eva.refresh_from_db()
    return {"cycle": cycle, "planning": planning, "mila": mila, "bas": bas, "zoe": zoe, **talks}


# The scheduled conversation


def test_the_conversation_reminder_in_dutch_names_the_day_time_and_place(tenant_a, year):
    reminder = remind(
        year["cycle"],
        tenant_a.employee,
        ReminderAnchor.CONVERSATION,
        ReminderAudience.BOTH,
        conversation=year["eva_talk"],
    )
    message = reminder_message(reminder)

    assert message.to == [tenant_a.employee.user.email]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Planningsgesprek" in message.subject
    assert "maandag 29 maart" in message.subject
    html = html_of(message)
    for body in (message.body, html):
        assert "Planningsgesprek" in body
        assert "maandag 29 maart 2027" in body
        assert "10:00" in body
        assert "Kamer 4" in body
        assert "Alfa BV" in body
        assert "Verwachtingen afspreken voor het jaar." in body
        assert "Lees je verwachtingen door." in body
        assert "Bekijk de observaties" not in body  # the manager's preparation is for the manager
        assert "Planning talk" not in body
    assert '<html lang="nl">' in html
    # Sentences ("You have your … with Mark …") get checked in Dutch once the catalogue has them.


def test_the_conversation_reminder_in_english(tenant_a, year):
    in_english(tenant_a.employee)
    reminder = remind(
        year["cycle"],
        tenant_a.employee,
        ReminderAnchor.CONVERSATION,
        ReminderAudience.BOTH,
        conversation=year["eva_talk"],
    )
    message = reminder_message(reminder)

    assert message.subject == "Planning talk on Monday 29 March at 10:00"
    html = html_of(message)
    for body in (message.body, html):
        assert (
            f"You have your Planning talk with {tenant_a.manager.full_name} on Monday 29 March 2027 at 10:00." in body
        )
        assert "Location: Kamer 4" in body
        assert "Agree the expectations for the year." in body
        assert "Read your expectations." in body
        assert "Alfa BV" in body
        assert "maart" not in body
    assert '<html lang="en">' in html


def test_the_manager_is_told_whose_conversation_it_is_and_how_they_prepare(tenant_a, year):
    in_english(tenant_a.manager)
    reminder = remind(
        year["cycle"],
        tenant_a.manager,
        ReminderAnchor.CONVERSATION,
        ReminderAudience.BOTH,
        conversation=year["eva_talk"],
    )
    message = reminder_message(reminder)

    eva = tenant_a.employee.full_name
    assert message.subject == f"Planning talk with {eva} on Monday 29 March at 10:00"
    assert f"You have the Planning talk with {eva} on Monday 29 March 2027 at 10:00." in message.body
    assert "Look at the observations of your team." in message.body
    assert "Read your expectations." not in message.body
    (event,) = ics_of(message).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Planning talk – {eva}"


def test_the_invitation_is_the_feeds_event_at_local_time_in_amsterdam(tenant_a, year):
    reminder = remind(
        year["cycle"],
        tenant_a.employee,
        ReminderAnchor.CONVERSATION,
        ReminderAudience.BOTH,
        conversation=year["eva_talk"],
    )
    calendar = ics_of(reminder_message(reminder))

    assert str(calendar["METHOD"]) == "PUBLISH"
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"
    (event,) = calendar.walk("VEVENT")
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Amsterdam"
    assert start.dt.replace(tzinfo=None) == datetime.datetime(2027, 3, 29, 10, 0)
    assert start.dt.astimezone(datetime.UTC) == datetime.datetime(2027, 3, 29, 8, 0, tzinfo=datetime.UTC)
    assert str(event["LOCATION"]) == "Kamer 4"
    # The same UID and SEQUENCE as in the calendar feed, so a calendar keeps one event and moves it.
    feed = icalendar.Calendar.from_ical(
        ical.build_feed(employee=tenant_a.employee, conversations=[year["eva_talk"]], moment_sequences={})
    )
    (in_feed,) = [item for item in feed.walk("VEVENT") if str(item["UID"]).startswith("conversation-")]
    assert str(event["UID"]) == str(in_feed["UID"]) == f"conversation-{year['eva_talk'].pk}@helder"
    assert event["SEQUENCE"] == in_feed["SEQUENCE"] == year["eva_talk"].sequence


def test_a_rescheduled_conversation_carries_the_raised_sequence(tenant_a, year):
    eva = year["eva_talk"]
    services.conversation_schedule(conversation=eva, day=D(2027, 3, 30), at=datetime.time(14, 30), location="Kamer 4")
    reminder = remind(
        year["cycle"], tenant_a.employee, ReminderAnchor.CONVERSATION, ReminderAudience.BOTH, conversation=eva
    )
    (event,) = ics_of(reminder_message(reminder)).walk("VEVENT")
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime.datetime(2027, 3, 30, 14, 30)


def test_times_are_in_the_organisations_zone_not_the_servers(db):
    organization = OrganizationFactory(slug="londen", name="London Ltd", language="en", time_zone="Europe/London")
    employee = EmployeeFactory(organization=organization, first_name="Liam")
    cycle = CycleFactory(organization=organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, name_en="Check-in", opens_on=D(2027, 1, 4), closes_on=D(2027, 1, 29))
    conversation = ConversationFactory(moment=moment, employee=employee)
    services.conversation_schedule(conversation=conversation, day=D(2027, 1, 11), at=datetime.time(9, 0))
    conversation.refresh_from_db()
    message = reminder_message(
        remind(cycle, employee, ReminderAnchor.CONVERSATION, ReminderAudience.BOTH, conversation=conversation)
    )

    assert "on Monday 11 January 2027 at 09:00." in message.body  # 10:00 in Amsterdam
    (event,) = ics_of(message).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/London"


def test_agreements_never_reach_the_mail_or_the_calendar_file(tenant_a, year):
    for recipient in (tenant_a.employee, tenant_a.manager):
        reminder = remind(
            year["cycle"], recipient, ReminderAnchor.CONVERSATION, ReminderAudience.BOTH, conversation=year["eva_talk"]
        )
        message = reminder_message(reminder)
        assert SECRET not in message.message().as_string()
        assert SECRET not in message.body
        assert SECRET not in html_of(message)
        assert SECRET.encode() not in message.attachments[0].get_payload(decode=True)


def test_the_message_has_text_html_and_the_calendar_file(tenant_a, year):
    reminder = remind(
        year["cycle"],
        tenant_a.employee,
        ReminderAnchor.CONVERSATION,
        ReminderAudience.BOTH,
        conversation=year["eva_talk"],
    )
    message = reminder_message(reminder).message()
    types = [part.get_content_type() for part in message.walk()]
    assert types == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"]


def test_the_link_points_at_the_conversation_on_the_site(tenant_a, year, settings):
    settings.SITE_URL = "https://helder.example/"
    reminder = remind(
        year["cycle"],
        tenant_a.employee,
        ReminderAnchor.CONVERSATION,
        ReminderAudience.BOTH,
        conversation=year["eva_talk"],
    )
    message = reminder_message(reminder)
    path = url("cycles:conversation_detail", tenant_a.organization, conversation_id=year["eva_talk"].pk)
    assert f"https://helder.example{path}" in message.body
    assert f'href="https://helder.example{path}"' in html_of(message)


def test_a_reminder_about_one_conversation_needs_no_queries_beyond_what_the_dispatcher_loaded(
    tenant_a, year, django_assert_num_queries
):
    for recipient, anchor, conversation in (
        (tenant_a.employee, ReminderAnchor.CONVERSATION, year["eva_talk"]),
        (tenant_a.manager, ReminderAnchor.CONVERSATION, year["eva_talk"]),
        (year["bas"], ReminderAnchor.WINDOW_OPENS, year["bas_talk"]),
        (year["bas"], ReminderAnchor.WINDOW_CLOSES, year["bas_talk"]),
    ):
        reminder = remind(year["cycle"], recipient, anchor, ReminderAudience.BOTH, conversation=conversation)
        with django_assert_num_queries(0):
            assert reminder_message(reminder) is not None, anchor


def test_a_conversation_that_is_no_longer_scheduled_gives_nothing_to_send(tenant_a, year):
    reminder = remind(
        year["cycle"],
        tenant_a.employee,
        ReminderAnchor.CONVERSATION,
        ReminderAudience.BOTH,
        conversation=year["bas_talk"],
    )
    assert reminder_message(reminder) is None


# The window, for the employee


def test_the_window_opening_says_what_it_is_for_and_how_to_prepare(tenant_a, year):
    in_english(year["bas"])
    reminder = remind(
        year["cycle"], year["bas"], ReminderAnchor.WINDOW_OPENS, ReminderAudience.BOTH, conversation=year["bas_talk"]
    )
    message = reminder_message(reminder)

    assert message.subject == "Planning talk: the window opens on 1 March"
    for body in (message.body, html_of(message)):
        assert (
            "The window for Planning talk opens on Monday 1 March 2027 and closes on Wednesday 31 March 2027." in body
        )
        assert f"{tenant_a.manager.full_name}, your manager, will schedule the conversation" in body
        assert "Agree the expectations for the year." in body
        assert "Read your expectations." in body
        assert "Look at the observations of your team." not in body
    assert settings.SITE_URL.rstrip("/") + url("cycles:my_year", tenant_a.organization) in message.body
    assert not message.attachments


def test_the_window_opening_in_dutch(tenant_a, year):
    reminder = remind(
        year["cycle"], year["bas"], ReminderAnchor.WINDOW_OPENS, ReminderAudience.BOTH, conversation=year["bas_talk"]
    )
    message = reminder_message(reminder)
    assert "Planningsgesprek" in message.subject
    assert "1 maart" in message.subject
    for body in (message.body, html_of(message)):
        assert "maandag 1 maart 2027" in body
        assert "woensdag 31 maart 2027" in body
        assert "Verwachtingen afspreken voor het jaar." in body
        assert "Lees je verwachtingen door." in body
        assert "Alfa BV" in body
    # Sentences get checked once the Dutch catalogue has them.


def test_the_window_closing_reminds_the_employee_who_is_not_scheduled(tenant_a, year):
    in_english(year["bas"])
    reminder = remind(
        year["cycle"],
        year["bas"],
        ReminderAnchor.WINDOW_CLOSES,
        ReminderAudience.EMPLOYEE,
        conversation=year["bas_talk"],
    )
    message = reminder_message(reminder)
    assert message.subject == "Planning talk: not scheduled yet, the window closes on 31 March"
    assert "Planning talk has not been scheduled yet, and its window closes on Wednesday 31 March 2027." in message.body


def test_the_window_closing_is_not_sent_for_a_scheduled_conversation(tenant_a, year):
    reminder = remind(
        year["cycle"],
        tenant_a.employee,
        ReminderAnchor.WINDOW_CLOSES,
        ReminderAudience.EMPLOYEE,
        conversation=year["eva_talk"],
    )
    assert reminder_message(reminder) is None


# The window, for managers


def test_the_managers_digest_lists_only_their_own_reports(tenant_a, year):
    in_english(tenant_a.manager)
    reminder = remind(
        year["cycle"], tenant_a.manager, ReminderAnchor.WINDOW_OPENS, ReminderAudience.BOTH, moment=year["planning"]
    )
    message = reminder_message(reminder)

    html = html_of(message)
    for body in (message.body, html):
        assert f"{tenant_a.employee.full_name}: Scheduled, Monday 29 March 2027 10:00" in body
        assert "Bas Bakker: To be scheduled" in body
        assert "Zoë Visser" not in body
        assert "Look at the observations of your team." in body
        assert "Read your expectations." not in body
    assert settings.SITE_URL.rstrip("/") + url("cycles:team_grid", tenant_a.organization) in message.body


def test_the_managers_closing_digest_lists_only_who_is_not_scheduled(tenant_a, year):
    in_english(tenant_a.manager)
    reminder = remind(
        year["cycle"], tenant_a.manager, ReminderAnchor.WINDOW_CLOSES, ReminderAudience.MANAGER, moment=year["planning"]
    )
    message = reminder_message(reminder)
    assert message.subject == "Planning talk: 1 conversation not scheduled yet, the window closes on 31 March"
    assert "Bas Bakker" in message.body
    assert tenant_a.employee.full_name not in message.body


def test_an_empty_digest_is_not_sent(tenant_a, year):
    services.conversation_schedule(conversation=year["bas_talk"], day=D(2027, 3, 30), at=datetime.time(9, 0))
    reminder = remind(
        year["cycle"], tenant_a.manager, ReminderAnchor.WINDOW_CLOSES, ReminderAudience.MANAGER, moment=year["planning"]
    )
    assert reminder_message(reminder) is None
    # Olaf manages nobody: nothing to say when a window opens either.
    reminder = remind(
        year["cycle"], tenant_a.outsider, ReminderAnchor.WINDOW_OPENS, ReminderAudience.BOTH, moment=year["planning"]
    )
    assert reminder_message(reminder) is None


def test_the_digest_leaves_out_people_who_left(tenant_a, year):
    Employee.objects.filter(pk=year["bas"].pk).update(is_active=False)
    reminder = remind(
        year["cycle"], tenant_a.manager, ReminderAnchor.WINDOW_CLOSES, ReminderAudience.MANAGER, moment=year["planning"]
    )
    assert reminder_message(reminder) is None


def test_the_digest_takes_the_same_queries_for_2_and_12_reports(tenant_a, year, django_assert_num_queries):
    def one_query_for_the_digest():
        reminder = remind(
            year["cycle"],
            tenant_a.manager,
            ReminderAnchor.WINDOW_OPENS,
            ReminderAudience.BOTH,
            moment=year["planning"],
        )
        with django_assert_num_queries(1):
            assert reminder_message(reminder) is not None

    one_query_for_the_digest()
    for index in range(10):
        report = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager, last_name=f"R{index}")
        ConversationFactory(moment=year["planning"], employee=report)
    one_query_for_the_digest()


# The weekly overdue digest


def test_the_overdue_digest_lists_conversations_whose_window_closed(tenant_a, year):
    in_english(tenant_a.hr)
    held = ConversationFactory(moment=year["planning"], employee=tenant_a.outsider)
    services.conversation_hold(conversation=held)
    later = MomentFactory(
        cycle=year["cycle"], name_en="Progress talk", opens_on=D(2027, 6, 1), closes_on=D(2027, 6, 30)
    )
    ConversationFactory(moment=later, employee=tenant_a.employee)
    reminder = remind(
        year["cycle"], tenant_a.hr, ReminderAnchor.OVERDUE_WEEKLY, ReminderAudience.HR, occasion=D(2027, 4, 5)
    )
    message = reminder_message(reminder)

    assert message.subject == "2027: 3 conversations overdue"
    html = html_of(message)
    for body in (message.body, html):
        assert "On Monday 5 April 2027, 3 conversations in 2027 are overdue" in body
        assert "Planning talk" in body
        for name in (tenant_a.employee.full_name, "Bas Bakker", "Zoë Visser", "Mila Smit", tenant_a.manager.full_name):
            assert name in body
        assert tenant_a.outsider.full_name not in body  # held
        assert "Progress talk" not in body  # its window is still to come
        assert SECRET not in body
    assert "- Planning talk: 3" in message.body


def test_the_overdue_digest_names_at_most_50_and_counts_the_rest(tenant_a, year, django_assert_num_queries):
    for index in range(50):
        report = EmployeeFactory(organization=tenant_a.organization, last_name=f"Aaq{index:02d}")
        ConversationFactory(moment=year["planning"], employee=report)
    in_english(tenant_a.hr)
    reminder = remind(
        year["cycle"], tenant_a.hr, ReminderAnchor.OVERDUE_WEEKLY, ReminderAudience.HR, occasion=D(2027, 4, 5)
    )
    with django_assert_num_queries(2):
        message = reminder_message(reminder)
    assert "53 conversations in 2027 are overdue" in message.body
    assert "And 3 more." in message.body
    assert message.body.count("Aaq") == 50
    assert "Bas Bakker" not in message.body


def test_no_overdue_digest_before_any_window_closed_or_when_all_were_held(tenant_a, year):
    reminder = remind(
        year["cycle"], tenant_a.hr, ReminderAnchor.OVERDUE_WEEKLY, ReminderAudience.HR, occasion=D(2027, 3, 31)
    )
    assert reminder_message(reminder) is None
    with time_machine.travel(datetime.datetime(2027, 4, 5, 9, tzinfo=datetime.UTC)):  # after they took place
        for conversation in (year["eva_talk"], year["bas_talk"], year["zoe_talk"]):
            services.conversation_hold(conversation=conversation)
    reminder = remind(
        year["cycle"], tenant_a.hr, ReminderAnchor.OVERDUE_WEEKLY, ReminderAudience.HR, occasion=D(2027, 4, 5)
    )
    assert reminder_message(reminder) is None


# The dispatcher


def test_the_dispatcher_sends_what_the_planner_planned(tenant_a, year):
    reminder_rules_default(cycle=year["cycle"])
    reminders_plan(cycle=year["cycle"])
    opening = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=AMSTERDAM)

    tick = reminders_dispatch(now=opening)

    recipients = sorted(message.to[0] for message in outbox.outbox)
    expected = [tenant_a.manager, year["mila"], year["bas"], year["zoe"], tenant_a.employee]
    assert recipients == sorted(person.user.email for person in expected)
    assert tick.sent == len(expected)
    assert all(message.alternatives and "Planningsgesprek" in message.subject for message in outbox.outbox)
    sent = Reminder.objects.filter(status=ReminderStatus.SENT, rule__anchor=ReminderAnchor.WINDOW_OPENS)
    assert sent.count() == len(expected)


def test_the_dispatcher_skips_a_digest_with_nothing_left_to_say(tenant_a, year):
    services.conversation_schedule(conversation=year["bas_talk"], day=D(2027, 3, 30), at=datetime.time(9, 0))
    reminder = remind(
        year["cycle"], tenant_a.manager, ReminderAnchor.WINDOW_CLOSES, ReminderAudience.MANAGER, moment=year["planning"]
    )
    tick = reminders_dispatch(now=reminder.due_at)
    assert tick.skipped == 1
    assert not outbox.outbox
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SKIPPED


def test_the_dispatcher_sends_the_conversation_reminder_with_its_calendar_file(tenant_a, year):
    reminder = remind(
        year["cycle"],
        tenant_a.employee,
        ReminderAnchor.CONVERSATION,
        ReminderAudience.BOTH,
        conversation=year["eva_talk"],
    )
    tick = reminders_dispatch(now=reminder.due_at + datetime.timedelta(minutes=1))
    assert tick.sent == 1
    (message,) = outbox.outbox
    assert message.to == [tenant_a.employee.user.email]
    assert ics_of(message).walk("VEVENT")
    assert ConversationState.SCHEDULED == Conversation.objects.get(pk=year["eva_talk"].pk).state
