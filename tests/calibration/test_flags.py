"""The calibration page's flags: each rule on hand-built reviews, with the cycle's thresholds, and its words."""

import datetime
import html
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from calibration import flags
from calibration.distribution import Distribution
from calibration.flags import Leaning, Thresholds
from calibration.models import Calibration
from reviews.models import Observation, OutcomeBand, Review, ReviewState
from tests.calibration.calibration_page_kit import cite, managed, reason_only
from tests.kit import url
from tests.pay.conftest import make_pay

pytestmark = pytest.mark.django_db

BELOW, MEETS, EXCEEDS = 0, 1, 2
DEFAULTS = Thresholds(share_points=15, min_reviews=5, recency_percent=50)


@pytest.fixture
def pay(tenant_a):
    return make_pay(tenant_a)


def page(client, pay, **query):
    response = client.get(url("calibration:calibration", pay.tenant.organization, cycle_id=pay.cycle.pk), query)
    assert response.status_code == 200
    return response


def text_of(response):
    """The page's text as a reader sees it: tags out, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# --- 1. the spread, on hand-built distributions (no database) ---------------------------------------------------

BANDS = [OutcomeBand(pk=10, position=0), OutcomeBand(pk=11, position=1), OutcomeBand(pk=12, position=2)]
# The organisation: 20 % below, 60 % meets, 20 % exceeds.
ORGANISATION = Distribution(counts={10: 20, 11: 60, 12: 20})


def flagged(counts, thresholds=DEFAULTS):
    found = flags.share_flags(
        distribution=Distribution(counts=counts), organization=ORGANISATION, bands=BANDS, thresholds=thresholds
    )
    return [(flag.leaning, flag.band.pk, flag.share, flag.organization_share) for flag in found]


@pytest.mark.django_db(False)
def test_a_manager_with_more_in_the_top_band_and_fewer_in_the_bottom_is_lenient():
    # 50 % exceeds against 20 % (+30 points); 0 % below against 20 % (-20 points).
    assert flagged({11: 5, 12: 5}) == [
        (Leaning.LENIENT, 12, Decimal("50.0"), Decimal("20.0")),
        (Leaning.LENIENT, 10, Decimal("0"), Decimal("20.0")),
    ]


@pytest.mark.django_db(False)
def test_a_manager_with_more_in_the_bottom_band_is_severe():
    # 40 % below against 20 % (+20); 10 % exceeds against 20 % (-10: within 15 points).
    assert flagged({10: 4, 11: 5, 12: 1}) == [(Leaning.SEVERE, 10, Decimal("40.0"), Decimal("20.0"))]


@pytest.mark.django_db(False)
def test_a_manager_close_to_the_organisation_is_not_flagged():
    assert flagged({10: 2, 11: 6, 12: 2}) == []
    assert flagged({10: 3, 11: 5, 12: 2}) == []  # 30 % below: 10 points off


@pytest.mark.django_db(False)
def test_a_manager_below_the_fewest_reviews_is_never_flagged():
    assert flagged({12: 4}) == []  # 100 % exceeds, but 4 reviews of the 5 needed
    assert flagged({12: 4}, Thresholds(share_points=15, min_reviews=4, recency_percent=50)) != []


@pytest.mark.django_db(False)
def test_the_difference_must_be_more_than_the_threshold():
    # 35 % exceeds against 20 %: exactly 15 points is not more than 15.
    assert flagged({10: 4, 11: 9, 12: 7}) == []
    assert flagged({10: 4, 11: 9, 12: 7}, Thresholds(share_points=14, min_reviews=5, recency_percent=50)) == [
        (Leaning.LENIENT, 12, Decimal("35.0"), Decimal("20.0"))
    ]
    assert flagged({11: 5, 12: 5}, Thresholds(share_points=30, min_reviews=5, recency_percent=50)) == []


@pytest.fixture
def spread(pay):
    """Four managers. The organisation: 5 below, 7 meets, 8 exceeds of 20 (25 %, 35 %, 40 %)."""
    return {
        "Lotte": managed(pay, "Lotte", [EXCEEDS] * 4 + [MEETS] * 2)[0],  # 66.7 % exceeds, 0 % below: lenient
        "Sven": managed(pay, "Sven", [BELOW] * 4 + [MEETS] * 2)[0],  # 66.7 % below, 0 % exceeds: severe
        "Nora": managed(pay, "Nora", [BELOW, MEETS, MEETS, MEETS, EXCEEDS, EXCEEDS])[0],  # 16.7 % / 33.3 %
        "Kees": managed(pay, "Kees", [EXCEEDS, EXCEEDS])[0],  # 100 % exceeds, but only 2 reviews
    }


def rows_by_name(response):
    return {row.manager.first_name: row for row in response.context["page"].object_list}


def test_the_page_flags_the_lenient_and_the_severe_manager_with_their_shares(hr, pay, spread):
    response = page(hr, pay)
    summary = response.context["summary"]
    assert (summary.lenient, summary.severe, summary.compared) == (1, 1, 3)
    rows = rows_by_name(response)
    assert [
        (flag.leaning, flag.band.position, flag.share, flag.organization_share) for flag in rows["Lotte"].flags
    ] == [
        (Leaning.LENIENT, EXCEEDS, Decimal("66.7"), Decimal("40.0")),
        (Leaning.LENIENT, BELOW, Decimal("0"), Decimal("25.0")),
    ]
    assert {flag.leaning for flag in rows["Sven"].flags} == {Leaning.SEVERE}
    assert rows["Nora"].flags == [] and rows["Kees"].flags == []
    # Flagged first, then by name (all four are called "… Manager": by first name).
    assert [row.manager.first_name for row in response.context["page"].object_list] == ["Lotte", "Sven", "Kees", "Nora"]
    text = text_of(response)
    assert "Lenient Exceeds expectations: 66.7% (organisation: 40%)" in text
    assert "Severe Below expectations: 66.7% (organisation: 25%)" in text


def test_the_rule_is_stated_with_the_default_thresholds(hr, pay, spread):
    text = text_of(page(hr, pay))
    assert (
        "The rule: a manager with at least 5 reviews whose share in the top band (Exceeds expectations) or in the "
        "bottom band (Below expectations) differs from the organisation's by more than 15 percentage points." in text
    )
    assert "more than 50% were observed in the last 4 weeks before its assessment conversation" in text
    assert "1 manager is lenient" in text and "1 manager is severe" in text


def test_the_cycles_own_thresholds_apply_and_are_stated(hr, pay, spread):
    Calibration.objects.create(
        organization=pay.tenant.organization, cycle=pay.cycle, share_points=30, min_reviews=2, recency_percent=80
    )
    response = page(hr, pay)
    rows = rows_by_name(response)
    # Lotte is 26.7 and 25 points off: within 30. Kees (2 reviews) now counts: 60 points more in the top band.
    assert rows["Lotte"].flags == []
    assert [(flag.leaning, flag.band.position) for flag in rows["Kees"].flags] == [(Leaning.LENIENT, EXCEEDS)]
    assert {flag.leaning for flag in rows["Sven"].flags} == {Leaning.SEVERE}
    text = text_of(response)
    assert "at least 2 reviews whose share" in text and "by more than 30 percentage points" in text
    assert "more than 80% were observed" in text


def test_thresholds_in_the_address_are_not_input(hr, pay, spread):
    response = page(hr, pay, share_points="0", min_reviews="1", recency_percent="0")
    assert response.context["thresholds"] == DEFAULTS
    assert response.context["summary"].lenient == 1


# --- 2. deviations -----------------------------------------------------------------------------------------------


def test_a_deviation_is_listed_with_the_managers_justification(hr, pay):
    manager, reviews = managed(pay, "Dirk", [EXCEEDS, MEETS])
    Review.objects.filter(pk=reviews[0].pk).update(
        computed_band=pay.bands[MEETS], justification="Droeg de migratie alleen, twee maanden lang."
    )
    response = page(hr, pay, show="deviations")
    assert response.context["totals"].deviations == 1
    (listed,) = response.context["page"].object_list
    assert listed.pk == reviews[0].pk
    text = text_of(response)
    assert "Droeg de migratie alleen, twee maanden lang." in text
    assert "Meets expectations Exceeds expectations" in text  # the rule gives, the outcome
    assert "1 review has another outcome than the rule gives" in text
    assert rows_by_name(page(hr, pay)).get("Dirk").counts.deviations == 1


def test_an_outcome_chosen_before_the_rule_gives_one_is_a_deviation(hr, pay):
    _manager, reviews = managed(pay, "Dirk", [EXCEEDS])
    Review.objects.filter(pk=reviews[0].pk).update(computed_band=None, justification="Nog niet alles beoordeeld.")
    response = page(hr, pay, show="deviations")
    assert [review.pk for review in response.context["page"].object_list] == [reviews[0].pk]
    assert "None yet: not every expectation is rated" in text_of(response)


# --- 3. a reason instead of evidence -----------------------------------------------------------------------------


def test_a_rating_with_a_reason_instead_of_evidence_is_listed_and_counted_per_manager(hr, pay):
    _manager, reviews = managed(pay, "Rosa", [MEETS, MEETS])
    reason_only(pay, reviews[0], "Geen gelegenheid gehad om dit te zien.")
    cite(pay, reviews[0], [3], number=0)
    with_both = cite(pay, reviews[1], [3], number=0)  # a reason beside evidence rests on the evidence
    with_both.reason_without_evidence = "Ook al gezien."
    with_both.save()
    response = page(hr, pay, show="unevidenced")
    totals = response.context["totals"]
    assert (totals.unevidenced, totals.unevidenced_reviews) == (1, 1)
    (listed,) = response.context["page"].object_list
    assert listed.pk == reviews[0].pk and listed.unevidenced == 1
    text = text_of(response)
    assert "Afspraken nakomen (en) : Geen gelegenheid gehad om dit te zien." in text  # the title in bold
    assert "1 rating rests on a reason instead of an observation" in text
    assert rows_by_name(page(hr, pay))["Rosa"].counts.unevidenced == 1


# --- 4. recent evidence ------------------------------------------------------------------------------------------


@pytest.fixture
def held_last_week(pay):
    """Two reviews whose assessment conversation was a week ago."""
    return managed(pay, "Timo", [MEETS, MEETS], scheduled_at=timezone.now() - datetime.timedelta(days=7))[1]


def test_three_of_four_observations_in_the_last_four_weeks_is_flagged_at_fifty_percent(hr, pay, held_last_week):
    mostly_recent, spread_out = held_last_week
    cite(pay, mostly_recent, [0, 14, 28, 29])  # the 28th day before still counts: 3 of 4, 75 %
    cite(pay, spread_out, [2, 40, 100, 200])  # 1 of 4, 25 %
    response = page(hr, pay, show="recent")
    (listed,) = response.context["page"].object_list
    assert (listed.pk, listed.cited, listed.recent, listed.recent_share) == (mostly_recent.pk, 4, 3, Decimal("75.0"))
    assert response.context["totals"].recent == 1
    assert "1 review rests mostly on recent evidence" in text_of(response)


def test_the_recency_threshold_is_the_cycles(hr, pay, held_last_week):
    mostly_recent, spread_out = held_last_week
    cite(pay, mostly_recent, [0, 14, 28, 29])
    cite(pay, spread_out, [2, 40, 100, 200])
    Calibration.objects.create(organization=pay.tenant.organization, cycle=pay.cycle, recency_percent=75)
    assert page(hr, pay, show="recent").context["totals"].recent == 0  # 75 % is not more than 75 %
    Calibration.objects.filter(cycle=pay.cycle).update(recency_percent=20)
    assert page(hr, pay, show="recent").context["totals"].recent == 2


def test_the_same_observation_cited_twice_counts_once(hr, pay, held_last_week):
    review = held_last_week[0]
    first = cite(pay, review, [1, 60])
    second = cite(pay, review, [], number=1)
    second.evidence.set(first.evidence.all())  # the same two: 1 of 2 recent, 50 %, not more than 50 %
    assert page(hr, pay, show="recent").context["totals"].recent == 0


def test_the_conversations_day_is_the_organisations_local_day(hr, pay):
    # 00:30 in Amsterdam is the evening before in UTC: the day is the local one, so the 29th day before is not recent
    # (counted from the UTC day it would be the 28th, and recent).
    day = timezone.localdate() - datetime.timedelta(days=3)
    half_past_midnight = datetime.datetime.combine(day, datetime.time(0, 30), tzinfo=ZoneInfo("Europe/Amsterdam"))
    _manager, (review,) = managed(pay, "Timo", [MEETS], scheduled_at=half_past_midnight)
    review.conversation.refresh_from_db()
    cite(pay, review, [29])
    assert page(hr, pay).context["totals"].recent == 0
    Observation.objects.filter(ratings__review=review).update(observed_on=day - datetime.timedelta(days=28))
    assert page(hr, pay).context["totals"].recent == 1


def test_without_a_conversation_date_the_day_the_review_started_counts(hr, pay):
    _manager, (review,) = managed(pay, "Timo", [MEETS])
    review.conversation.scheduled_at = None
    review.conversation.save(update_fields=["scheduled_at"])
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - datetime.timedelta(days=100))
    review.refresh_from_db()
    cite(pay, review, [1, 2, 3, 50])  # before the day the review was started: 3 of 4 recent
    response = page(hr, pay, show="recent")
    (listed,) = response.context["page"].object_list
    assert listed.recent_share == Decimal("75.0")
    assert "No date; review started" in text_of(response)


# --- 5. drafts ---------------------------------------------------------------------------------------------------


def test_drafts_are_counted_per_manager(hr, pay):
    managed(pay, "Anna", [MEETS] * 3, state=ReviewState.DRAFT)
    managed(pay, "Anna", [MEETS] * 2, state=ReviewState.SHARED)  # another manager called Anna
    managed(pay, "Bram", [MEETS], state=ReviewState.DRAFT)
    response = page(hr, pay, show="drafts")
    assert response.context["totals"].drafts == 4
    assert [(row["name"], row["drafts"]) for row in response.context["page"].object_list] == [
        ("Anna Manager", 3),
        ("Bram Manager", 1),
    ]
    assert "4 reviews with a proposed outcome are still in draft" in text_of(response)
