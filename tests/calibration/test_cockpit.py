"""HR's cockpit (calibration.views_cockpit): where the newest active cycle stands, each figure a link to its page.

The full page normally, the cockpit's card alone for htmx (HR's home loads it after the page, so the home page asks
nothing more of the database). The two parts that cost more at 10,000 people, calibration's flags and the budget,
load after the cockpit from addresses of their own. HR only; a fixed number of queries whatever the number of people.
"""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calibration import home
from cycles.models import ConversationState, CycleStatus
from pay import money
from pay.selectors_budget import budget_of
from reviews.models import Review, ReviewState
from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    url,
)
from tests.pay.budget_kit import BELOW, EXCEEDS, crowd, review_of
from tests.pay.conftest import make_pay
from tests.pay.mine_page import page_text, text

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}  # for client.get(...)
HX_HEADERS = {"HX-Request": "true"}  # for the kit's checks (their ``headers``)


@pytest.fixture
def pay(tenant_a):
    """tests/pay/conftest.py's: Alfa's active cycle around today, its three bands and a published pay table."""
    return make_pay(tenant_a)


def cockpit_url(organization):
    return url("calibration:cockpit", organization)


def part(response, heading_id) -> str:
    """The text of the cockpit's part under the heading ``heading_id`` (up to the next part)."""
    page = response.content.decode()
    found = re.search(rf'<h3 id="{heading_id}">(.*?)(?=<h3 |</section>)', page, re.S)
    assert found, f"no part {heading_id!r} in the cockpit"
    return text(found.group(1))


def calibration_part(pay):
    return url("calibration:cockpit_calibration", pay.tenant.organization, cycle_id=pay.cycle.pk)


def budget_part(pay):
    return url("calibration:cockpit_budget", pay.tenant.organization, cycle_id=pay.cycle.pk)


PARTS = {"calibration": calibration_part, "budget": budget_part}


def overdue_conversation(pay, person):
    """``person``'s conversation at a moment of the cycle whose window closed yesterday, not held: overdue."""
    today = timezone.localdate()
    moment = MomentFactory(
        cycle=pay.cycle, opens_on=today - datetime.timedelta(days=20), closes_on=today - datetime.timedelta(days=1)
    )
    return ConversationFactory(moment=moment, employee=person, state=ConversationState.TO_SCHEDULE)


# --- who may open it ---------------------------------------------------------------------------------------------


def test_hr_opens_the_cockpit(pay, hr):
    response = hr.get(cockpit_url(pay.tenant.organization))

    assert response.status_code == 200
    assert "<h1>Cockpit</h1>" in response.content.decode()
    assert f"Cycle {pay.cycle.name} at a glance" in page_text(response)


def test_a_member_of_another_organisation_gets_404(client, pay, stranger):
    assert_other_organisation_gets_404(client, stranger, cockpit_url(pay.tenant.organization))


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_403(client, pay, tenant_a, role):
    assert_role_forbidden(client, tenant_a.member(role), cockpit_url(tenant_a.organization))
    assert_role_forbidden(client, tenant_a.member(role), cockpit_url(tenant_a.organization), headers=HX_HEADERS)


def test_the_cockpit_only_reads(pay, hr):
    assert_method_not_allowed(hr, cockpit_url(pay.tenant.organization), ["post", "put", "patch", "delete"])


# --- what it shows -----------------------------------------------------------------------------------------------


def test_progress_per_moment_links_to_the_moment_on_the_progress_page(pay, hr):
    ConversationFactory(moment=pay.assessment.progress, employee=pay.tenant.manager, state=ConversationState.HELD)
    response = hr.get(cockpit_url(pay.tenant.organization))
    progress = url("cycles:cycle_progress", pay.tenant.organization, cycle_id=pay.cycle.pk)

    conversations = part(response, "cockpit-conversations")

    assert f"{pay.assessment.progress.name_en} : 1 of 2 held" in conversations  # the name is the link
    assert f"{pay.assessment.assessment.name_en} : 0 of 1 held" in conversations
    assert f'href="{progress}?moment={pay.assessment.progress.pk}#per-team"' in response.content.decode()


def test_overdue_conversations_are_counted_and_link_to_the_overdue_list(pay, hr):
    overdue_conversation(pay, pay.tenant.employee)
    overdue_conversation(pay, pay.tenant.manager)
    response = hr.get(cockpit_url(pay.tenant.organization))
    progress = url("cycles:cycle_progress", pay.tenant.organization, cycle_id=pay.cycle.pk)

    assert "2 conversations overdue" in part(response, "cockpit-conversations")
    assert f'href="{progress}#overdue"' in response.content.decode()


def test_nothing_overdue_is_said_calmly(pay, hr):
    assert "No conversation is overdue" in part(hr.get(cockpit_url(pay.tenant.organization)), "cockpit-conversations")


def test_reviews_per_state_link_to_the_cycles_list_of_reviews(pay, hr):
    crowd(pay, range(3))
    crowd(pay, range(3, 5), state=ReviewState.FINALISED)
    response = hr.get(cockpit_url(pay.tenant.organization))
    reviews = url("reviews:cycle_reviews", pay.tenant.organization, cycle_id=pay.cycle.pk)

    states = part(response, "cockpit-reviews")

    assert "Draft: 3" in states
    assert "Finalised: 2" in states
    assert "Shared with the employee: 0" in states
    assert "5 reviews in all" in states
    assert f'href="{reviews}?state=draft"' in response.content.decode()


def test_calibration_and_budget_load_after_the_cockpit_and_link_to_their_pages_without_javascript(pay, hr):
    response = hr.get(cockpit_url(pay.tenant.organization))
    content = response.content.decode()

    for name, page in (("cockpit_calibration", "calibration:calibration"), ("cockpit_budget", "pay:budget")):
        part_url = url(f"calibration:{name}", pay.tenant.organization, cycle_id=pay.cycle.pk)
        assert f'hx-get="{part_url}" hx-trigger="load"' in content
        assert f'href="{url(page, pay.tenant.organization, cycle_id=pay.cycle.pk)}"' in content


def test_the_calibration_part_counts_each_flag_and_links_to_its_list(pay, hr):
    crowd(pay, range(2))
    Review.objects.update(computed_band=F("band"))  # as the rule gives
    deviating = review_of(
        pay, pay.tenant.employee, EXCEEDS, state=ReviewState.SHARED, conversation=pay.assessment.conversation
    )
    Review.objects.filter(pk=deviating.pk).update(computed_band=pay.bands[BELOW])

    response = hr.get(calibration_part(pay), **HTMX)
    content = response.content.decode()
    calibration = text(content)

    assert "1 review has another outcome than the rule gives" in calibration
    assert "2 reviews with a proposed outcome are still in draft" in calibration
    assert "0 ratings rest on a reason instead of an observation" in calibration
    page = url("calibration:calibration", pay.tenant.organization, cycle_id=pay.cycle.pk)
    assert f'href="{page}?show=deviations#list"' in content
    assert '<h3 id="cockpit-calibration-heading">' in content and "<html" not in content


def test_the_budget_part_gives_the_cost_of_the_proposed_outcomes_against_the_budget(pay, hr):
    crowd(pay, range(6))
    total = budget_of(cycle=pay.cycle).total

    response = hr.get(budget_part(pay), **HTMX)
    content = response.content.decode()
    budget = text(content)

    assert total.cost > 0
    assert f"People with a proposed outcome {total.people}" in budget
    assert f"Cost in the first year {money.euro(total.cost, 'en')}" in budget
    assert "Total budget Not set" in budget
    assert f'href="{url("pay:budget", pay.tenant.organization, cycle_id=pay.cycle.pk)}"' in content
    assert '<h3 id="cockpit-budget-heading">' in content and "<html" not in content


@pytest.mark.parametrize("part_of", PARTS)
def test_a_part_opened_without_htmx_is_a_page_of_its_own(pay, hr, part_of):
    response = hr.get(PARTS[part_of](pay))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Cockpit</h1>" in content
    assert re.search(r'<h2 id="cockpit-(calibration|budget)-heading">', content)
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("part_of", PARTS)
def test_the_parts_are_hrs_only_and_only_read(client, pay, tenant_a, tenant_b, stranger, part_of):
    address = PARTS[part_of](pay)
    assert_other_organisation_gets_404(client, stranger, address, headers=HX_HEADERS)
    # Bravo's HR at Bravo's address with Alfa's cycle: the cycle is looked up in Bravo, so 404.
    foreign = address.replace(f"/o/{tenant_a.organization.slug}/", f"/o/{tenant_b.organization.slug}/")
    assert_refused(client, stranger, foreign, 404, headers=HX_HEADERS)
    for role in ("employee", "manager"):
        assert_role_forbidden(client, tenant_a.member(role), address, headers=HX_HEADERS)
    client.force_login(tenant_a.hr.user)
    assert_method_not_allowed(client, address, ["post", "put", "patch", "delete"])


def test_the_newest_active_cycle_is_the_one_shown(pay, hr):
    newer = CycleFactory(
        organization=pay.tenant.organization,
        name="Newer",
        starts_on=pay.cycle.starts_on + datetime.timedelta(days=1),
        ends_on=pay.cycle.ends_on,
        status=CycleStatus.ACTIVE,
    )

    response = hr.get(cockpit_url(pay.tenant.organization))

    assert response.context["cockpit"].cycle == newer
    assert "Cycle Newer at a glance" in page_text(response)


def test_without_an_active_cycle_it_says_so_calmly(tenant_a, hr):
    CycleFactory(organization=tenant_a.organization, status=CycleStatus.CLOSED)

    response = hr.get(cockpit_url(tenant_a.organization))

    assert response.status_code == 200
    assert "No cycle is active." in page_text(response)


# --- htmx and the home page --------------------------------------------------------------------------------------


def test_for_htmx_it_answers_with_the_cockpits_card_alone(pay, hr):
    response = hr.get(cockpit_url(pay.tenant.organization), **HTMX)
    content = response.content.decode()

    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="card" id="cockpit"')
    assert "<html" not in content and "<h1>" not in content
    assert f"Cycle {pay.cycle.name} at a glance" in text(content)
    assert f'href="{cockpit_url(pay.tenant.organization)}"' in content  # Open the cockpit
    assert "HX-Request" in response["Vary"]


def test_hrs_home_loads_the_cockpit_after_the_page_and_links_to_it(pay, hr):
    content = hr.get(url("organizations:home", pay.tenant.organization)).content.decode()
    address = cockpit_url(pay.tenant.organization)

    assert f'hx-get="{address}" hx-trigger="load"' in content
    assert f'href="{address}">Open the cockpit' in content
    assert f"Cycle {pay.cycle.name} at a glance" not in content  # not computed for the home page


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_calibrations_home_card_asks_nothing_of_the_database(tenant_a, role, django_assert_num_queries):
    with django_assert_num_queries(0):
        card = home.home_card(employee=tenant_a.member(role))
    assert card == {"calibration_home": {"cockpit": role == "hr"}}


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_other_homes_have_no_cockpit(request, pay, role):
    content = request.getfixturevalue(role).get(url("organizations:home", pay.tenant.organization)).content.decode()
    assert cockpit_url(pay.tenant.organization) not in content


# --- queries -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_the_cockpit_makes_as_many_queries_with_40_people_as_with_2(pay, hr, headers):
    address = cockpit_url(pay.tenant.organization)

    def build(numbers):
        for person in crowd(pay, numbers, state=ReviewState.SIGNED):
            if person.first_name.endswith("0"):
                overdue_conversation(pay, person)  # one more moment, and an overdue conversation, per ten people

    response = assert_flat_queries(lambda: hr.get(address, **headers), build)

    assert response.context["cockpit"].reviews["total"] == 40


def test_the_cockpit_makes_as_many_queries_with_300_people_as_with_2(pay, hr):
    address = cockpit_url(pay.tenant.organization)

    response = assert_flat_queries(lambda: hr.get(address), lambda numbers: crowd(pay, numbers), many=300)

    assert response.context["cockpit"].reviews["total"] == 300


@pytest.mark.parametrize("part_of", PARTS)
def test_each_part_makes_as_many_queries_with_40_people_as_with_2(pay, hr, part_of):
    address = PARTS[part_of](pay)

    response = assert_flat_queries(lambda: hr.get(address, **HTMX), lambda numbers: crowd(pay, numbers))

    found = response.context.get("summary") or response.context["budget"]
    assert (found.totals.reviews if part_of == "calibration" else found.total.people) == 40


def test_the_cockpit_costs_a_fixed_number_of_queries(pay, hr):
    address = cockpit_url(pay.tenant.organization)
    hr.get(address)
    with CaptureQueriesContext(connection) as queries:
        hr.get(address)
    # The session, the login and the membership with its other memberships (three), the cycle (one), its moments
    # and their conversations (two), the reviews (one).
    assert len(queries) == 7, "\n".join(query["sql"][:120] for query in queries)
