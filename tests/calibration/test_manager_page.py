"""A manager's own page: the outcomes they propose beside the organisation's, and HR's moves of their reviews.

Managers and HR each read their own reviews; the page never names another manager or their team, nor lists the
moves of another manager's reviews. A manager without reviews in the cycle reads a calm sentence.
"""

import re

import pytest

from cycles.models import CycleStatus
from tests.factories import CycleFactory, EmployeeFactory, TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    url,
)
from tests.pay.budget_kit import BELOW, EXCEEDS, MEETS, review_of
from tests.pay.conftest import make_pay
from tests.pay.mine_page import page_text

from .window_kit import REASON, employees_review, hooks_for_the_test, moved, moves_of, opened, report_of

pytestmark = pytest.mark.django_db

OTHER_MANAGER = ("Zebedeus", "Quartelmans")
OTHER_TEAM = "Vuurtorenwachters"
OTHER_REASON = "Alleen voor het team van de vuurtoren."


@pytest.fixture(autouse=True)
def _hooks(monkeypatch):
    hooks_for_the_test(monkeypatch)


@pytest.fixture
def pay(tenant_a):
    return make_pay(tenant_a)


def page(organization, **query):
    address = url("calibration:mine", organization)
    return f"{address}?cycle={query['cycle']}" if "cycle" in query else address


@pytest.fixture
def spread(pay, tenant_a):
    """Mark writes four reviews (1 below, 2 meet, 1 exceeds); Zebedeus, a second manager with a team of his own,
    writes four more (all exceed), one of which HR moved. The window is open."""
    opened(pay)
    employees_review(pay, MEETS)
    for band in (BELOW, MEETS, EXCEEDS):
        review_of(pay, report_of(tenant_a.manager), band)
    team = TeamFactory(organization=tenant_a.organization, name=OTHER_TEAM)
    other = EmployeeFactory(
        organization=tenant_a.organization,
        is_manager=True,
        first_name=OTHER_MANAGER[0],
        last_name=OTHER_MANAGER[1],
        team=team,
    )
    theirs = [review_of(pay, report_of(other, team=team, last_name="Vuurtoren"), EXCEEDS) for _ in range(4)]
    moved(pay, theirs[0], MEETS, reason=OTHER_REASON)
    return other


# --- who may use the page -------------------------------------------------------------------------------------------


def test_another_organisations_member_gets_404(client, pay, stranger):
    assert_other_organisation_gets_404(client, stranger, page(pay.tenant.organization))


def test_an_employee_gets_403(client, pay, tenant_a):
    assert_role_forbidden(client, tenant_a.employee, page(tenant_a.organization))


def test_other_methods_get_405(manager, pay):
    assert_method_not_allowed(manager, page(pay.tenant.organization), ["post", "put", "patch", "delete"])


def test_an_unknown_cycle_or_one_without_reviews_gets_404(manager, pay, tenant_a, tenant_b):
    employees_review(pay)
    without = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    foreign = make_pay(tenant_b).cycle
    for cycle in ("abc", "0", "99999999999999999999999", without.pk, foreign.pk):
        assert manager.get(page(tenant_a.organization, cycle=cycle)).status_code == 404


# --- the page ----------------------------------------------------------------------------------------------------


def row_text(response, band) -> str:
    row = rf'<tr>\s*<th scope="row">{re.escape(band.local_name)}</th>(.*?)</tr>'
    found = re.search(row, response.content.decode(), re.S)
    assert found, f"no row for {band} in the table"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_the_manager_sees_their_spread_beside_the_organisations(manager, pay, spread):
    with assert_nothing_changes():
        response = manager.get(page(pay.tenant.organization))

    assert response.status_code == 200
    # Mark: 1 below, 2 meet, 1 exceeds (of 4); everyone: 1 below, 3 meet (one moved by HR), 4 exceed (of 8). The
    # organisation's shows as shares only: its counts beside Mark's would give away the other managers' outcomes.
    assert row_text(response, pay.bands[BELOW]) == "1 25% 12.5%"
    assert row_text(response, pay.bands[MEETS]) == "2 50% 37.5%"
    assert row_text(response, pay.bands[EXCEEDS]) == "1 25% 50%"
    text = page_text(response)
    assert "Reviews with an outcome 4" in text and "Reviews with an outcome 4 8" not in text


def test_the_bars_repeat_the_table_for_the_eye_only(manager, pay, spread):
    page_html = manager.get(page(pay.tenant.organization)).content.decode()

    bars = re.search(r'<div class="spread-bars" aria-hidden="true">(.*?)</div>', page_html, re.S).group(1)
    assert bars.count("<svg") == 3
    assert 'width="25.0"' in bars and 'width="12.5"' in bars and 'width="37.5"' in bars


def test_the_bars_are_drawn_with_a_decimal_point_in_dutch_too(pay, spread, tenant_a):
    from tests.kit import client_for

    dutch = client_for(tenant_a.manager, language="nl")
    page_html = dutch.get(page(tenant_a.organization)).content.decode()

    assert 'width="12.5"' in page_html and 'width="12,5"' not in page_html


def test_the_page_never_names_another_manager_their_team_or_their_moves(manager, pay, spread):
    page_html = manager.get(page(pay.tenant.organization)).content.decode()

    for secret in (*OTHER_MANAGER, OTHER_TEAM, "Vuurtoren", OTHER_REASON):
        assert secret not in page_html


def test_the_manager_reads_every_move_hr_made_to_their_reviews(manager, pay, spread, tenant_a):
    mine = review_of(pay, report_of(tenant_a.manager, first_name="Joris", last_name="Dekker"), MEETS)
    moved(pay, mine, EXCEEDS)

    text = page_text(manager.get(page(tenant_a.organization)))

    assert "Outcomes HR moved (1)" in text
    assert f"Joris Dekker Meets expectations Exceeds expectations {REASON} {tenant_a.hr.full_name}" in text


def test_a_manager_without_reviews_in_the_cycle_reads_a_calm_sentence(pay, spread, tenant_a):
    from tests.kit import client_for

    newcomer = client_for(EmployeeFactory(organization=tenant_a.organization, is_manager=True))

    text = page_text(newcomer.get(page(tenant_a.organization)))

    assert "You have no reviews with an outcome in this cycle, so there is nothing to compare yet." in text
    assert "HR has not moved any outcome of your reviews in this cycle." in text
    for secret in (*OTHER_MANAGER, OTHER_TEAM):
        assert secret not in text


def test_hr_sees_their_own_usually_empty_page(hr, pay, spread):
    text = page_text(hr.get(page(pay.tenant.organization)))

    assert "You have no reviews with an outcome in this cycle" in text
    assert OTHER_REASON not in text


def test_without_any_review_the_page_says_so(manager, pay):
    text = page_text(manager.get(page(pay.tenant.organization)))

    assert "There are no reviews yet." in text


def test_the_manager_chooses_an_earlier_cycle(manager, pay, tenant_a):
    employees_review(pay, MEETS)
    earlier = make_pay_cycle_closed(pay, tenant_a)

    default = page_text(manager.get(page(tenant_a.organization)))
    chosen = page_text(manager.get(page(tenant_a.organization, cycle=earlier.pk)))

    assert f"Proposed outcomes in {pay.cycle.name}" in default
    assert f"Proposed outcomes in {earlier.name}" in chosen


def make_pay_cycle_closed(pay, tenant_a):
    """A closed cycle of last year in which Mark reviewed Eva (below expectations)."""
    from reviews.scales import cycle_bands
    from tests.factories import ConversationFactory, MomentFactory, ReviewFactory

    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.CLOSED, name="Vorig jaar")
    bands = cycle_bands(cycle=cycle)
    moment = MomentFactory(cycle=cycle, kind="assessment", produces_rating=True)
    ReviewFactory(conversation=ConversationFactory(moment=moment, employee=tenant_a.employee), band=bands[BELOW])
    return cycle


# --- a fixed number of queries ---------------------------------------------------------------------------------------


def test_the_page_is_flat_in_the_number_of_moves_and_reviews(manager, pay, tenant_a):
    opened(pay)

    def build(numbers):
        moves_of(pay, len(numbers))

    response = assert_flat_queries(lambda: manager.get(page(tenant_a.organization)), build)
    assert "Outcomes HR moved (40)" in page_text(response)
