"""HR's calibration window of a cycle: its page with the flags' thresholds, opening it and closing it.

Opening and closing ask first, saying what happens to whom with counts; each is a conditional update on the cycle's
calibration row, recorded in the audit trail. Refused (translated, nothing changed): opening in a cycle that is
closed or not active, opening an open window, closing one that is not open. Opening after closing is a second round.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from calibration.models import Calibration, Window
from cycles.models import CycleStatus
from organizations.audit_models import AuditEntry
from reviews.models import ReviewState
from tests.factories import CycleFactory, EmployeeFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    shown_messages,
)
from tests.pay.budget_kit import BELOW, MEETS, review_of
from tests.pay.conftest import make_pay
from tests.pay.mine_page import page_text

from .window_kit import (
    close_page,
    closed,
    employees_review,
    hooks_for_the_test,
    moved,
    moves_of,
    open_page,
    opened,
    report_of,
    window_page,
)

pytestmark = pytest.mark.django_db

THRESHOLDS = {"share_points": "15", "min_reviews": "5", "recency_percent": "50"}


@pytest.fixture(autouse=True)
def _hooks(monkeypatch):
    hooks_for_the_test(monkeypatch)


@pytest.fixture
def pay(tenant_a):
    return make_pay(tenant_a)


def calibration(pay):
    return Calibration.objects.filter(cycle=pay.cycle).first()


def window_entries(pay):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Calibration), object_id=calibration(pay).pk
    ).order_by("pk")


PAGES = {"window": window_page, "open": open_page, "close": close_page}


# --- who may use the pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_another_organisations_member_gets_404(client, pay, stranger, name):
    if name == "close":
        opened(pay)
    for method in ("get", "post"):
        data = {"confirm": "yes", **THRESHOLDS}
        assert_other_organisation_gets_404(client, stranger, PAGES[name](pay.cycle), method, data)


@pytest.mark.parametrize("name", PAGES)
def test_another_organisations_hr_with_its_own_address_and_our_cycle_gets_404(client, pay, tenant_b, name):
    address = PAGES[name](pay.cycle).replace("/o/alfa/", "/o/bravo/")
    for method in ("get", "post"):
        client.force_login(tenant_b.hr.user)
        with assert_nothing_changes():
            assert getattr(client, method)(address, {"confirm": "yes", **THRESHOLDS}).status_code == 404


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_hr_may_use_the_pages(client, pay, tenant_a, name, role):
    if name == "close":
        opened(pay)
    for method in ("get", "post"):
        data = {"confirm": "yes", "share_points": "99"}
        assert_role_forbidden(client, tenant_a.member(role), PAGES[name](pay.cycle), method, data)


@pytest.mark.parametrize("name", PAGES)
def test_other_methods_get_405(hr, pay, name):
    assert_method_not_allowed(hr, PAGES[name](pay.cycle), ["put", "patch", "delete"])


# --- the page and the thresholds --------------------------------------------------------------------------------


def test_the_page_shows_the_window_the_thresholds_and_which_flag_each_sets(hr, pay):
    employees_review(pay)

    with assert_nothing_changes():
        response = hr.get(window_page(pay.cycle))

    text = page_text(response)
    assert "No calibration window" in text
    assert "Reviews in draft 1 review · 1 manager" in text
    assert 'value="15"' in response.content.decode() and 'value="50"' in response.content.decode()
    assert "Sets the flag on a manager's spread" in text
    assert "not compared, as a handful of reviews says little about a spread" in text
    assert "made in the 4 weeks before its assessment conversation" in text
    assert "Open the calibration window…" in text


def test_the_first_save_makes_the_row_and_the_audit_trail_records_it(hr, pay, tenant_a):
    assert calibration(pay) is None

    response = hr.post(
        window_page(pay.cycle), {"share_points": "20", "min_reviews": "3", "recency_percent": "60"}, follow=True
    )

    assert shown_messages(response) == ["The thresholds of the calibration flags have been saved."]
    row = calibration(pay)
    assert (row.share_points, row.min_reviews, row.recency_percent, row.window) == (20, 3, 60, Window.NONE)
    assert window_entries(pay).filter(actor_employee=tenant_a.hr).exists()


def test_saving_the_same_thresholds_again_changes_nothing(hr, pay):
    hr.post(window_page(pay.cycle), THRESHOLDS)

    with assert_nothing_changes(Calibration.objects.all(), AuditEntry.objects.all()):
        hr.post(window_page(pay.cycle), THRESHOLDS)


BAD = [
    ("share_points", "abc", "Enter a whole number of percentage points from 0 to 100."),
    ("share_points", "150", "Enter a whole number of percentage points from 0 to 100."),
    ("share_points", "-1", "Enter a whole number of percentage points from 0 to 100."),
    ("share_points", "1.5", "Enter a whole number of percentage points from 0 to 100."),
    ("share_points", "", "Enter a whole number of percentage points from 0 to 100."),
    ("min_reviews", "abc", "Enter a whole number of reviews from 1 to 1000."),
    ("min_reviews", "0", "Enter a whole number of reviews from 1 to 1000."),
    ("min_reviews", "-1", "Enter a whole number of reviews from 1 to 1000."),
    ("min_reviews", "1001", "Enter a whole number of reviews from 1 to 1000."),
    ("recency_percent", "abc", "Enter a whole percentage from 0 to 100."),
    ("recency_percent", "150", "Enter a whole percentage from 0 to 100."),
    ("recency_percent", "-1", "Enter a whole percentage from 0 to 100."),
    ("recency_percent", "99999999999999999999999", "Enter a whole percentage from 0 to 100."),
]


@pytest.mark.parametrize(("field", "typed", "message"), BAD)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(hr, pay, field, typed, message):
    with assert_nothing_changes():
        response = hr.post(window_page(pay.cycle), {**THRESHOLDS, field: typed})

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert "Nothing has been saved" in page_text(response)


# --- opening ------------------------------------------------------------------------------------------------------


def drafts_by_two_managers(pay, tenant_a):
    """Three reviews in draft (two by Mark, one by a second manager), and one shared review, which stays as it is."""
    other = EmployeeFactory(organization=tenant_a.organization, is_manager=True, first_name="Rosa", last_name="Klein")
    employees_review(pay)
    review_of(pay, report_of(tenant_a.manager), BELOW)
    review_of(pay, report_of(other), MEETS)
    review_of(pay, report_of(other), MEETS, state=ReviewState.SHARED)


def test_opening_asks_first_saying_whose_reviews_wait(hr, pay, tenant_a):
    drafts_by_two_managers(pay, tenant_a)

    with assert_nothing_changes():
        response = hr.get(open_page(pay.cycle))

    text = page_text(response)
    assert "While the window is open, the 3 reviews still in draft cannot be shared." in text
    assert "2 managers are affected: instead of the Share button, they read that HR is calibrating." in text
    assert "HR can move a proposed outcome to another outcome of this cycle, with a reason the manager reads." in text
    assert "Managers with reviews in draft" in text
    assert "Rosa Klein" in text and tenant_a.manager.full_name in text


def test_a_post_without_the_confirmation_opens_nothing(hr, pay):
    with assert_nothing_changes():
        response = hr.post(open_page(pay.cycle))

    assert "Open the calibration window" in page_text(response)


def test_hr_opens_the_window_and_the_audit_trail_says_who(hr, pay, tenant_a):
    response = hr.post(open_page(pay.cycle), {"confirm": "yes"}, follow=True)

    assert shown_messages(response) == ["The calibration window is open: reviews of this cycle cannot be shared."]
    row = calibration(pay)
    assert row.window == Window.OPEN and row.opened_by == tenant_a.hr and row.opened_at is not None
    entry = window_entries(pay).filter(action=AuditEntry.Action.UPDATE, changes__has_key="window").get()
    assert entry.changes["window"] == ["none", "open"] and entry.actor_employee == tenant_a.hr
    assert "Close the calibration window…" in page_text(response)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (CycleStatus.CLOSED, "This cycle is closed: its calibration window can no longer be opened."),
        (CycleStatus.DRAFT, "This cycle is not active yet: open the calibration window once the cycle is active."),
    ],
)
def test_opening_in_a_cycle_that_is_not_active_is_refused(hr, tenant_a, status, message):
    cycle = CycleFactory(organization=tenant_a.organization, status=status)

    for method in ("get", "post"):
        with assert_nothing_changes():
            response = getattr(hr, method)(open_page(cycle), {"confirm": "yes"}, follow=True)
        assert shown_messages(response) == [message]


def test_opening_an_open_window_is_refused_naming_who_opened_it(hr, pay, tenant_a):
    opened(pay)

    with assert_nothing_changes():
        response = hr.post(open_page(pay.cycle), {"confirm": "yes"}, follow=True)

    [message] = shown_messages(response)
    assert message.startswith(f"The calibration window is already open: {tenant_a.hr.full_name} opened it on ")


def test_of_two_hr_admins_opening_from_the_same_page_the_second_is_refused(pay, tenant_a):
    second = client_for(EmployeeFactory(organization=tenant_a.organization, hr=True, first_name="Ines"))
    first = client_for(tenant_a.hr)
    first.get(open_page(pay.cycle))
    second.get(open_page(pay.cycle))

    first.post(open_page(pay.cycle), {"confirm": "yes"})
    with assert_nothing_changes():
        response = second.post(open_page(pay.cycle), {"confirm": "yes"}, follow=True)

    assert shown_messages(response)[0].startswith("The calibration window is already open: Hanna")
    assert calibration(pay).opened_by == tenant_a.hr


# --- closing ------------------------------------------------------------------------------------------------------


def test_closing_asks_first_saying_how_many_outcomes_hr_moved(hr, pay, tenant_a):
    opened(pay)
    moved(pay, employees_review(pay))
    moved(pay, review_of(pay, report_of(tenant_a.manager), MEETS))

    with assert_nothing_changes():
        response = hr.get(close_page(pay.cycle))

    text = page_text(response)
    assert "Managers can share their reviews again: 2 reviews are still in draft." in text
    assert "HR moved 2 outcomes while the window was open; the managers read why" in text


def test_hr_closes_the_window_and_managers_may_share_again(hr, pay, tenant_a):
    opened(pay)

    response = hr.post(close_page(pay.cycle), {"confirm": "yes"}, follow=True)

    assert shown_messages(response) == ["The calibration window is closed: managers can share their reviews again."]
    row = calibration(pay)
    assert row.window == Window.CLOSED and row.closed_by == tenant_a.hr
    assert window_entries(pay).filter(changes__window=["open", "closed"]).exists()


def test_closing_a_window_never_opened_is_refused(hr, pay):
    for method in ("get", "post"):
        with assert_nothing_changes():
            response = getattr(hr, method)(close_page(pay.cycle), {"confirm": "yes"}, follow=True)
        assert shown_messages(response) == [
            "The calibration window of this cycle has not been opened, so there is nothing to close."
        ]


def test_closing_a_closed_window_is_refused_naming_who_closed_it(hr, pay, tenant_a):
    opened(pay)
    closed(pay)

    with assert_nothing_changes():
        response = hr.post(close_page(pay.cycle), {"confirm": "yes"}, follow=True)

    [message] = shown_messages(response)
    assert message.startswith(f"The calibration window is not open: {tenant_a.hr.full_name} closed it on ")


def test_the_window_opens_again_after_closing_a_second_round(hr, pay):
    opened(pay)
    closed(pay)

    assert "Open the calibration window again…" in page_text(hr.get(window_page(pay.cycle)))
    hr.post(open_page(pay.cycle), {"confirm": "yes"})

    row = calibration(pay)
    assert row.window == Window.OPEN and row.closed_at is None
    assert window_entries(pay).filter(changes__window=["closed", "open"]).exists()


def test_a_window_left_open_when_the_cycle_closed_can_still_be_closed(hr, pay):
    opened(pay)
    type(pay.cycle).objects.filter(pk=pay.cycle.pk).update(status=CycleStatus.CLOSED)

    hr.post(close_page(pay.cycle), {"confirm": "yes"})

    assert calibration(pay).window == Window.CLOSED


# --- a fixed number of queries ------------------------------------------------------------------------------------


def test_the_window_page_is_flat_in_the_number_of_moves_and_reviews(hr, pay, tenant_a):
    opened(pay)

    def build(numbers):
        moves_of(pay, len(numbers))

    response = assert_flat_queries(lambda: hr.get(window_page(pay.cycle)), build)
    assert "(40)" in page_text(response)


@pytest.mark.parametrize("page", [open_page, close_page])
def test_the_confirmation_pages_are_flat_in_the_number_of_reviews_and_managers(hr, pay, tenant_a, page):
    if page is close_page:
        opened(pay)

    def build(numbers):
        for _number in numbers:
            moves_of(pay, 1, manager=EmployeeFactory(organization=tenant_a.organization, is_manager=True))

    response = assert_flat_queries(lambda: hr.get(page(pay.cycle)), build)
    assert response.status_code == 200
