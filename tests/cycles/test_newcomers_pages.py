"""Adding newcomers from the pages: the cycle page names them and says what adding them creates (or why nothing),
and the step asks first, for all of them or for one person (cycles.views_newcomers)."""

import datetime
import html

import pytest

from cycles.models import Conversation, CycleStatus
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import (
    MARCH_2027,
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

D = datetime.date
CONFIRM = {"confirm": "yes"}


def text(response):
    return html.unescape(response.content.decode())


def add(cycle, person=None):
    address = url("cycles:newcomers_add", cycle.organization, cycle_id=cycle.pk)
    return f"{address}?person={person.pk}" if person else address


@pytest.fixture
def running(tenant_a, time_machine):
    """An active cycle "2027" with a March and a September moment, on 1 June 2027: March has closed. Only Eva has
    her conversations; Hanna, Mark and Olaf are newcomers."""
    time_machine.move_to(datetime.datetime(2027, 6, 1, 10, tzinfo=datetime.UTC), tick=False)
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    for opens_on, closes_on, name in (
        (*MARCH_2027, "Planning talk"),
        (D(2027, 9, 1), D(2027, 9, 30), "Progress talk"),
    ):
        moment = MomentFactory(cycle=cycle, opens_on=opens_on, closes_on=closes_on, name_en=name)
        ConversationFactory(moment=moment, employee=tenant_a.employee)
    return cycle


# --- the cycle page -------------------------------------------------------------------------------------------


class TestTheCyclePage:
    def test_it_names_the_newcomers_and_says_which_moments_are_skipped(self, tenant_a, running, hr):
        page = text(hr.get(running.get_absolute_url()))
        assert "3 people in scope have no conversations yet:" in page
        for person in (tenant_a.hr, tenant_a.manager, tenant_a.outsider):
            assert person.full_name in page
        assert "Adding them creates 3 conversations, one per person for each of these moments:" in page
        assert (
            "Planning talk is skipped: its window closed on 31 March 2027, so the conversation would be overdue" in page
        )
        assert f'action="{add(running)}"' in page and "Add newcomers (3)" in page

    def test_it_names_five_and_says_how_many_more(self, tenant_a, running, hr):
        for number in range(4):
            EmployeeFactory(organization=tenant_a.organization, last_name=f"Aa{number}")  # first by name
        response = hr.get(running.get_absolute_url())
        page = text(response)
        assert "7 people in scope have no conversations yet:" in page
        assert "and 2 more" in page
        assert all(f"Aa{number}" in page for number in range(4))
        assert len(response.context["newcomer_offer"].names) == 5

    def test_when_every_window_has_closed_it_says_why_and_offers_no_button(self, running, hr, time_machine):
        time_machine.move_to(datetime.datetime(2027, 10, 1, 10, tzinfo=datetime.UTC), tick=False)
        hr.force_login(hr.employee.user)
        page = text(hr.get(running.get_absolute_url()))
        assert "3 people in scope have no conversations yet:" in page
        assert "Every window of 2027 has closed: new conversations would be overdue at once" in page
        assert add(running) not in page and "Add newcomers (" not in page

    def test_without_newcomers_it_says_everyone_has_their_conversations(self, tenant_a, running, hr):
        for person in (tenant_a.hr, tenant_a.manager, tenant_a.outsider):
            ConversationFactory(moment=running.moments.last(), employee=person)
        page = text(hr.get(running.get_absolute_url()))
        assert "Everyone in this cycle's scope already has their conversations." in page
        assert add(running) not in page

    def test_it_asks_as_many_queries_for_40_newcomers_as_for_2(self, tenant_a, running, hr):
        def build(numbers):
            for _number in numbers:
                EmployeeFactory(organization=tenant_a.organization)

        response = assert_flat_queries(lambda: hr.get(running.get_absolute_url()), build)
        assert "43 people in scope have no conversations yet:" in text(response)  # 40 and Hanna, Mark and Olaf
        assert "and 38 more" in text(response)


# --- the step ------------------------------------------------------------------------------------------------


class TestAddingAllNewcomers:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_the_first_click_changes_nothing_and_says_what_happens_to_whom(self, tenant_a, running, hr, method):
        with assert_nothing_changes():
            response = getattr(hr, method)(add(running))
        assert response.status_code == 200
        page = text(response)
        assert "Add the newcomers to 2027" in page
        assert "This creates 3 conversations for 3 people." in page
        assert "Each gets one conversation for the moment whose window has not closed: Progress talk." in page
        assert "No conversation is created for Planning talk: its window has closed, so it would be overdue" in page
        assert tenant_a.outsider.full_name in page and tenant_a.employee.full_name not in page

    def test_the_confirmed_post_adds_them_and_goes_back_to_the_cycle(self, tenant_a, running, hr):
        response = hr.post(add(running), CONFIRM, follow=True)
        assert response.redirect_chain[-1][0] == running.get_absolute_url()
        assert shown_messages(response) == ["Newcomers added: 3 conversations were created."]
        added = Conversation.objects.exclude(employee=tenant_a.employee)
        assert added.count() == 3 and set(added.values_list("moment__name_en", flat=True)) == {"Progress talk"}

    def test_with_no_newcomers_the_first_click_says_so(self, tenant_a, running, hr):
        for person in (tenant_a.hr, tenant_a.manager, tenant_a.outsider):
            ConversationFactory(moment=running.moments.last(), employee=person)
        with assert_nothing_changes():
            response = hr.post(add(running), follow=True)
        assert shown_messages(response) == ["Everyone in this cycle's scope already has their conversations."]

    @pytest.mark.parametrize("data", [{}, CONFIRM])
    def test_when_every_window_has_closed_nothing_is_added_and_it_says_why(self, running, hr, time_machine, data):
        time_machine.move_to(datetime.datetime(2027, 10, 1, 10, tzinfo=datetime.UTC), tick=False)
        hr.force_login(hr.employee.user)
        with assert_nothing_changes():
            response = hr.post(add(running), data, follow=True)
        assert shown_messages(response) == [
            "Every window of this cycle has closed: new conversations would be overdue at once, so none are added."
        ]

    @pytest.mark.parametrize("status", [CycleStatus.DRAFT, CycleStatus.CLOSED])
    def test_a_cycle_that_is_not_active_is_refused_with_a_message(self, running, hr, status):
        running.status = status
        running.save(update_fields=["status"])
        with assert_nothing_changes():
            response = hr.post(add(running), CONFIRM, follow=True)
        assert shown_messages(response) == ["Newcomers are added to an active cycle only; this one is not active."]

    def test_the_confirmation_asks_as_many_queries_for_40_newcomers_as_for_2(self, tenant_a, running, hr):
        def build(numbers):
            for _number in numbers:
                EmployeeFactory(organization=tenant_a.organization)

        response = assert_flat_queries(lambda: hr.get(add(running)), build)
        assert "This creates 43 conversations for 43 people." in text(response) and "and 23 more" in text(response)


class TestAddingOnePerson:
    def test_the_first_click_names_only_them(self, tenant_a, running, hr):
        with assert_nothing_changes():
            page = text(hr.post(add(running, tenant_a.outsider)))
        assert f"Add {tenant_a.outsider.full_name} to 2027" in page
        assert "This creates 1 conversation for 1 person." in page
        assert tenant_a.hr.full_name not in page.split("What will happen", 1)[1].split("</form>")[0]

    def test_the_confirmed_post_adds_only_them_and_goes_back_to_their_page(self, tenant_a, running, hr):
        response = hr.post(add(running, tenant_a.outsider), CONFIRM, follow=True)
        assert response.redirect_chain[-1][0] == tenant_a.outsider.get_absolute_url()
        assert shown_messages(response) == [
            f"{tenant_a.outsider.full_name} has been added to 2027. 1 conversation was created."
        ]
        assert set(Conversation.objects.exclude(employee=tenant_a.employee).values_list("employee", flat=True)) == {
            tenant_a.outsider.pk
        }

    def test_someone_who_is_not_a_newcomer_is_refused_with_a_message(self, tenant_a, running, hr):
        with assert_nothing_changes():
            response = hr.post(add(running, tenant_a.employee), CONFIRM, follow=True)
        assert response.redirect_chain[-1][0] == tenant_a.employee.get_absolute_url()
        assert shown_messages(response) == [
            f"{tenant_a.employee.full_name} is not a newcomer of 2027: they have conversations in it already, or are "
            "not in its scope."
        ]

    @pytest.mark.parametrize("person", ["abc", "0", "-1", "", "99999999", "9" * 30])
    def test_a_person_that_is_not_one_gets_404(self, client, tenant_a, running, person):
        address = url("cycles:newcomers_add", tenant_a.organization, cycle_id=running.pk) + f"?person={person}"
        assert_refused(client, tenant_a.hr, address, 404, "post", CONFIRM)

    def test_a_person_of_another_organisation_gets_404(self, client, tenant_a, tenant_b, running):
        assert_refused(client, tenant_a.hr, add(running, tenant_b.outsider), 404, "post", CONFIRM)


class TestTheDoor:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_member_of_another_organisation_gets_404(self, client, running, stranger, method):
        assert_other_organisation_gets_404(client, stranger, add(running), method, CONFIRM)

    def test_another_organisations_cycle_under_this_address_gets_404(self, client, tenant_a, tenant_b, running):
        theirs = url("cycles:newcomers_add", tenant_b.organization, cycle_id=running.pk)
        assert_refused(client, tenant_b.hr, theirs, 404, "post", CONFIRM)

    @pytest.mark.parametrize("role", ["manager", "employee"])
    def test_a_member_who_is_not_hr_gets_403(self, client, tenant_a, running, role):
        assert_role_forbidden(client, tenant_a.member(role), add(running, tenant_a.outsider), "post", CONFIRM)

    def test_the_step_takes_only_get_and_post(self, running, hr):
        assert_method_not_allowed(hr, add(running), ["put", "patch", "delete"])
