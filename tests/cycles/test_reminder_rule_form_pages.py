"""HR's form for one reminder rule: a number of days before or after its anchor, or the weekly digest's weekday.

The rule stores one signed number (days from the anchor, negative before it; for the digest the weekday, 0 is
Monday); the form asks for what it means and works the number out, and shows a stored rule as it was saved.
"""

import datetime
import re

import pytest
import time_machine

from cycles.models import CycleStatus, Reminder, ReminderAnchor, ReminderAudience, ReminderRule, ReminderStatus
from cycles.planning import reminders_plan
from cycles.reminder_rules import reminder_rules_default
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    bound_form,
    client_for,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
JANUARY = datetime.datetime(2027, 1, 15, 12, tzinfo=UTC)  # the 2027 cycle is active, its June window still ahead


@pytest.fixture(autouse=True)
def _january():
    with time_machine.travel(JANUARY, tick=False):
        yield


@pytest.fixture
def cycle(tenant_a):
    """The active 2027 cycle with a June window, the employee's conversation and the default rules, planned."""
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, name_en="Progress talk", name_nl="Voortgangsgesprek")
    ConversationFactory(moment=moment, employee=tenant_a.employee)
    reminder_rules_default(cycle=cycle)
    reminders_plan(cycle=cycle)
    return cycle


def rule_of(cycle, anchor, offset=None):
    rules = cycle.reminder_rules.filter(anchor=anchor)
    return rules.get(offset_days=offset) if offset is not None else rules.get()


def create_url(cycle):
    return url("cycles:reminder_rule_create", cycle.organization, cycle_id=cycle.pk)


def edit_url(rule):
    return url("cycles:reminder_rule_edit", rule.organization, cycle_id=rule.cycle_id, rule_id=rule.pk)


def window_rule(**changes):
    """A rule three days before the window opens, to the employee, at 08:15: what HR posts."""
    data = {
        "anchor": "window_opens",
        "days": "3",
        "direction": "before",
        "time_of_day": "08:15",
        "audience": "employee",
        "enabled": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def digest_rule(**changes):
    data = {"anchor": "overdue_weekly", "weekday": "2", "time_of_day": "09:00", "audience": "hr", "enabled": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def as_posted(form):
    """What a browser posts back for an untouched form: each shown field's initial value."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "enabled":
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.strftime("%H:%M") if isinstance(value, datetime.time) else str(value)
    return data


# The door: another organisation's member → 404, no role → 403, wrong method → 405


def pages(cycle):
    rule = rule_of(cycle, ReminderAnchor.WINDOW_OPENS)
    return [
        ("get", create_url(cycle)),
        ("post", create_url(cycle)),
        ("get", edit_url(rule)),
        ("post", edit_url(rule)),
    ]


@pytest.mark.parametrize("index", range(4))
def test_another_organisations_member_gets_404(client, stranger, cycle, index):
    method, address = pages(cycle)[index]
    assert_other_organisation_gets_404(client, stranger, address, method, window_rule() if method == "post" else None)


@pytest.mark.parametrize("role", ["manager", "employee"])
@pytest.mark.parametrize("index", range(4))
def test_a_member_without_the_hr_role_gets_403(tenant_a, client, cycle, role, index):
    method, address = pages(cycle)[index]
    assert_role_forbidden(client, tenant_a.member(role), address, method, window_rule() if method == "post" else None)


@pytest.mark.parametrize("index", [0, 2])
def test_the_wrong_method_gets_405(hr, cycle, index):
    assert_method_not_allowed(hr, pages(cycle)[index][1], ["put", "delete"])


def test_the_overdue_lists_own_rule_is_not_hrs_to_edit(tenant_a, hr, cycle):
    """The rule behind HR's "Remind" button on the overdue list is made by that list: not listed, not offered."""
    nudges = ReminderRule.objects.create(
        organization=tenant_a.organization,
        cycle=cycle,
        anchor=ReminderAnchor.OVERDUE_NUDGE,
        time_of_day=datetime.time(9),
        audience=ReminderAudience.MANAGER,
    )
    with assert_nothing_changes():
        assert hr.get(edit_url(nudges)).status_code == 404
        response = hr.post(create_url(cycle), window_rule(anchor="overdue_nudge", audience="manager"))
    assert field_error(response, "anchor").startswith("Select a valid choice.")
    page = hr.get(url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk)).content.decode()
    assert edit_url(nudges) not in page and 'value="overdue_nudge"' not in hr.get(create_url(cycle)).content.decode()


# What the form shows for each kind of rule


def test_a_rule_before_its_anchor_shows_as_days_before(hr, cycle):
    rule = rule_of(cycle, ReminderAnchor.CONVERSATION, -14)
    response = hr.get(edit_url(rule))
    page = response.content.decode()
    assert re.search(r'<input type="number" name="days" value="14"[^>]*min="0"', page)
    assert re.search(r'<input type="radio" name="direction" value="before"[^>]*checked', page)
    assert "Before the conversation" in page and "After the conversation" in page
    assert 'name="weekday"' not in page  # the weekday is the digest's alone
    assert 'name="offset_days"' not in page and "-14" not in page


def test_the_weekly_digest_shows_its_weekday_and_no_days(hr, cycle):
    rule = rule_of(cycle, ReminderAnchor.OVERDUE_WEEKLY)
    page = hr.get(edit_url(rule)).content.decode()
    assert re.search(r'<select name="weekday"[^>]*>', page)
    assert re.search(r'<option value="0" selected>Monday</option>', page)
    assert "Sunday" in page and "The day of the week the digest goes out." in page
    assert 'name="days"' not in page and 'name="direction"' not in page


def test_the_request_made_rule_has_nothing_to_count(hr, cycle):
    page = hr.get(edit_url(rule_of(cycle, ReminderAnchor.REQUEST_MADE))).content.decode()
    assert 'name="days"' not in page and 'name="weekday"' not in page
    assert "This reminder goes out as soon as the request is made: there are no days to choose." in page


def test_a_new_rule_shows_both_and_says_which_is_for_what(hr, cycle):
    page = hr.get(create_url(cycle)).content.decode()
    assert 'name="days"' in page and 'name="direction"' in page and 'name="weekday"' in page
    assert "Not for the weekly digest. 0 is on the day itself." in page
    assert "Only for the weekly digest: the day of the week it goes out." in page
    assert "Before it" in page and "After it" in page


@pytest.mark.parametrize(
    ("anchor", "offset"),
    [
        (ReminderAnchor.WINDOW_OPENS, 0),
        (ReminderAnchor.WINDOW_CLOSES, -7),
        (ReminderAnchor.CONVERSATION, -14),
        (ReminderAnchor.CONVERSATION, -2),
        (ReminderAnchor.OVERDUE_WEEKLY, 0),
        (ReminderAnchor.REQUEST_MADE, 0),
        (ReminderAnchor.REQUEST_DUE, -2),
    ],
)
def test_saving_a_rule_as_the_form_shows_it_changes_nothing(hr, cycle, anchor, offset):
    """Every stored rule round-trips: the form's values, posted back unchanged, give the same rule."""
    rule = rule_of(cycle, anchor, offset)
    before = ReminderRule.objects.values().get(pk=rule.pk)
    form = bound_form(hr.get(edit_url(rule)))
    response = hr.post(edit_url(rule), as_posted(form))
    assert response.status_code == 302, bound_form(response).errors
    assert ReminderRule.objects.values().get(pk=rule.pk) == before


def test_days_after_and_the_digests_weekday_round_trip(hr, cycle):
    rule = rule_of(cycle, ReminderAnchor.WINDOW_CLOSES)
    hr.post(edit_url(rule), window_rule(anchor="window_closes", days="5", direction="after", audience="manager"))
    rule.refresh_from_db()
    assert rule.offset_days == 5
    page = hr.get(edit_url(rule)).content.decode()
    assert 'name="days" value="5"' in page
    assert re.search(r'<input type="radio" name="direction" value="after"[^>]*checked', page)
    assert "After the window closes" in page

    digest = rule_of(cycle, ReminderAnchor.OVERDUE_WEEKLY)
    hr.post(edit_url(digest), digest_rule(weekday="6"))
    digest.refresh_from_db()
    assert digest.offset_days == 6
    assert re.search(r'<option value="6" selected>Sunday</option>', hr.get(edit_url(digest)).content.decode())


# Bad input: a translated message at the field, nothing saved


BAD = [
    (
        window_rule(days="-7"),
        "days",
        "Enter the number of days without a minus sign, and choose before or after below.",
    ),
    (window_rule(days="91"), "days", "Choose at most 90 days."),
    (window_rule(days="drie"), "days", "Enter a whole number."),
    (window_rule(days="1e3"), "days", "Enter a whole number."),
    (window_rule(days=""), "days", "Enter the number of days: 0 is on the day itself."),
    (window_rule(direction=None), "direction", "Choose before or after."),
    (
        window_rule(direction="sideways"),
        "direction",
        "Select a valid choice. sideways is not one of the available choices.",
    ),
    (digest_rule(weekday=None), "weekday", "Choose the day of the week the digest goes out."),
    (digest_rule(weekday="7"), "weekday", "Select a valid choice. 7 is not one of the available choices."),
    (digest_rule(weekday="-1"), "weekday", "Select a valid choice. -1 is not one of the available choices."),
    (
        digest_rule(audience="employee"),
        "audience",
        "The weekly overdue digest goes to HR admins, and only the digest does.",
    ),
    (window_rule(audience="hr"), "audience", "The weekly overdue digest goes to HR admins, and only the digest does."),
]


@pytest.mark.parametrize(("data", "field", "message"), BAD)
@pytest.mark.parametrize("page", ["create", "edit"])
def test_bad_input_gets_a_field_error_and_saves_nothing(hr, cycle, page, data, field, message):
    address = create_url(cycle) if page == "create" else edit_url(rule_of(cycle, ReminderAnchor.WINDOW_OPENS))
    with assert_nothing_changes():
        response = hr.post(address, data)
    assert response.status_code == 200
    assert field_error(response, field) == message


def test_the_messages_are_dutch_for_a_dutch_reader(tenant_a, cycle):
    hr = client_for(tenant_a.hr, language="nl")
    with assert_nothing_changes():
        response = hr.post(create_url(cycle), window_rule(days="-7"))
        digest = hr.post(create_url(cycle), digest_rule(weekday=None))
    assert field_error(response, "days") == (
        "Vul het aantal dagen in zonder minteken, en kies hieronder ervoor of erna."
    )
    assert field_error(digest, "weekday") == "Kies de dag van de week waarop het overzicht verstuurd wordt."
    page = hr.get(edit_url(rule_of(cycle, ReminderAnchor.WINDOW_CLOSES))).content.decode()
    assert "Aantal dagen" in page and "Voordat de periode sluit" in page
    assert re.search(r'<option value="0" selected>maandag</option>', hr.get(create_url(cycle)).content.decode())


def test_changing_a_rule_to_the_digest_asks_for_its_weekday_first(hr, cycle):
    """The page showed days; the digest needs a weekday it did not show: the form comes back with it, unsaved."""
    rule = rule_of(cycle, ReminderAnchor.WINDOW_CLOSES)
    with assert_nothing_changes():
        response = hr.post(edit_url(rule), window_rule(anchor="overdue_weekly", audience="hr"))
    assert field_error(response, "weekday") == "Choose the day of the week the digest goes out."
    page = response.content.decode()
    assert '<select name="weekday"' in page and 'name="days"' not in page


def test_changing_the_digest_to_a_window_asks_for_its_days_first(hr, cycle):
    rule = rule_of(cycle, ReminderAnchor.OVERDUE_WEEKLY)
    with assert_nothing_changes():
        response = hr.post(edit_url(rule), digest_rule(anchor="window_opens", audience="employee"))
    assert field_error(response, "days") == "Enter the number of days: 0 is on the day itself."
    page = response.content.decode()
    assert 'name="days"' in page and "Before the window opens" in page and 'name="weekday"' not in page


# The happy path: exactly the rule changes, and its reminders follow


def test_hr_adds_a_rule_days_after_the_window_closes(tenant_a, hr, cycle):
    others = sorted(Reminder.objects.values_list("pk", "due_at", "status"))
    response = hr.post(
        create_url(cycle),
        window_rule(anchor="window_closes", days="2", direction="after", time_of_day="10:00", audience="manager"),
        follow=True,
    )
    assert shown_messages(response) == ["The reminder rule has been added."]
    rule = ReminderRule.objects.get(anchor=ReminderAnchor.WINDOW_CLOSES, offset_days=2)
    assert (rule.cycle, rule.time_of_day, rule.audience, rule.enabled) == (
        cycle,
        datetime.time(10),
        ReminderAudience.MANAGER,
        True,
    )
    # Mark, about the moment, two days after the window closes on 30 June: 2 July 2027, 10:00 Amsterdam (08:00 UTC).
    (planned,) = Reminder.objects.filter(rule=rule)
    assert (planned.recipient, planned.due_at) == (tenant_a.manager, datetime.datetime(2027, 7, 2, 8, tzinfo=UTC))
    assert sorted(Reminder.objects.exclude(rule=rule).values_list("pk", "due_at", "status")) == others


def test_hr_adds_a_weekly_digest_on_wednesdays(tenant_a, hr, cycle):
    response = hr.post(create_url(cycle), digest_rule(weekday="2", days="5", direction="after"))
    assert response.status_code == 302
    rule = ReminderRule.objects.filter(anchor=ReminderAnchor.OVERDUE_WEEKLY).latest("pk")
    assert rule.offset_days == 2  # the weekday; the days a new rule's page also shows are not the digest's
    # From the day after the window closes (1 July 2027, a Thursday): the first Wednesday is 7 July.
    first = Reminder.objects.filter(rule=rule, status=ReminderStatus.PLANNED).order_by("due_at").first()
    assert (first.recipient, first.occasion) == (tenant_a.hr, datetime.date(2027, 7, 7))


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (digest_rule(weekday="4", days="-7", direction="sideways"), 4),
        (window_rule(days="2", direction="after", weekday="9"), 2),
        (window_rule(anchor="request_made", audience="colleague", days="drie", weekday="x"), 0),
    ],
)
def test_what_a_new_rule_types_in_a_field_its_kind_does_not_use_is_ignored(hr, cycle, data, offset):
    """A new rule's page shows days and the weekday together; the one its kind does not use cannot refuse it."""
    response = hr.post(create_url(cycle), data)
    assert response.status_code == 302, bound_form(response).errors
    assert ReminderRule.objects.filter(cycle=cycle).latest("pk").offset_days == offset


def test_hr_moves_a_rule_from_before_to_after_and_its_reminders_follow(tenant_a, hr, cycle):
    rule = rule_of(cycle, ReminderAnchor.WINDOW_OPENS)
    planned = sorted(Reminder.objects.filter(rule=rule, status=ReminderStatus.PLANNED).values_list("pk", flat=True))
    hr.post(edit_url(rule), window_rule(days="1", direction="after", time_of_day="09:00", audience="both"))
    rule.refresh_from_db()
    assert rule.offset_days == 1
    # The key holds the offset (cycles.anchors.rule_key): the old ones go, new ones for 2 June 2027 09:00 (07:00 UTC).
    moved = Reminder.objects.filter(rule=rule, status=ReminderStatus.PLANNED)
    assert sorted(moved.values_list("recipient", flat=True)) == sorted([tenant_a.employee.pk, tenant_a.manager.pk])
    assert set(moved.values_list("due_at", flat=True)) == {datetime.datetime(2027, 6, 2, 7, tzinfo=UTC)}
    assert not Reminder.objects.filter(pk__in=planned).exists()


def test_a_draft_cycle_takes_a_rule_and_plans_nothing(tenant_a, hr):
    draft = CycleFactory(organization=tenant_a.organization)
    MomentFactory(cycle=draft)
    response = hr.post(create_url(draft), window_rule(days="10", direction="before"))
    assert response.status_code == 302
    assert ReminderRule.objects.get(cycle=draft).offset_days == -10
    assert not Reminder.objects.exists()


def test_a_closed_cycle_refuses_the_form_above_it(hr, cycle):
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    with assert_nothing_changes():
        response = hr.post(create_url(cycle), window_rule())
    assert bound_form(response).non_field_errors() == ["This cycle is closed."]


# Query counts: the edit page (with its preview) is the same with 2 people as with 40


def add_people(tenant, cycle, numbers):
    moment = cycle.moments.get()
    for number in numbers:
        person = EmployeeFactory(organization=tenant.organization, manager=tenant.manager)
        ConversationFactory(
            moment=moment,
            employee=person,
            state="scheduled",
            scheduled_at=datetime.datetime(2027, 6, 2, 8, tzinfo=UTC) + datetime.timedelta(days=number % 25),
        )
    reminders_plan(cycle=cycle)


@pytest.mark.parametrize("anchor", [ReminderAnchor.WINDOW_OPENS, ReminderAnchor.CONVERSATION])
def test_the_edit_page_query_count_is_flat(tenant_a, hr, cycle, anchor):
    rule = rule_of(cycle, anchor, -2 if anchor == ReminderAnchor.CONVERSATION else None)
    response = assert_flat_queries(
        lambda: hr.get(edit_url(rule)), lambda numbers: add_people(tenant_a, cycle, numbers), few=2, many=40
    )
    assert response.context["preview"].planned >= 40
