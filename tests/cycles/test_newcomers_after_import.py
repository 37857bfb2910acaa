"""After a people import, HR lands on the import's page when an active cycle has people in scope without
conversations (those just imported among them), named, with the button to add them; otherwise on the people list."""

import datetime
import html

import pytest

from cycles.models import Conversation, CycleStatus
from organizations.models import Employee
from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import (
    assert_flat_queries,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    import_page,
    shown_messages,
    uploaded_through_the_page,
    url,
)

pytestmark = pytest.mark.django_db

D = datetime.date
CONFIRM = {"confirm": "yes"}
FILE = ("piet@example.org;Piet;Peters;;Klantenservice;;", "bea@example.org;Bea;Bos;;;;")


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def running(tenant_a, time_machine):
    """Cycle "2027", active, for everyone, on 1 June 2027: a closed March moment and a September one; everyone in
    Alfa has both conversations, so only the people imported are newcomers."""
    time_machine.move_to(datetime.datetime(2027, 6, 1, 10, tzinfo=datetime.UTC), tick=False)
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    march = MomentFactory(cycle=cycle, name_en="Planning talk", opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    september = MomentFactory(cycle=cycle, name_en="Progress talk", opens_on=D(2027, 9, 1), closes_on=D(2027, 9, 30))
    for person in Employee.objects.filter(organization=tenant_a.organization):
        ConversationFactory(moment=march, employee=person)
        ConversationFactory(moment=september, employee=person)
    return cycle


def test_after_the_import_hr_lands_on_its_page_with_the_people_to_add_named(tenant_a, running, hr):
    people_import = uploaded_through_the_page(hr, tenant_a.organization, *FILE)
    response = hr.post(import_page("apply", people_import), follow=True)
    assert response.redirect_chain[-1][0] == import_page("preview", people_import)
    assert shown_messages(response)[0].startswith("The people have been imported: 2 new, 0 updated, 0 unchanged.")
    offer = text(response).split('id="newcomer-offers"', 1)[1].split("</section>", 1)[0]
    assert "2 people in the scope of the active cycle 2027 have no conversations in it:" in offer
    assert "Bea Bos, Piet Peters" in offer
    assert "Adding them creates 2 conversations, one per person for each of these moments:" in offer
    assert "Planning talk is skipped: its window closed on 31 March 2027" in offer
    assert f'action="{url("cycles:newcomers_add", tenant_a.organization, cycle_id=running.pk)}"' in offer


def test_the_offer_leads_to_the_confirmation_and_adds_them(tenant_a, running, hr):
    people_import = uploaded_through_the_page(hr, tenant_a.organization, *FILE)
    hr.post(import_page("apply", people_import))
    address = url("cycles:newcomers_add", tenant_a.organization, cycle_id=running.pk)
    with assert_nothing_changes():
        confirmation = text(hr.post(address))
    assert "This creates 2 conversations for 2 people." in confirmation
    assert "Piet Peters" in confirmation and "Bea Bos" in confirmation

    response = hr.post(address, CONFIRM, follow=True)
    assert shown_messages(response) == ["Newcomers added: 2 conversations were created."]
    imported = Conversation.objects.filter(employee__user__email__in=["piet@example.org", "bea@example.org"])
    assert sorted(imported.values_list("moment__name_en", flat=True)) == ["Progress talk", "Progress talk"]
    assert 'id="newcomer-offers"' not in text(hr.get(import_page("preview", people_import)))


def test_without_an_active_cycle_hr_lands_on_the_people_list_as_before(tenant_a, hr):
    people_import = uploaded_through_the_page(hr, tenant_a.organization, *FILE)
    response = hr.post(import_page("apply", people_import), follow=True)
    assert response.redirect_chain[-1][0] == url("organizations:people_list", tenant_a.organization)


def test_when_every_window_has_closed_the_page_says_why_and_offers_no_button(tenant_a, running, hr, time_machine):
    people_import = uploaded_through_the_page(hr, tenant_a.organization, *FILE)
    hr.post(import_page("apply", people_import))
    time_machine.move_to(datetime.datetime(2027, 10, 1, 10, tzinfo=datetime.UTC), tick=False)
    hr.force_login(hr.employee.user)
    offer = text(hr.get(import_page("preview", people_import))).split('id="newcomer-offers"', 1)[1]
    offer = offer.split("</section>", 1)[0]
    assert "Every window of 2027 has closed: new conversations would be overdue at once" in offer
    assert "<form" not in offer


def test_the_page_asks_as_many_queries_for_40_newcomers_as_for_2(tenant_a, running, hr):
    lines = [f"nieuw{number}@example.org;Nieuw;Zz{number:02d};;;;" for number in range(40)]
    imports = {}

    def build(numbers):
        people_import = uploaded_through_the_page(hr, tenant_a.organization, *(lines[n] for n in numbers))
        hr.post(import_page("apply", people_import))
        imports["last"] = people_import

    response = assert_flat_queries(lambda: hr.get(import_page("preview", imports["last"])), build)
    assert "40 people in the scope of the active cycle 2027" in text(response) and "and 35 more" in text(response)


def test_the_import_page_stays_hrs(client, tenant_a, running, hr, stranger):
    people_import = uploaded_through_the_page(hr, tenant_a.organization, *FILE)
    hr.post(import_page("apply", people_import))
    assert_other_organisation_gets_404(client, stranger, import_page("preview", people_import))
    assert_role_forbidden(client, tenant_a.manager, import_page("preview", people_import))
