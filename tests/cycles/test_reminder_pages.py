"""HR's reminder page per cycle: the rules (add, change, remove), the log per status, resending a failed one."""

import datetime
import html
import importlib
import itertools
import re

import pytest
import time_machine
from django.apps import apps as django_apps

from cycles import dispatch
from cycles.models import (
    CycleStatus,
    Reminder,
    ReminderAnchor,
    ReminderAudience,
    ReminderRule,
    ReminderStatus,
)
from cycles.planning import reminders_plan
from cycles.reminder_rules import reminder_rules_default
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    client_for,
    field_error,
    nonfield_errors,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
JANUARY = datetime.datetime(2027, 1, 15, 12, tzinfo=UTC)  # the 2027 cycle is active, its June window still ahead
KEYS = itertools.count()


def rule_data(**overrides):
    data = {
        "anchor": "window_opens",
        "days": "3",
        "direction": "before",
        "time_of_day": "08:15",
        "audience": "employee",
        "enabled": "on",
    }
    data.update(overrides)
    return data


def make_reminder(rule, recipient, status=ReminderStatus.FAILED, *, key=None, due_at=None, **fields):
    """A reminder row as the dispatcher leaves it; about the moment unless a conversation or occasion is given."""
    due_at = due_at or datetime.datetime(2027, 1, 10, 8, tzinfo=UTC)
    if not ({"conversation", "occasion"} & fields.keys()):
        fields.setdefault("moment", rule.cycle.moments.first())
    return Reminder.objects.create(
        organization=rule.organization,
        cycle=rule.cycle,
        rule=rule,
        recipient=recipient,
        key=key or f"test:{next(KEYS)}",
        due_at=due_at,
        next_try_at=due_at,
        status=status,
        **fields,
    )


@pytest.fixture(autouse=True)
def _january():
    with time_machine.travel(JANUARY, tick=False):
        yield


@pytest.fixture
def cycle(tenant_a):
    """The active 2027 cycle with a June window, the employee's conversation, the default rules, planned."""
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, name_en="Progress talk")
    ConversationFactory(moment=moment, employee=tenant_a.employee)
    reminder_rules_default(cycle=cycle)
    reminders_plan(cycle=cycle)
    return cycle


def opens_rule(cycle):
    return cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS)


@pytest.fixture
def failed(tenant_a, cycle):
    """A reminder about the employee's conversation that failed three times on a bad address."""
    return make_reminder(
        opens_rule(cycle),
        tenant_a.employee,
        conversation=cycle.moments.get().conversations.get(),
        attempts=3,
        last_error=dispatch.INVALID_ADDRESS,
        key="failed",
    )


# The door, for every page: another organisation's member → 404, no role → 403, wrong method → 405

POST_ONLY = {"reminder_rule_delete", "reminder_resend"}


def pages(tenant, cycle, rule, reminder):
    ids = {"cycle_id": cycle.pk}
    return [
        ("get", "reminders", url("cycles:reminders", tenant.organization, **ids)),
        ("get", "reminder_rule_create", url("cycles:reminder_rule_create", tenant.organization, **ids)),
        ("post", "reminder_rule_create", url("cycles:reminder_rule_create", tenant.organization, **ids)),
        ("get", "reminder_rule_edit", url("cycles:reminder_rule_edit", tenant.organization, rule_id=rule.pk, **ids)),
        ("post", "reminder_rule_edit", url("cycles:reminder_rule_edit", tenant.organization, rule_id=rule.pk, **ids)),
        (
            "post",
            "reminder_rule_delete",
            url("cycles:reminder_rule_delete", tenant.organization, rule_id=rule.pk, **ids),
        ),
        ("post", "reminder_resend", url("cycles:reminder_resend", tenant.organization, reminder_id=reminder.pk, **ids)),
    ]


def body(method):
    """What each page is sent: a valid rule for a POST (so that only the refusal stops it), nothing for a GET."""
    return rule_data() if method == "post" else None


@pytest.mark.parametrize("index", range(7))
def test_another_organisations_member_gets_404(tenant_a, client, stranger, cycle, failed, index):
    method, _name, address = pages(tenant_a, cycle, opens_rule(cycle), failed)[index]
    assert_other_organisation_gets_404(client, stranger, address, method, body(method))


@pytest.mark.parametrize("role", ["manager", "employee"])
@pytest.mark.parametrize("index", range(7))
def test_a_member_without_the_hr_role_gets_403(tenant_a, client, cycle, failed, role, index):
    method, _name, address = pages(tenant_a, cycle, opens_rule(cycle), failed)[index]
    assert_role_forbidden(client, tenant_a.member(role), address, method, body(method))


@pytest.mark.parametrize("index", range(7))
def test_the_wrong_method_gets_405(tenant_a, hr, cycle, failed, index):
    _method, name, address = pages(tenant_a, cycle, opens_rule(cycle), failed)[index]
    # reminder_rule_delete answers a GET with its confirmation page (tests/cycles/test_cycle_confirmations.py).
    assert_method_not_allowed(hr, address, "get" if name == "reminder_resend" else "delete")


@pytest.mark.parametrize(
    ("name", "kwarg"),
    [
        ("reminders", "cycle_id"),
        ("reminder_rule_create", "cycle_id"),
        ("reminder_rule_edit", "rule_id"),
        ("reminder_rule_delete", "rule_id"),
        ("reminder_resend", "reminder_id"),
    ],
)
@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "0"])
def test_malformed_or_unknown_ids_get_404(tenant_a, hr, cycle, failed, name, kwarg, value):
    ids = {"cycle_id": cycle.pk, "rule_id": opens_rule(cycle).pk, "reminder_id": failed.pk, kwarg: value}
    kwargs = {key: ids[key] for key in reverse_kwargs(name)}
    method = "post" if name in POST_ONLY else "get"
    assert_refused(hr, tenant_a.hr, url(f"cycles:{name}", tenant_a.organization, **kwargs), 404, method, body(method))


def reverse_kwargs(name):
    return {
        "reminders": ["cycle_id"],
        "reminder_rule_create": ["cycle_id"],
        "reminder_rule_edit": ["cycle_id", "rule_id"],
        "reminder_rule_delete": ["cycle_id", "rule_id"],
        "reminder_resend": ["cycle_id", "reminder_id"],
    }[name]


def test_a_rule_or_reminder_of_another_cycle_gets_404_and_changes_nothing(tenant_a, hr, cycle, failed):
    """Tampered ids: this organisation's cycle in the address, another cycle's rule or reminder in the form's place."""
    other = CycleFactory(organization=tenant_a.organization, name="2028", status=CycleStatus.ACTIVE)
    MomentFactory(cycle=other)
    reminder_rules_default(cycle=other)
    their_rule = opens_rule(other)
    their_reminder = make_reminder(their_rule, tenant_a.employee, key="other-cycle")
    ours = {"cycle_id": cycle.pk}
    edit = url("cycles:reminder_rule_edit", tenant_a.organization, rule_id=their_rule.pk, **ours)
    delete = url("cycles:reminder_rule_delete", tenant_a.organization, rule_id=their_rule.pk, **ours)
    resend = url("cycles:reminder_resend", tenant_a.organization, reminder_id=their_reminder.pk, **ours)
    with assert_nothing_changes():
        assert hr.get(edit).status_code == 404
        assert hr.post(edit, rule_data()).status_code == 404
        assert hr.post(delete).status_code == 404
        assert hr.post(resend).status_code == 404


def test_another_organisations_rule_or_reminder_under_our_cycle_gets_404(tenant_a, tenant_b, hr, cycle):
    theirs = CycleFactory(organization=tenant_b.organization, status=CycleStatus.ACTIVE)
    MomentFactory(cycle=theirs)
    reminder_rules_default(cycle=theirs)
    their_rule = opens_rule(theirs)
    their_reminder = make_reminder(their_rule, tenant_b.employee, key="bravo")
    ours = {"cycle_id": cycle.pk}
    edit = url("cycles:reminder_rule_edit", tenant_a.organization, rule_id=their_rule.pk, **ours)
    delete = url("cycles:reminder_rule_delete", tenant_a.organization, rule_id=their_rule.pk, **ours)
    resend = url("cycles:reminder_resend", tenant_a.organization, reminder_id=their_reminder.pk, **ours)
    with assert_nothing_changes():
        assert hr.get(url("cycles:reminders", tenant_a.organization, cycle_id=theirs.pk)).status_code == 404
        assert hr.post(edit, rule_data()).status_code == 404
        assert hr.post(delete).status_code == 404
        assert hr.post(resend).status_code == 404


# The page: rules and the log


def test_the_cycle_page_links_to_the_reminders(tenant_a, hr, cycle):
    page = hr.get(url("cycles:cycle_detail", tenant_a.organization, cycle_id=cycle.pk)).content.decode()
    assert url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) in page


def test_the_page_shows_the_rules_at_once_and_loads_the_planned_reminders_after_itself(tenant_a, hr, cycle):
    address = url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk)
    response = hr.get(address)
    page = response.content.decode()
    assert response.context["log"] is None and len(response.context["previews"]) == 7
    # The log's first tab comes from the same address with the tab chosen: by htmx as the page loads, or by a link.
    assert f'hx-get="{address}?status=planned" hx-trigger="load"' in page
    assert f'<a href="{address}?status=planned">Show the reminders that go out next</a>' in page
    assert f"{address}?status=failed" in page  # the tabs, with their counts, are there at once
    assert 'hx-push-url="true">Missed (0)</a>' in page  # one pair of brackets: the count's
    assert 'hx-push-url="true" aria-current="page">Planned' in page  # the tab that loads is marked
    part = hr.get(f"{address}?status=planned", HTTP_HX_REQUEST="true")
    assert part.context["log"].rows and b"<h1" not in part.content and b'id="reminder-log"' in part.content
    # It promises no more rows than there are ("at most 50", not "the first 50" of fewer).
    assert b"What goes out next, by due time (at most 50)." in part.content


def test_the_page_shows_the_rules_and_the_planned_reminders_in_local_time(tenant_a, hr, cycle):
    response = hr.get(url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) + "?status=planned")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    for rule in cycle.reminder_rules.all():
        assert url("cycles:reminder_rule_edit", tenant_a.organization, cycle_id=cycle.pk, rule_id=rule.pk) in page
        assert url("cycles:reminder_rule_delete", tenant_a.organization, cycle_id=cycle.pk, rule_id=rule.pk) in page
    assert "2 days before" in page and "14 days before" in page and "Every Monday" in page
    # In the order the anchors are declared (as the form offers them), not of the alphabet.
    assert [(preview.rule.anchor, preview.rule.offset_days) for preview in response.context["previews"]] == [
        (ReminderAnchor.WINDOW_OPENS, 0),
        (ReminderAnchor.WINDOW_CLOSES, -7),
        (ReminderAnchor.CONVERSATION, -14),
        (ReminderAnchor.CONVERSATION, -2),
        (ReminderAnchor.OVERDUE_WEEKLY, 0),
        (ReminderAnchor.REQUEST_MADE, 0),
        (ReminderAnchor.REQUEST_DUE, -2),
    ]
    assert url("cycles:reminder_rule_create", tenant_a.organization, cycle_id=cycle.pk) in page
    log = response.context["log"]
    assert log.status == ReminderStatus.PLANNED
    assert [row.due_at for row in log.rows] == sorted(row.due_at for row in log.rows)
    # The window opens on 1 June 2027 at 09:00 Amsterdam (summer time), stored as 07:00 UTC.
    first = log.rows[0]
    assert first.due_at == datetime.datetime(2027, 6, 1, 7, tzinfo=UTC)
    assert "1 June 2027, 09:00" in page and "1 June 2027, 07:00" not in page
    assert f"Progress talk with {tenant_a.employee.full_name}" in html.unescape(page)
    assert html.escape(tenant_a.manager.full_name) in page
    assert 'aria-current="page"' in page and "?status=failed" in page
    assert url("cycles:reminder_resend", tenant_a.organization, cycle_id=cycle.pk, reminder_id=first.pk) not in page


def test_the_failed_tab_shows_the_reason_translated_or_as_it_was_and_a_resend_button(tenant_a, hr, cycle, failed):
    raw = make_reminder(
        opens_rule(cycle),
        tenant_a.manager,
        attempts=3,
        last_error="SMTPRecipientsRefused: {'<mark@alfa.example>': (550, b'No such user')}",
        key="raw",
    )
    response = hr.get(url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) + "?status=failed")
    page = response.content.decode()
    assert [row.pk for row in response.context["log"].rows] == [raw.pk, failed.pk]
    assert "The email address is not valid." in page
    assert "SMTPRecipientsRefused: {&#x27;&lt;mark@alfa.example&gt;&#x27;" in page  # escaped, never markup
    assert "<mark@" not in page
    for reminder in (failed, raw):
        assert url("cycles:reminder_resend", tenant_a.organization, cycle_id=cycle.pk, reminder_id=reminder.pk) in page
    assert "10 January 2027, 09:00" in page  # 08:00 UTC is 09:00 in Amsterdam in winter


def test_the_sent_tab_shows_when_it_went_out_latest_first(tenant_a, hr, cycle):
    rule = opens_rule(cycle)
    early = make_reminder(
        rule, tenant_a.employee, ReminderStatus.SENT, sent_at=datetime.datetime(2027, 1, 5, 8, 1, tzinfo=UTC)
    )
    late = make_reminder(
        rule, tenant_a.manager, ReminderStatus.SENT, sent_at=datetime.datetime(2027, 1, 12, 8, 2, tzinfo=UTC)
    )
    response = hr.get(url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) + "?status=sent")
    assert [row.pk for row in response.context["log"].rows] == [late.pk, early.pk]
    assert "12 January 2027, 09:02" in response.content.decode()


def test_the_weekly_digest_row_says_which_week(tenant_a, hr, cycle):
    digest = cycle.reminder_rules.get(anchor=ReminderAnchor.OVERDUE_WEEKLY)
    make_reminder(
        digest, tenant_a.hr, ReminderStatus.MISSED, occasion=datetime.date(2027, 7, 5), last_error=dispatch.TOO_LATE
    )
    page = hr.get(url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) + "?status=missed").content.decode()
    assert "Overdue conversations, week of 5 July 2027" in page
    assert "More than two days late: Helder's sending had stopped." in html.unescape(page)


def test_reasons_stored_in_their_earlier_wording_take_the_new_one_and_read_in_dutch(tenant_a, hr, cycle):
    # Stored untranslated: the migration rewrites rows of the earlier wording, which no catalogue translates any more.
    rule = cycle.reminder_rules.first()
    old = make_reminder(rule, tenant_a.hr, ReminderStatus.MISSED, last_error=EARLIER_TOO_LATE)
    other = make_reminder(rule, tenant_a.manager, ReminderStatus.FAILED, last_error="SMTP 550: mailbox unavailable")
    reworded = importlib.import_module("cycles.migrations.0011_reminder_reasons_reworded")
    reworded.reword(django_apps, None)
    old.refresh_from_db(), other.refresh_from_db()
    assert (old.last_error, other.last_error) == (dispatch.TOO_LATE, "SMTP 550: mailbox unavailable")
    dutch = client_for(tenant_a.hr, language="nl")
    page = dutch.get(url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) + "?status=missed")
    assert "Meer dan twee dagen te laat: het versturen door Helder lag stil." in page.content.decode()
    reworded.reword_back(django_apps, None)
    old.refresh_from_db()
    assert old.last_error == EARLIER_TOO_LATE


EARLIER_TOO_LATE = "More than two days late: the dispatcher was not running."


def test_planned_shows_the_next_50_and_failed_pages_through_all(tenant_a, hr, cycle):
    Reminder.objects.all().delete()
    rule = opens_rule(cycle)
    start = datetime.datetime(2027, 6, 1, 7, tzinfo=UTC)
    for number in range(55):
        make_reminder(rule, tenant_a.employee, ReminderStatus.PLANNED, due_at=start + datetime.timedelta(hours=number))
    for number in range(51):
        make_reminder(rule, tenant_a.employee, due_at=start - datetime.timedelta(days=200, hours=number))
    address = url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk)
    planned = hr.get(address + "?status=planned").context
    assert len(planned["log"].rows) == 50 and planned["log"].rows[0].due_at == start
    assert planned["counts"][ReminderStatus.PLANNED] == 55
    first = hr.get(address + "?status=failed")
    assert len(first.context["log"].rows) == 50
    assert "?status=failed&amp;page=2" in first.content.decode()
    second = hr.get(address + "?status=failed&page=2").context["log"]
    assert len(second.rows) == 1 and second.page.number == 2


def test_an_unknown_status_shows_the_planned_tab(tenant_a, hr, cycle):
    response = hr.get(url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) + "?status=skipped&page=x")
    assert response.status_code == 200 and response.context["log"].status == ReminderStatus.PLANNED


def test_with_htmx_a_tab_returns_only_the_log(tenant_a, hr, cycle, failed):
    response = hr.get(
        url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) + "?status=failed",
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section class="card" id="reminder-log"') and "<h1" not in page
    assert url("cycles:reminder_resend", tenant_a.organization, cycle_id=cycle.pk, reminder_id=failed.pk) in page


def add_people(tenant, cycle, count, status):
    """``count`` reminders in ``status``, each to a different person and about a different thing."""
    moment = cycle.moments.get()
    rules = {rule.anchor: rule for rule in cycle.reminder_rules.all()}
    for number in range(count):
        person = EmployeeFactory(organization=tenant.organization, manager=tenant.manager)
        conversation = ConversationFactory(moment=moment, employee=person)
        sent = {"sent_at": JANUARY} if status == ReminderStatus.SENT else {}
        target = [
            {"conversation": conversation},
            {"moment": moment},
            {"occasion": datetime.date(2027, 7, 5) + datetime.timedelta(days=7 * number)},
        ][number % 3]
        rule = rules[ReminderAnchor.OVERDUE_WEEKLY] if "occasion" in target else rules[ReminderAnchor.WINDOW_OPENS]
        make_reminder(rule, person, status, last_error="Boom", **sent, **target)


@pytest.mark.parametrize("status", ["planned", "sent", "failed", "missed"])
def test_the_reminders_page_query_count_is_flat(tenant_a, hr, cycle, status):
    Reminder.objects.all().delete()
    tab = url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) + f"?status={status}"
    response = assert_flat_queries(
        lambda: hr.get(tab), lambda numbers: add_people(tenant_a, cycle, len(numbers), status), few=2, many=40
    )
    assert len(response.context["log"].rows) == 40


# Adding, changing and removing a rule


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"days": "91"}, "days", "Choose at most 90 days."),
        ({"days": "-7"}, "days", "Enter the number of days without a minus sign, and choose before or after below."),
        ({"days": "zeven"}, "days", "Enter a whole number."),
        ({"time_of_day": "25:99"}, "time_of_day", "Enter a valid time."),
        (
            {"audience": "hr"},
            "audience",
            "The weekly overdue digest goes to HR admins, and only the digest does.",
        ),
        (
            {"anchor": "overdue_weekly", "audience": "hr", "weekday": "7"},
            "weekday",
            "Select a valid choice. 7 is not one of the available choices.",
        ),
        ({"anchor": "sometimes"}, "anchor", "Select a valid choice. sometimes is not one of the available choices."),
    ],
)
@pytest.mark.parametrize("page", ["reminder_rule_create", "reminder_rule_edit"])
def test_bad_rule_input_gets_an_english_field_error_and_saves_nothing(tenant_a, hr, cycle, page, data, field, message):
    kwargs = {"cycle_id": cycle.pk}
    if page == "reminder_rule_edit":
        kwargs["rule_id"] = opens_rule(cycle).pk
    with assert_nothing_changes():
        response = hr.post(url(f"cycles:{page}", tenant_a.organization, **kwargs), rule_data(**data))
    assert response.status_code == 200
    assert field_error(response, field) == message


def test_a_closed_cycles_rules_cannot_be_changed(tenant_a, hr, cycle):
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    rule = opens_rule(cycle)
    with assert_nothing_changes():
        response = hr.post(
            url("cycles:reminder_rule_edit", tenant_a.organization, cycle_id=cycle.pk, rule_id=rule.pk), rule_data()
        )
    assert response.status_code == 200
    assert nonfield_errors(response) == ["This cycle is closed."]
    page = hr.get(url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk)).content.decode()
    assert url("cycles:reminder_rule_create", tenant_a.organization, cycle_id=cycle.pk) not in page


def test_the_edit_form_is_filled_in(tenant_a, hr, cycle):
    rule = cycle.reminder_rules.get(anchor=ReminderAnchor.CONVERSATION, offset_days=-14)
    page = hr.get(
        url("cycles:reminder_rule_edit", tenant_a.organization, cycle_id=cycle.pk, rule_id=rule.pk)
    ).content.decode()
    assert re.search(r'<option value="conversation" selected>', page)
    assert 'name="days" value="14"' in page and 'value="09:00"' in page
    assert re.search(r'<input type="radio" name="direction" value="before"[^>]*checked', page)
    assert re.search(r'<option value="both" selected>', page)
    assert re.search(r'<input type="checkbox" name="enabled"[^>]*checked', page)
    assert page.count("<h1") == 1


def test_hr_changes_a_rules_time_and_its_planned_reminders_move(tenant_a, hr, cycle, failed):
    rule = opens_rule(cycle)
    others = sorted(Reminder.objects.exclude(rule=rule).values_list("pk", "due_at", "status"))
    planned = list(Reminder.objects.filter(rule=rule, status=ReminderStatus.PLANNED).values_list("pk", flat=True))
    assert len(planned) == 2  # the employee about their conversation, the manager about the moment
    response = hr.post(
        url("cycles:reminder_rule_edit", tenant_a.organization, cycle_id=cycle.pk, rule_id=rule.pk),
        rule_data(anchor="window_opens", days="0", time_of_day="10:30", audience="both"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk)
    assert shown_messages(response) == ["The reminder rule has been saved; its unsent reminders follow it."]
    rule.refresh_from_db()
    assert (rule.anchor, rule.offset_days, rule.time_of_day, rule.audience, rule.enabled) == (
        ReminderAnchor.WINDOW_OPENS,
        0,
        datetime.time(10, 30),
        ReminderAudience.BOTH,
        True,
    )
    # 10:30 in Amsterdam on 1 June 2027 (summer time) is 08:30 UTC; the same rows, moved.
    moved = datetime.datetime(2027, 6, 1, 8, 30, tzinfo=UTC)
    assert sorted(Reminder.objects.filter(rule=rule, status=ReminderStatus.PLANNED).values_list("pk", "due_at")) == [
        (pk, moved) for pk in sorted(planned)
    ]
    assert Reminder.objects.get(pk=failed.pk).status == ReminderStatus.FAILED  # history stays
    assert sorted(Reminder.objects.exclude(rule=rule).values_list("pk", "due_at", "status")) == others
    assert "1 June 2027, 10:30" in response.content.decode()


def test_switching_a_rule_off_removes_its_planned_reminders_only(tenant_a, hr, cycle, failed):
    rule = opens_rule(cycle)
    others = Reminder.objects.exclude(rule=rule).count()
    data = rule_data(anchor="window_opens", days="0", time_of_day="09:00", audience="both")
    del data["enabled"]
    hr.post(url("cycles:reminder_rule_edit", tenant_a.organization, cycle_id=cycle.pk, rule_id=rule.pk), data)
    rule.refresh_from_db()
    assert not rule.enabled
    assert list(Reminder.objects.filter(rule=rule).values_list("pk", flat=True)) == [failed.pk]
    assert Reminder.objects.exclude(rule=rule).count() == others


def test_hr_adds_a_rule_and_it_is_planned(tenant_a, hr, cycle):
    before = Reminder.objects.count()
    response = hr.post(url("cycles:reminder_rule_create", tenant_a.organization, cycle_id=cycle.pk), rule_data())
    assert response.status_code == 302
    assert response["Location"] == url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk)
    rule = ReminderRule.objects.get(offset_days=-3)
    assert (rule.cycle, rule.organization, rule.anchor, rule.time_of_day, rule.audience, rule.enabled) == (
        cycle,
        tenant_a.organization,
        ReminderAnchor.WINDOW_OPENS,
        datetime.time(8, 15),
        ReminderAudience.EMPLOYEE,
        True,
    )
    # One reminder: the employee, three days before the window opens, at 08:15 Amsterdam (06:15 UTC in summer).
    (reminder,) = Reminder.objects.filter(rule=rule)
    assert (reminder.recipient, reminder.due_at) == (
        tenant_a.employee,
        datetime.datetime(2027, 5, 29, 6, 15, tzinfo=UTC),
    )
    assert Reminder.objects.count() == before + 1


def test_a_rule_added_to_a_draft_plans_nothing_yet(tenant_a, hr):
    draft = CycleFactory(organization=tenant_a.organization)
    MomentFactory(cycle=draft)
    hr.post(url("cycles:reminder_rule_create", tenant_a.organization, cycle_id=draft.pk), rule_data())
    assert ReminderRule.objects.filter(cycle=draft).count() == 1 and not Reminder.objects.exists()
    page = hr.get(url("cycles:reminders", tenant_a.organization, cycle_id=draft.pk)).content.decode()
    assert "Reminders are planned from these rules once the cycle is active." in page


def test_hr_removes_a_rule_without_history_with_its_planned_reminders(tenant_a, hr, cycle):
    rule = opens_rule(cycle)
    others = Reminder.objects.exclude(rule=rule).count()
    response = hr.post(
        url("cycles:reminder_rule_delete", tenant_a.organization, cycle_id=cycle.pk, rule_id=rule.pk),
        {"confirm": "yes"},  # as the confirmation page posts (tests/cycles/test_cycle_confirmations.py)
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk)
    assert shown_messages(response) == ["The reminder rule has been removed."]
    assert not ReminderRule.objects.filter(pk=rule.pk).exists()
    assert Reminder.objects.count() == others


def test_removing_a_rule_that_sent_something_switches_it_off_and_keeps_the_log(tenant_a, hr, cycle, failed):
    rule = opens_rule(cycle)
    response = hr.post(
        url("cycles:reminder_rule_delete", tenant_a.organization, cycle_id=cycle.pk, rule_id=rule.pk),
        {"confirm": "yes"},  # as the confirmation page posts (tests/cycles/test_cycle_confirmations.py)
        follow=True,
    )
    assert shown_messages(response) == [
        "The reminder rule has been switched off; the reminders it sent stay in the log."
    ]
    rule.refresh_from_db()
    assert not rule.enabled
    assert list(Reminder.objects.filter(rule=rule).values_list("pk", flat=True)) == [failed.pk]


# Resending


def test_resending_a_failed_reminder_plans_it_again(tenant_a, hr, cycle, failed):
    others = sorted(Reminder.objects.exclude(pk=failed.pk).values_list("pk", "status", "due_at"))
    response = hr.post(
        url("cycles:reminder_resend", tenant_a.organization, cycle_id=cycle.pk, reminder_id=failed.pk), follow=True
    )
    assert (
        response.redirect_chain[-1][0]
        == url("cycles:reminders", tenant_a.organization, cycle_id=cycle.pk) + "?status=failed"
    )
    assert shown_messages(response) == [
        f"The reminder to {tenant_a.employee.full_name} is planned again and goes out within a few minutes."
    ]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error, failed.next_try_at) == (
        ReminderStatus.PLANNED,
        0,
        "",
        JANUARY,
    )
    assert sorted(Reminder.objects.exclude(pk=failed.pk).values_list("pk", "status", "due_at")) == others
    assert failed not in response.context["log"].rows


def test_resending_a_missed_reminder_plans_it_again(tenant_a, hr, cycle):
    missed = make_reminder(opens_rule(cycle), tenant_a.manager, ReminderStatus.MISSED, last_error=dispatch.TOO_LATE)
    response = hr.post(url("cycles:reminder_resend", tenant_a.organization, cycle_id=cycle.pk, reminder_id=missed.pk))
    assert response["Location"].endswith("?status=missed")
    missed.refresh_from_db()
    assert missed.status == ReminderStatus.PLANNED


@pytest.mark.parametrize("status", [ReminderStatus.SENT, ReminderStatus.PLANNED, ReminderStatus.SKIPPED])
def test_a_reminder_that_did_not_fail_is_not_resent(tenant_a, hr, cycle, status):
    reminder = make_reminder(opens_rule(cycle), tenant_a.employee, status, sent_at=JANUARY)
    with assert_nothing_changes():
        response = hr.post(
            url("cycles:reminder_resend", tenant_a.organization, cycle_id=cycle.pk, reminder_id=reminder.pk),
            follow=True,
        )
    assert shown_messages(response) == ["This reminder has not failed and was not missed, so it was not sent again."]
