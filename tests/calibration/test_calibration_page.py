"""HR's calibration page of a cycle: who may open it, what it shows per manager and team, bad addresses, and a
query count that does not grow with the number of reviews."""

import html
import re
from decimal import Decimal

import pytest

from calibration.models import Calibration
from calibration.selectors_calibration import PER_PAGE, Show
from organizations.models import Team
from reviews.models import Review, ReviewState
from tests.calibration.calibration_page_kit import bulk_ratings, managed
from tests.factories import TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    url,
)
from tests.pay.conftest import make_pay

pytestmark = pytest.mark.django_db

BELOW, MEETS, EXCEEDS = 0, 1, 2


@pytest.fixture
def pay(tenant_a):
    return make_pay(tenant_a)


def address(pay, **kwargs):
    return url("calibration:calibration", pay.tenant.organization, cycle_id=pay.cycle.pk, **kwargs)


def text_of(response):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# --- who may open it ---------------------------------------------------------------------------------------------


def test_another_organisations_member_gets_404(client, pay, stranger):
    assert_other_organisation_gets_404(client, stranger, address(pay))


def test_another_organisations_cycle_is_404_for_our_hr(hr, tenant_b):
    other = make_pay(tenant_b)
    assert hr.get(url("calibration:calibration", hr.employee.organization, cycle_id=other.cycle.pk)).status_code == 404


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_only_hr_may_open_it(client, pay, tenant_a, role):
    assert_role_forbidden(client, tenant_a.member(role), address(pay))


def test_other_methods_get_405(hr, pay):
    assert_method_not_allowed(hr, address(pay), ["post", "put", "patch", "delete"])


# --- what it shows -----------------------------------------------------------------------------------------------


def test_the_organisations_spread_is_counted_per_band_with_bars_and_a_table(hr, pay):
    managed(pay, "Lotte", [BELOW, MEETS, MEETS, EXCEEDS])
    response = hr.get(address(pay))
    assert response.status_code == 200
    organisation = response.context["summary"].organization
    assert [organisation.count(band.pk) for band in pay.bands] == [1, 2, 1]
    page = response.content.decode()
    assert page.count('aria-hidden="true" focusable="false"') >= 1 + 3  # the organisation's bars, a bar per cell
    text = text_of(response)
    assert "4 reviews with a proposed outcome." in text
    assert "Below expectations 1 25% Meets expectations 2 50% Exceeds expectations 1 25% Total 4" in text


def test_svg_numbers_keep_a_dot_in_dutch(pay):
    from tests.kit import client_for

    managed(pay, "Lotte", [BELOW, MEETS, MEETS])
    page = client_for(pay.tenant.hr, language="nl").get(address(pay)).content.decode()
    assert 'width="66.6"' in page or 'width="133.4"' in page  # 66.7 % drawn with a dot, whatever the language
    assert not re.search(r'(width|x)="\d+,\d', page)


def test_a_manager_row_has_counts_shares_the_average_score_and_flags(hr, pay):
    manager, reviews = managed(pay, "Lotte", [MEETS, EXCEEDS], state=ReviewState.DRAFT)
    Review.objects.filter(pk=reviews[0].pk).update(score="3.00")
    Review.objects.filter(pk=reviews[1].pk).update(score="3.50")
    (row,) = hr.get(address(pay)).context["page"].object_list
    assert row.manager == manager and row.distribution.total == 2
    assert row.distribution.average_score == pytest.approx(3.25)
    assert row.counts.drafts == 2


def test_the_organisations_average_score_is_the_average_of_every_scored_review(hr, pay):
    _manager, reviews = managed(pay, "Lotte", [MEETS, MEETS, EXCEEDS])
    for review, score in zip(reviews, ("2.00", "2.00", "3.50"), strict=True):
        Review.objects.filter(pk=review.pk).update(score=score)
    assert hr.get(address(pay)).context["summary"].organization.average_score == Decimal("2.50")


def test_teams_are_listed_by_name_with_the_people_without_a_team_last(hr, pay):
    managed(pay, "Lotte", [MEETS], team=TeamFactory(organization=pay.tenant.organization, name="Zuid"))
    managed(pay, "Sven", [EXCEEDS, BELOW], team=TeamFactory(organization=pay.tenant.organization, name="Noord"))
    managed(pay, "Kees", [MEETS])
    response = hr.get(address(pay), {"show": "teams"})
    rows = response.context["page"].object_list
    assert [(row.team.name if row.team else None, row.distribution.total) for row in rows] == [
        ("Noord", 2),
        ("Zuid", 1),
        (None, 1),
    ]
    assert "No team" in text_of(response)


def test_managers_are_paged_by_fifty_the_flagged_first(hr, pay):
    Calibration.objects.create(organization=pay.tenant.organization, cycle=pay.cycle, min_reviews=1)
    for number in range(PER_PAGE + 4):
        managed(pay, f"Anna{number:02d}", [MEETS])
    managed(pay, "Zara", [EXCEEDS])  # last by name, but flagged: 100 % against 1/55
    first = hr.get(address(pay)).context["page"]
    assert first.paginator.count == PER_PAGE + 5 and len(first.object_list) == PER_PAGE
    assert first.object_list[0].manager.first_name == "Zara"
    second = hr.get(address(pay), {"page": "2"}).context["page"]
    assert [row.manager.first_name for row in second.object_list] == [f"Anna{number:02d}" for number in range(49, 54)]


def test_each_flag_count_links_to_its_list(hr, pay):
    page = hr.get(address(pay)).content.decode()
    for show in ("managers", "deviations", "unevidenced", "recent", "drafts"):
        assert f'href="?show={show}#list"' in page


# --- bad addresses -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [{"page": "abc"}, {"page": "0"}, {"page": "99999"}, {"page": "-1"}, {"show": "nonsense"}, {"show": ""}],
)
def test_a_bad_page_or_list_shows_a_page_instead_of_an_error(hr, pay, query):
    managed(pay, "Lotte", [MEETS])
    response = hr.get(address(pay), query)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


@pytest.mark.parametrize("show", [Show.TEAMS, Show.DEVIATIONS, Show.UNEVIDENCED, Show.RECENT, Show.DRAFTS])
def test_a_bad_page_number_of_every_list_is_not_an_error(hr, pay, show):
    assert hr.get(address(pay), {"show": show, "page": "abc"}).status_code == 200


# --- queries -----------------------------------------------------------------------------------------------------


def build_reviews(pay):
    """One more manager (with a team of their own) per ten numbers, ten reviews each: every flag present."""

    def build(numbers):
        numbers = list(numbers)
        for start in range(0, len(numbers), 10):
            first = numbers[start]
            team = Team.objects.create(organization=pay.tenant.organization, name=f"Team {first:04d}")
            bands = [(first + offset) % 3 for offset in range(10)]
            state = ReviewState.DRAFT if first % 20 else ReviewState.SHARED
            _manager, reviews = managed(pay, f"M{first:04d}", bands, state=state, team=team)
            Review.objects.filter(pk__in=[review.pk for review in reviews[::3]]).update(
                computed_band=pay.bands[MEETS], justification="Meer gezien dan beschreven."
            )
            bulk_ratings(pay, reviews)

    return build


@pytest.mark.parametrize("show", Show.values)
def test_the_page_makes_as_many_queries_for_200_reviews_as_for_20(hr, pay, show):
    response = assert_flat_queries(lambda: hr.get(address(pay), {"show": show}), build_reviews(pay), few=20, many=200)
    summary = response.context["summary"]
    assert summary.organization.total == 200 and len(summary.managers) == 20
    assert summary.totals.deviations and summary.totals.unevidenced and summary.totals.recent and summary.totals.drafts
    assert response.context["page"].object_list
