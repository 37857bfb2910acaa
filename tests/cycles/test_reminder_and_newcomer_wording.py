"""Wording a user tester found on the reminders page and the newcomers confirmation, in English and Dutch.

- A rule's description (its preview heading, the hidden names of its buttons, the remove page's title) reads as one
  sentence-case phrase: "When the window opens, on the day", not "…, On the day" or "… · On the day".
- The reminders page writes a date with a time as the rest of Helder does (DATETIME_FORMAT): "1 June 2027, 09:00".
- Adding one person says what that person gets, by name, not "Each gets"; moments are listed with "and".

Dutch is asserted from the compiled catalogue (locale/), as the pages read it.
"""

import datetime
import html

import pytest
import time_machine
from django.utils.translation import override

from cycles.models import CycleStatus, ReminderAnchor, ReminderAudience, ReminderRule
from cycles.planning import reminders_plan
from cycles.reminder_rules import reminder_rules_default
from cycles.rule_preview import description, timing
from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import client_for, url

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC
JANUARY = datetime.datetime(2027, 1, 15, 12, tzinfo=UTC)  # the 2027 cycle is active, its June window ahead
JUNE = datetime.datetime(2027, 6, 1, 10, tzinfo=UTC)  # March and April have closed; June and September are open


def text(response):
    return html.unescape(response.content.decode())


# --- 1 and 2: the reminders page -------------------------------------------------------------------------------


@pytest.fixture
def cycle(tenant_a):
    """The active 2027 cycle in January: a June window (1–30 June), Eva's conversation, the default rules, planned."""
    with time_machine.travel(JANUARY, tick=False):
        cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
        moment = MomentFactory(cycle=cycle, name_en="Progress talk", name_nl="Voortgangsgesprek")
        ConversationFactory(moment=moment, employee=tenant_a.employee)
        reminder_rules_default(cycle=cycle)
        reminders_plan(cycle=cycle)
        yield cycle


def reminders_page(client, cycle):
    return text(client.get(url("cycles:reminders", cycle.organization, cycle_id=cycle.pk) + "?status=planned"))


def delete_page(client, rule):
    address = url("cycles:reminder_rule_delete", rule.organization, cycle_id=rule.cycle_id, rule_id=rule.pk)
    return text(client.get(address))


def opens_rule(cycle):
    return cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS)


def test_a_rules_description_reads_as_one_phrase_in_english(tenant_a, cycle):
    page = reminders_page(client_for(tenant_a.hr), cycle)
    assert "When the window opens, on the day</h3>" in page
    assert "When the window closes, if not yet scheduled, 7 days before</h3>" in page
    assert "Weekly, while conversations are overdue, every Monday</h3>" in page
    assert "When a colleague is asked for an observation, as soon as it is made</h3>" in page
    assert '<span class="visually-hidden"> When the window opens, on the day</span>' in page
    assert ", On the day" not in page and " · On the day" not in page and ", Every Monday" not in page
    # Alone, in the rules table's "When" column, the timing keeps its capital.
    assert "<td>On the day</td>" in page and "<td>Every Monday</td>" in page


def test_the_remove_page_names_the_rule_in_one_phrase_in_english(tenant_a, cycle):
    page = delete_page(client_for(tenant_a.hr), opens_rule(cycle))
    assert "Remove the reminder rule “When the window opens, on the day”" in page


def test_a_weekday_keeps_its_capital_inside_the_phrase_in_english(tenant_a, cycle):
    """Lower-case msgids rather than .lower(): "every Friday", not "every friday"."""
    friday = ReminderRule(
        organization=tenant_a.organization,
        cycle=cycle,
        anchor=ReminderAnchor.OVERDUE_WEEKLY,
        offset_days=4,
        time_of_day=datetime.time(9),
        audience=ReminderAudience.HR,
    )
    with override("en"):
        assert timing(friday) == "Every Friday"
        assert description(friday) == "Weekly, while conversations are overdue, every Friday"


def test_a_rules_description_reads_as_one_phrase_in_dutch(tenant_a, cycle):
    page = reminders_page(client_for(tenant_a.hr, language="nl"), cycle)
    assert "Als de periode begint, op de dag zelf</h3>" in page
    assert "Wekelijks, zolang gesprekken over tijd zijn, elke maandag</h3>" in page
    assert "Als een collega om een observatie wordt gevraagd, zodra het gedaan is</h3>" in page
    assert ", Op de dag zelf" not in page and ", Elke maandag" not in page and "· Zodra het gedaan is" not in page
    assert "<td>Op de dag zelf</td>" in page


def test_the_remove_page_names_the_rule_in_one_phrase_in_dutch(tenant_a, cycle):
    page = delete_page(client_for(tenant_a.hr, language="nl"), opens_rule(cycle))
    assert "Herinneringsregel “Als de periode begint, op de dag zelf” verwijderen" in page


def test_the_page_writes_a_date_with_a_time_as_the_rest_of_helder_in_english(tenant_a, cycle):
    page = reminders_page(client_for(tenant_a.hr), cycle)
    # The window opens on 1 June 2027, 09:00 in Amsterdam: in the log (planned tab) and in the rule's preview.
    assert "<td>1 June 2027, 09:00" in page
    assert "<strong>1 June 2027, 09:00</strong> · Progress talk" in page
    assert "2027 09:00" not in page
    rule = opens_rule(cycle)
    edit = url("cycles:reminder_rule_edit", cycle.organization, cycle_id=cycle.pk, rule_id=rule.pk)
    form = text(client_for(tenant_a.hr).get(edit))
    assert "<strong>1 June 2027, 09:00</strong>" in form


def test_the_page_writes_a_date_with_a_time_as_the_rest_of_helder_in_dutch(tenant_a, cycle):
    page = reminders_page(client_for(tenant_a.hr, language="nl"), cycle)
    assert "<td>1 juni 2027, 09:00" in page
    assert "<strong>1 juni 2027, 09:00</strong> · Voortgangsgesprek" in page
    assert "2027 09:00" not in page


# --- 3: adding newcomers to a running cycle --------------------------------------------------------------------


@pytest.fixture
def running(tenant_a):
    """The active 2027 cycle on 1 June 2027: March and April have closed, June and September are open. Only Eva
    has her conversations; Hanna, Mark and Olaf are newcomers."""
    with time_machine.travel(JUNE, tick=False):
        cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
        for opens_on, closes_on, name_en, name_nl in (
            (D(2027, 3, 1), D(2027, 3, 31), "Kick-off", "Aftrap"),
            (D(2027, 4, 1), D(2027, 4, 30), "Check-in", "Tussenstand"),
            (D(2027, 6, 1), D(2027, 6, 30), "Planning talk", "Planningsgesprek"),
            (D(2027, 9, 1), D(2027, 9, 30), "Progress talk", "Voortgangsgesprek"),
        ):
            moment = MomentFactory(
                cycle=cycle, opens_on=opens_on, closes_on=closes_on, name_en=name_en, name_nl=name_nl
            )
            ConversationFactory(moment=moment, employee=tenant_a.employee)
        yield cycle


def confirmation(client, cycle, person=None):
    address = url("cycles:newcomers_add", cycle.organization, cycle_id=cycle.pk)
    return text(client.get(f"{address}?person={person.pk}" if person else address))


def test_newcomers_one_person_is_told_what_they_get_by_name_in_english(tenant_a, running):
    page = confirmation(client_for(tenant_a.hr), running, tenant_a.outsider)
    assert (
        f"{tenant_a.outsider.full_name} gets one conversation for each moment whose window has not closed: "
        "Planning talk and Progress talk." in page
    )
    assert "Each gets" not in page
    assert "No conversations are created for Kick-off and Check-in: their windows have closed" in page


def test_newcomers_one_person_and_one_open_moment_in_english(tenant_a, running):
    running.moments.get(name_en="Planning talk").delete()
    page = confirmation(client_for(tenant_a.hr), running, tenant_a.outsider)
    assert (
        f"{tenant_a.outsider.full_name} gets one conversation for the moment whose window has not closed: "
        "Progress talk." in page
    )


def test_newcomers_all_of_them_are_still_each_and_three_moments_take_commas_and_and(tenant_a, running):
    MomentFactory(cycle=running, opens_on=D(2027, 11, 1), closes_on=D(2027, 11, 30), name_en="Review talk")
    page = confirmation(client_for(tenant_a.hr), running)
    assert (
        "Each gets one conversation for each moment whose window has not closed: "
        "Planning talk, Progress talk and Review talk." in page
    )


def test_newcomers_a_single_newcomer_of_the_cycle_is_named_too(tenant_a, running):
    for person in (tenant_a.hr, tenant_a.manager):
        ConversationFactory(moment=running.moments.last(), employee=person)
    page = confirmation(client_for(tenant_a.hr), running)
    assert "This creates 2 conversations for 1 person." in page
    assert f"{tenant_a.outsider.full_name} gets one conversation for each moment" in page and "Each gets" not in page


def test_newcomers_moments_are_joined_with_en_in_dutch(tenant_a, running):
    """ "and" is Django's own msgid too, so "en" holds before Helder's catalogue is compiled again."""
    page = confirmation(client_for(tenant_a.hr, language="nl"), running, tenant_a.outsider)
    assert "Planningsgesprek en Voortgangsgesprek." in page
    assert "Aftrap en Tussenstand" in page
    assert "Planningsgesprek, Voortgangsgesprek" not in page


def test_newcomers_one_person_is_told_what_they_get_by_name_in_dutch(tenant_a, running):
    page = confirmation(client_for(tenant_a.hr, language="nl"), running, tenant_a.outsider)
    assert (
        f"{tenant_a.outsider.full_name} krijgt één gesprek voor elk moment waarvan de periode nog niet gesloten is: "
        "Planningsgesprek en Voortgangsgesprek." in page
    )
    assert "Iedereen krijgt" not in page
