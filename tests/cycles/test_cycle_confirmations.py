"""Activating a cycle (an active one leads to adding its newcomers), removing a reminder rule and making a new
calendar address ask first, on a page saying what will happen to whom, with counts; only a POST with
``confirm=yes`` acts."""

import datetime
import html

import pytest

from cycles import services
from cycles.models import (
    CalendarFeed,
    Conversation,
    CycleStatus,
    Reminder,
    ReminderAnchor,
    ReminderRule,
    ReminderStatus,
)
from tests.cycles.test_reminder_pages import make_reminder
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import (
    assert_flat_queries,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

D = datetime.date
CONFIRM = {"confirm": "yes"}


def activate(cycle):
    return url("cycles:cycle_activate", cycle.organization, cycle_id=cycle.pk)


def remove(rule):
    return url("cycles:reminder_rule_delete", rule.organization, cycle_id=rule.cycle_id, rule_id=rule.pk)


def text(response):
    """The page as a person reads it: entities unescaped, so a name like 's Gravensande reads as written."""
    return html.unescape(response.content.decode())


@pytest.fixture
def draft(tenant_a, january_2027):
    """A cycle being prepared for everyone (4 people), with two moments and the default reminder rules."""
    cycle = CycleFactory(organization=tenant_a.organization, name="2027")
    services.reminder_rules_default(cycle=cycle)
    MomentFactory(cycle=cycle, opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    MomentFactory(cycle=cycle, opens_on=D(2027, 9, 1), closes_on=D(2027, 9, 30))
    return cycle


@pytest.fixture
def running(draft):
    services.cycle_activate(cycle=draft)
    draft.refresh_from_db()
    return draft


# --- activating ---------------------------------------------------------------------------------------------------


class TestActivatingAsksFirst:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_the_first_click_changes_nothing_and_counts_the_conversations(self, draft, hr, method):
        with assert_nothing_changes():
            response = getattr(hr, method)(activate(draft))
        assert response.status_code == 200
        page = text(response)
        assert "Activate cycle 2027" in page
        assert "This creates 8 conversations for 4 people." in page
        assert "The cycle has 2 moments: everyone in its scope gets one conversation for each." in page
        rules = ReminderRule.objects.filter(cycle=draft, enabled=True).count()
        assert f"Reminders are planned by the cycle's {rules} reminder rules." in page
        assert "The calendar is then fixed" in page
        assert "overdue at once" not in page

    def test_a_crafted_post_without_the_confirmation_changes_nothing(self, draft, hr):
        with assert_nothing_changes():
            hr.post(activate(draft), {"confirm": "nee"})
        draft.refresh_from_db()
        assert draft.status == CycleStatus.DRAFT

    def test_the_confirmed_post_activates(self, draft, hr):
        response = hr.post(activate(draft), CONFIRM, follow=True)
        draft.refresh_from_db()
        assert draft.status == CycleStatus.ACTIVE and Conversation.objects.filter(moment__cycle=draft).count() == 8
        assert shown_messages(response) == ["The cycle is active. 8 conversations were created."]

    def test_a_cycle_without_moments_is_refused_at_the_first_click(self, tenant_a, hr):
        cycle = CycleFactory(organization=tenant_a.organization)
        with assert_nothing_changes():
            response = hr.get(activate(cycle), follow=True)
        assert shown_messages(response) == ["This cycle has no moments yet; add at least one before activating it."]

    def test_a_closed_cycle_is_refused_at_the_first_click(self, tenant_a, hr):
        cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.CLOSED)
        MomentFactory(cycle=cycle)
        with assert_nothing_changes():
            response = hr.get(activate(cycle), follow=True)
        assert shown_messages(response) == ["This cycle is closed."]

    @pytest.mark.parametrize("role", ["manager", "employee"])
    def test_a_member_without_the_hr_role_gets_403(self, client, tenant_a, draft, role):
        assert_role_forbidden(client, tenant_a.member(role), activate(draft))
        assert_role_forbidden(client, tenant_a.member(role), activate(draft), "post", CONFIRM)

    def test_another_organisations_hr_gets_404(self, client, draft, stranger):
        assert_other_organisation_gets_404(client, stranger, activate(draft))
        assert_other_organisation_gets_404(client, stranger, activate(draft), "post", CONFIRM)


class TestAnActiveCycleGoesToTheNewcomersStep:
    """An old link or a second tab may still ask to activate a cycle that is active: HR lands on the newcomers step,
    which skips the moments whose window has closed, and nothing is created on the way."""

    def newcomers(self, cycle):
        return url("cycles:newcomers_add", cycle.organization, cycle_id=cycle.pk)

    @pytest.mark.parametrize("data", [{}, CONFIRM])
    def test_even_a_confirmed_post_only_leads_to_the_newcomers_step(self, tenant_a, running, hr, data):
        EmployeeFactory(organization=tenant_a.organization, first_name="Noor", last_name="Bakker")
        with assert_nothing_changes():
            response = hr.post(activate(running), data)
        assert response.status_code == 302 and response["Location"] == self.newcomers(running)

    def test_the_step_it_leads_to_names_the_newcomers(self, tenant_a, running, hr):
        EmployeeFactory(organization=tenant_a.organization, first_name="Noor", last_name="Bakker")
        EmployeeFactory(organization=tenant_a.organization, first_name="Daan", last_name="Jansen")
        page = text(hr.get(activate(running), follow=True))
        assert "Add the newcomers to 2027" in page
        assert "Noor Bakker" in page and "Daan Jansen" in page
        assert "The calendar is then fixed" not in page

    def test_no_conversation_is_created_for_a_window_that_has_closed(self, tenant_a, running, hr, time_machine):
        time_machine.move_to(datetime.datetime(2027, 5, 1, 9, tzinfo=datetime.UTC))
        hr.force_login(hr.employee.user)
        newcomer = EmployeeFactory(organization=tenant_a.organization)
        hr.post(activate(running), CONFIRM, follow=True)
        assert not Conversation.objects.filter(employee=newcomer).exists()
        hr.post(self.newcomers(running), CONFIRM)
        assert [c.moment.opens_on for c in Conversation.objects.filter(employee=newcomer)] == [D(2027, 9, 1)]


# --- removing a reminder rule -------------------------------------------------------------------------------------


class TestRemovingARuleAsksFirst:
    @pytest.fixture
    def rule(self, running):
        return running.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS)

    def planned(self, rule, count, tenant_a):
        conversation = ConversationFactory(moment=rule.cycle.moments.first())
        for _number in range(count):
            make_reminder(rule, tenant_a.employee, status=ReminderStatus.PLANNED, conversation=conversation)

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_the_first_click_changes_nothing_and_counts_the_planned_reminders(self, tenant_a, rule, hr, method):
        Reminder.objects.filter(rule=rule).delete()
        self.planned(rule, 3, tenant_a)
        with assert_nothing_changes():
            response = getattr(hr, method)(remove(rule))
        page = text(response)
        assert "3 planned reminders of this rule are removed and will not be sent." in page
        assert "switched off rather than removed" not in page

    def test_a_rule_that_sent_reminders_is_said_to_be_switched_off(self, tenant_a, rule, hr):
        make_reminder(rule, tenant_a.employee, status=ReminderStatus.SENT)
        page = text(hr.get(remove(rule)))
        assert "The rule has sent reminders, so it is switched off rather than removed" in page

    def test_a_crafted_post_without_the_confirmation_changes_nothing(self, rule, hr):
        with assert_nothing_changes():
            hr.post(remove(rule))
        assert ReminderRule.objects.filter(pk=rule.pk, enabled=True).exists()

    def test_the_confirmed_post_removes_it_with_its_planned_reminders(self, tenant_a, rule, hr):
        Reminder.objects.filter(rule=rule).delete()
        self.planned(rule, 2, tenant_a)
        response = hr.post(remove(rule), CONFIRM, follow=True)
        assert not ReminderRule.objects.filter(pk=rule.pk).exists() and not Reminder.objects.filter(rule=rule).exists()
        assert shown_messages(response) == ["The reminder rule has been removed."]

    def test_a_closed_cycles_rule_is_refused_with_a_message_not_a_500(self, rule, hr):
        type(rule.cycle).objects.filter(pk=rule.cycle_id).update(status=CycleStatus.CLOSED)
        for data in (None, CONFIRM):
            with assert_nothing_changes():
                response = hr.post(remove(rule), data, follow=True)
            assert shown_messages(response) == ["This cycle is closed."]

    @pytest.mark.parametrize("role", ["manager", "employee"])
    def test_a_member_without_the_hr_role_gets_403(self, client, tenant_a, rule, role):
        assert_role_forbidden(client, tenant_a.member(role), remove(rule))
        assert_role_forbidden(client, tenant_a.member(role), remove(rule), "post", CONFIRM)

    def test_another_organisations_hr_gets_404(self, client, rule, stranger):
        assert_other_organisation_gets_404(client, stranger, remove(rule), "post", CONFIRM)

    def test_the_page_asks_as_many_queries_for_40_planned_reminders_as_for_2(self, tenant_a, rule, hr):
        Reminder.objects.filter(rule=rule).delete()
        response = assert_flat_queries(
            lambda: hr.get(remove(rule)), lambda numbers: self.planned(rule, len(numbers), tenant_a)
        )
        assert "40 planned reminders of this rule" in text(response)


# --- a new calendar address ---------------------------------------------------------------------------------------


class TestANewCalendarAddressAsksFirst:
    def address(self, tenant_a):
        return url("cycles:feed_regenerate", tenant_a.organization)

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_the_first_click_changes_nothing_and_says_the_old_address_stops_working(self, tenant_a, employee, method):
        old = services.feed_for(employee=tenant_a.employee).token
        with assert_nothing_changes():
            response = getattr(employee, method)(self.address(tenant_a))
        assert "stops working in every calendar that subscribed to it" in text(response)
        assert CalendarFeed.objects.get(employee=tenant_a.employee).token == old

    def test_a_crafted_post_without_the_confirmation_changes_nothing(self, tenant_a, employee):
        services.feed_for(employee=tenant_a.employee)
        with assert_nothing_changes():
            employee.post(self.address(tenant_a), {"confirm": "1"})

    def test_the_confirmed_post_makes_a_new_address(self, tenant_a, employee):
        old = services.feed_for(employee=tenant_a.employee).token
        response = employee.post(self.address(tenant_a), CONFIRM, follow=True)
        assert CalendarFeed.objects.get(employee=tenant_a.employee).token != old
        assert "The old one no longer works" in shown_messages(response)[0]

    def test_another_organisations_member_gets_404(self, client, tenant_a, stranger):
        assert_other_organisation_gets_404(client, stranger, self.address(tenant_a), "post", CONFIRM)
