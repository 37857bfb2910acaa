"""A person's page lists their conversations, and offers HR to add someone without any to the active cycle whose
scope they are in (both parts come from cycles, through organizations.extensions)."""

import datetime
import html

import pytest

from cycles.models import Conversation, ConversationState, CycleStatus
from organizations.models import Employee, Role
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory, TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

D = datetime.date
CONFIRM = {"confirm": "yes"}


def text(response):
    return html.unescape(response.content.decode())


def detail(person):
    return url("organizations:person_detail", person.organization, employee_id=person.pk)


def conversation_link(conversation):
    return url("cycles:conversation_detail", conversation.organization, conversation_id=conversation.pk)


def add(cycle, person):
    return url("cycles:newcomers_add", cycle.organization, cycle_id=cycle.pk) + f"?person={person.pk}"


@pytest.fixture
def june_2027(time_machine):
    time_machine.move_to(datetime.datetime(2027, 6, 1, 10, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def running(tenant_a, june_2027):
    """Cycle "2027", active, for everyone: a planning talk in March (closed by 1 June) and a progress talk in
    September. Eva has both conversations: the March one held, the September one scheduled."""
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    march = MomentFactory(cycle=cycle, name_en="Planning talk", opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    september = MomentFactory(cycle=cycle, name_en="Progress talk", opens_on=D(2027, 9, 1), closes_on=D(2027, 9, 30))
    ConversationFactory(moment=march, employee=tenant_a.employee, state=ConversationState.HELD)
    ConversationFactory(
        moment=september,
        employee=tenant_a.employee,
        state=ConversationState.SCHEDULED,
        scheduled_at=datetime.datetime(2027, 9, 14, 8, 30, tzinfo=datetime.UTC),
    )
    return cycle


# --- the list of conversations ------------------------------------------------------------------------------------


class TestTheConversations:
    def test_hr_sees_each_conversation_with_cycle_moment_state_date_and_link(self, tenant_a, running, hr):
        page = text(hr.get(detail(tenant_a.employee)))
        section = page.split('id="person-conversations"', 1)[1]
        assert "Planning talk" in section and "Held" in section
        assert "Progress talk" in section and "Scheduled" in section and "14 September 2027, 10:30" in section
        for conversation in Conversation.objects.filter(employee=tenant_a.employee):
            assert conversation_link(conversation) in section
        assert section.index("Planning talk") < section.index("Progress talk")  # in the cycle's order

    def test_an_open_conversation_whose_window_closed_is_marked_overdue(self, tenant_a, running, hr):
        Conversation.objects.filter(moment__name_en="Planning talk").update(state=ConversationState.TO_SCHEDULE)
        section = text(hr.get(detail(tenant_a.employee))).split('id="person-conversations"', 1)[1]
        assert "Overdue" in section and "window 1 March 2027 – 31 March 2027" in section

    @pytest.mark.parametrize("who", ["manager", "employee"])
    def test_their_manager_and_they_themselves_see_them_too(self, tenant_a, running, who, request):
        client = request.getfixturevalue(who)
        page = text(client.get(detail(tenant_a.employee)))
        for conversation in Conversation.objects.filter(employee=tenant_a.employee):
            assert conversation_link(conversation) in page

    def test_someone_without_conversations_reads_that_they_have_none(self, tenant_a, hr):
        page = text(hr.get(detail(tenant_a.outsider)))
        assert f"{tenant_a.outsider.full_name} has no conversations in any cycle." in page

    def test_only_the_latest_two_cycles_are_listed(self, tenant_a, running, hr):
        for year in (2025, 2026):
            cycle = CycleFactory(
                organization=tenant_a.organization,
                name=str(year),
                status=CycleStatus.CLOSED,
                starts_on=D(year, 1, 1),
                ends_on=D(year, 12, 31),
            )
            moment = MomentFactory(
                cycle=cycle, name_en=f"Talk of {year}", opens_on=D(year, 6, 1), closes_on=D(year, 6, 30)
            )
            ConversationFactory(moment=moment, employee=tenant_a.employee, state=ConversationState.HELD)
        page = text(hr.get(detail(tenant_a.employee)))
        assert "Talk of 2026" in page and "Talk of 2025" not in page
        assert "Conversations of older cycles are not listed here." in page
        assert page.index("Progress talk") < page.index("Talk of 2026")  # the newest cycle first

    def test_the_page_asks_as_many_queries_for_40_conversations_as_for_2(self, tenant_a, running, hr):
        def build(numbers):
            for number in numbers:
                moment = MomentFactory(cycle=running, name_en=f"Extra talk {number}")
                ConversationFactory(moment=moment, employee=tenant_a.employee)

        response = assert_flat_queries(lambda: hr.get(detail(tenant_a.employee)), build)
        assert "Extra talk 39" in text(response)

    def test_another_employee_opening_the_page_gets_403(self, client, tenant_a, running):
        assert_role_forbidden(client, tenant_a.outsider, detail(tenant_a.employee))

    @pytest.mark.parametrize("role", ["hr", "manager", "employee"])
    def test_a_member_of_another_organisation_gets_404(self, client, tenant_a, tenant_b, running, role):
        assert_other_organisation_gets_404(client, tenant_b.member(role), detail(tenant_a.employee))


# --- the offer to add someone without conversations -----------------------------------------------------------------


class TestTheOffer:
    def test_hr_is_offered_to_add_a_newcomer_naming_the_cycle_and_the_conversations(self, tenant_a, running, hr):
        page = text(hr.get(detail(tenant_a.outsider)))
        offer = page.split('id="newcomer-offers"', 1)[1].split("</section>", 1)[0]
        assert f"{tenant_a.outsider.full_name} has no conversations yet" in offer
        assert "is in the scope of the active cycle 2027, but has no conversations in it" in offer
        assert f"Adding {tenant_a.outsider.first_name} creates 1 conversation:" in offer
        assert "Progress talk" in offer
        assert "Planning talk is skipped: its window closed on 31 March 2027" in offer
        assert f'action="{add(running, tenant_a.outsider)}"' in offer
        assert page.index('id="newcomer-offers"') < page.index('id="details"')  # right under the heading

    def test_someone_who_has_their_conversations_is_offered_nothing(self, tenant_a, running, hr):
        assert 'id="newcomer-offers"' not in text(hr.get(detail(tenant_a.employee)))

    def test_someone_outside_the_cycles_scope_is_offered_nothing(self, tenant_a, june_2027, hr):
        cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE, teams=[tenant_a.team])
        MomentFactory(cycle=cycle)
        elsewhere = EmployeeFactory(
            organization=tenant_a.organization, team=TeamFactory(organization=tenant_a.organization)
        )
        assert 'id="newcomer-offers"' not in text(hr.get(detail(elsewhere)))
        assert 'id="newcomer-offers"' in text(hr.get(detail(tenant_a.manager)))  # in Klantenservice, without any

    def test_their_manager_is_not_offered_to_add_them(self, tenant_a, running, manager):
        newcomer = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager)
        page = text(manager.get(detail(newcomer)))
        assert 'id="newcomer-offers"' not in page and "has no conversations in any cycle" in page

    def test_when_every_window_has_closed_it_says_why_and_offers_no_button(self, tenant_a, running, hr, time_machine):
        time_machine.move_to(datetime.datetime(2027, 10, 1, 10, tzinfo=datetime.UTC), tick=False)
        hr.force_login(hr.employee.user)
        offer = text(hr.get(detail(tenant_a.outsider))).split('id="newcomer-offers"', 1)[1].split("</section>")[0]
        assert "Every window of 2027 has closed: new conversations would be overdue at once" in offer
        assert "<form" not in offer

    def test_the_offer_asks_as_many_queries_for_40_moments_as_for_2(self, tenant_a, running, hr):
        def build(numbers):
            for number in numbers:
                MomentFactory(cycle=running, name_en=f"Extra talk {number}")

        response = assert_flat_queries(lambda: hr.get(detail(tenant_a.outsider)), build)
        assert "Extra talk 39" in text(response)


def test_hr_adds_a_person_and_then_their_conversations_from_their_page(tenant_a, running, hr):
    """The journey: the person form, the offer on the person's page, the confirmation, the conversations listed."""
    data = {
        "email": "noor@example.org",
        "first_name": "Noor",
        "last_name": "Jacobs",
        "job_title": "Tester",
        "role": Role.EMPLOYEE,
        "team": tenant_a.team.pk,
        "manager": tenant_a.manager.pk,
    }
    response = hr.post(url("organizations:person_create", tenant_a.organization), data, follow=True)
    noor = Employee.objects.get(organization=tenant_a.organization, user__email="noor@example.org")
    assert response.redirect_chain[-1][0] == noor.get_absolute_url()
    assert "Add Noor Jacobs to 2027" in text(response)

    confirmation = text(hr.post(add(running, noor)))
    assert "This creates 1 conversation for 1 person." in confirmation
    assert not Conversation.objects.filter(employee=noor).exists()

    response = hr.post(add(running, noor), CONFIRM, follow=True)
    assert response.redirect_chain[-1][0] == noor.get_absolute_url()
    assert shown_messages(response) == ["Noor Jacobs has been added to 2027. 1 conversation was created."]
    conversation = Conversation.objects.get(employee=noor)
    assert conversation.moment.name_en == "Progress talk"
    page = text(response)
    assert conversation_link(conversation) in page and 'id="newcomer-offers"' not in page
