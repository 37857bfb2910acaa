"""HR's outcome bands of a cycle: the three defaults, editing names and thresholds, adding and removing a band.

Bands change while the cycle is being prepared or active and none of its reviews has been shared; draft reviews
follow the new rule at once.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from cycles.models import CycleStatus
from reviews import scales
from reviews.models import OutcomeBand, Review, ReviewState
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory, ReviewFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

REQUIRED = "Fill this in, in the organisation's language."
SHARED_REFUSAL = (
    "A review of this cycle has been shared with an employee, so its outcome bands no longer change: "
    "that would change an outcome people have seen."
)


def bands_page(cycle):
    return url("reviews:outcome_bands", cycle.organization, cycle_id=cycle.pk)


def add_page(cycle):
    return url("reviews:outcome_band_add", cycle.organization, cycle_id=cycle.pk)


def remove_page(cycle):
    return url("reviews:outcome_band_remove", cycle.organization, cycle_id=cycle.pk)


# What the confirmation page of removing the third band posts (reviews.confirm_steps).
CONFIRM_TOP = {"confirm": "yes", "position": "2"}


def bands_of(cycle):
    rows = OutcomeBand.objects.filter(cycle=cycle).order_by("position")
    return list(rows.values_list("position", "name_nl", "name_en", "min_score"))


def bands_data(cycle, **changes):
    """What the bands form posts: every band as it is (thresholds as an English reader types them), with ``changes``."""
    data = {}
    for band in scales.cycle_bands(cycle=cycle):
        for name in ("name_nl", "name_en", "description_nl", "description_en"):
            data[f"band-{band.position}-{name}"] = getattr(band, name)
        if band.position:
            data[f"band-{band.position}-min_score"] = str(band.min_score)
    data.update(changes)
    return data


NEW_BAND = {
    "new-name_nl": "Uitzonderlijk",
    "new-name_en": "Outstanding",
    "new-description_nl": "",
    "new-description_en": "",
    "new-min_score": "3.80",
}


@pytest.fixture
def cycle(assessment):
    """Alfa's active cycle with its default bands (0, 2.50, 3.50) and scale (1 to 4)."""
    return assessment.cycle


def review(cycle, *, score, state=ReviewState.DRAFT, chosen=None):
    """A review of a new person in ``cycle`` with ``score``, in the band the rule gives (or ``chosen``)."""
    tenant_org = cycle.organization
    manager = EmployeeFactory(organization=tenant_org)
    person = EmployeeFactory(organization=tenant_org, manager=manager)
    moment = MomentFactory(cycle=cycle, kind="assessment", produces_rating=True)
    bands = scales.cycle_bands(cycle=cycle)
    computed = [band for band in bands if Decimal(score) >= band.min_score][-1]
    return ReviewFactory(
        conversation=ConversationFactory(moment=moment, employee=person),
        state=state,
        score=Decimal(score),
        computed_band=computed,
        band=chosen or computed,
        justification="Zie de toelichting." if chosen else "",
        shared_at=None if state == ReviewState.DRAFT else timezone.now(),
    )


# Who may use the pages


def every_request(cycle):
    return [
        (bands_page(cycle), "get"),
        (bands_page(cycle), "post"),
        (add_page(cycle), "post"),
        (remove_page(cycle), "post"),
    ]


def test_another_organisations_member_gets_404_everywhere(client, cycle, stranger):
    for address, method in every_request(cycle):
        assert_other_organisation_gets_404(client, stranger, address, method, bands_data(cycle) | NEW_BAND)


def test_another_organisations_cycle_is_404_to_hr(hr, cycle, assessment_b):
    other = assessment_b.cycle
    address = url("reviews:outcome_bands", cycle.organization, cycle_id=other.pk)
    with assert_nothing_changes():
        assert hr.get(address).status_code == 404
        assert hr.post(url("reviews:outcome_band_remove", cycle.organization, cycle_id=other.pk)).status_code == 404


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_hr_may_use_the_band_pages(client, cycle, tenant_a, role):
    for address, method in every_request(cycle):
        assert_role_forbidden(client, tenant_a.member(role), address, method, bands_data(cycle) | NEW_BAND)


def test_wrong_methods_get_405(hr, cycle):
    assert_method_not_allowed(hr, bands_page(cycle), ["put", "delete"])
    assert_method_not_allowed(hr, add_page(cycle), ["get", "put"])
    assert_method_not_allowed(hr, remove_page(cycle), ["put", "delete"])


# The page


def test_a_cycle_starts_with_three_bands_and_dutch_readers_see_dutch_numbers(cycle, tenant_a):
    assert bands_of(cycle) == [
        (0, "Onder verwachting", "Below expectations", Decimal("0")),
        (1, "Voldoet aan verwachting", "Meets expectations", Decimal("2.50")),
        (2, "Boven verwachting", "Exceeds expectations", Decimal("3.50")),
    ]
    dutch = client_for(tenant_a.hr, language="nl")
    page = dutch.get(bands_page(cycle)).content.decode()
    assert 'value="2,50"' in page and 'value="3,50"' in page
    english = client_for(tenant_a.hr, language="en")
    assert 'value="2.50"' in english.get(bands_page(cycle)).content.decode()


def test_the_cycle_page_links_to_the_bands_and_the_reviews(hr, cycle):
    page = hr.get(cycle.get_absolute_url()).content.decode()
    assert bands_page(cycle) in page
    assert url("reviews:cycle_reviews", cycle.organization, cycle_id=cycle.pk) in page


# Saving


def test_hr_renames_and_moves_the_thresholds(hr, cycle):
    data = bands_data(cycle, **{"band-1-name_en": "On track", "band-1-min_score": "2.25", "band-2-min_score": "3.25"})
    response = hr.post(bands_page(cycle), data, follow=True)
    assert shown_messages(response) == [f"The outcome bands of {cycle.name} have been saved."]
    assert bands_of(cycle) == [
        (0, "Onder verwachting", "Below expectations", Decimal("0")),
        (1, "Voldoet aan verwachting", "On track", Decimal("2.25")),
        (2, "Boven verwachting", "Exceeds expectations", Decimal("3.25")),
    ]


def test_a_dutch_reader_types_a_threshold_with_a_comma(cycle, tenant_a):
    dutch = client_for(tenant_a.hr, language="nl")
    assert dutch.post(bands_page(cycle), bands_data(cycle, **{"band-2-min_score": "3,75"})).status_code == 302
    assert bands_of(cycle)[2][3] == Decimal("3.75")


def test_the_lowest_band_starts_at_0_whatever_is_posted(hr, cycle):
    hr.post(bands_page(cycle), bands_data(cycle, **{"band-0-min_score": "1.50"}))
    assert bands_of(cycle)[0][3] == Decimal("0")


def test_thresholds_that_do_not_increase_are_refused_and_nothing_saved(hr, cycle):
    data = bands_data(cycle, **{"band-1-name_en": "Changed", "band-2-min_score": "2.50"})
    with assert_nothing_changes():
        response = hr.post(bands_page(cycle), data)
    assert response.status_code == 200
    assert response.context["rows"][2][1].errors["min_score"] == [
        "Enter a score above 2.50, where the band below starts."
    ]


def test_a_threshold_outside_the_scale_is_refused(hr, cycle):
    with assert_nothing_changes():
        response = hr.post(bands_page(cycle), bands_data(cycle, **{"band-2-min_score": "4.50"}))
    assert response.context["rows"][2][1].errors["min_score"] == [
        "Enter a score above 1 and at most 4, the range of the scale."
    ]
    with assert_nothing_changes():
        response = hr.post(bands_page(cycle), bands_data(cycle, **{"band-1-min_score": "1"}))
    assert response.context["rows"][1][1].errors["min_score"] == [
        "Enter a score above 1 and at most 4, the range of the scale."
    ]


def test_a_threshold_that_is_not_a_number_is_refused(hr, cycle):
    with assert_nothing_changes():
        response = hr.post(bands_page(cycle), bands_data(cycle, **{"band-1-min_score": "twee"}))
    assert response.context["rows"][1][1].errors["min_score"] == [
        "Enter a score such as 2.50, with at most two decimals."
    ]


def test_an_empty_name_in_the_organisations_language_is_refused(hr, cycle):
    with assert_nothing_changes():
        response = hr.post(bands_page(cycle), bands_data(cycle, **{"band-0-name_nl": " "}))
    assert response.context["rows"][0][1].errors["name_nl"] == [REQUIRED]


def test_draft_reviews_follow_new_thresholds_and_a_managers_choice_stays(hr, cycle):
    follows = review(cycle, score="3.00")
    bands = scales.cycle_bands(cycle=cycle)
    chose = review(cycle, score="3.00", chosen=bands[0])
    hr.post(bands_page(cycle), bands_data(cycle, **{"band-2-min_score": "2.90"}))
    follows.refresh_from_db()
    chose.refresh_from_db()
    assert (follows.computed_band_id, follows.band_id) == (bands[2].pk, bands[2].pk)
    assert (chose.computed_band_id, chose.band_id) == (bands[2].pk, bands[0].pk)


# Adding and removing


def test_hr_adds_a_band_on_top(hr, cycle):
    response = hr.post(add_page(cycle), NEW_BAND, follow=True)
    assert shown_messages(response) == ["The band Outstanding has been added."]
    assert bands_of(cycle)[-1] == (3, "Uitzonderlijk", "Outstanding", Decimal("3.80"))


def test_a_new_band_must_start_above_the_top_one(hr, cycle):
    with assert_nothing_changes():
        response = hr.post(add_page(cycle), NEW_BAND | {"new-min_score": "3.50"})
    assert field_error(response, "min_score", form="add_form") == (
        "Enter a score above 3.50, where the band below starts."
    )


def test_a_sixth_band_is_refused(hr, cycle):
    for position, score in ((3, "3.70"), (4, "3.90")):
        OutcomeBand.objects.create(
            organization=cycle.organization, cycle=cycle, position=position, name_nl=f"B{position}", min_score=score
        )
    with assert_nothing_changes():
        response = hr.post(add_page(cycle), NEW_BAND | {"new-min_score": "3.95"}, follow=True)
    assert shown_messages(response) == ["A cycle has at most 5 outcome bands."]


def test_hr_removes_the_top_band_and_its_drafts_fall_to_the_band_below(hr, cycle):
    draft = review(cycle, score="3.80")
    response = hr.post(remove_page(cycle), CONFIRM_TOP, follow=True)
    assert shown_messages(response) == ["The band Exceeds expectations has been removed."]
    assert [row[0] for row in bands_of(cycle)] == [0, 1]
    draft.refresh_from_db()
    assert draft.band.name_en == draft.computed_band.name_en == "Meets expectations"


def test_a_cycle_keeps_at_least_two_bands(hr, cycle):
    OutcomeBand.objects.filter(cycle=cycle, position=2).delete()
    with assert_nothing_changes():
        response = hr.post(remove_page(cycle), follow=True)
    assert shown_messages(response) == ["A cycle has at least 2 outcome bands."]


def test_removing_a_band_a_manager_chose_is_refused(hr, cycle):
    top = scales.cycle_bands(cycle=cycle)[2]
    review(cycle, score="3.00", chosen=top)
    with assert_nothing_changes():
        response = hr.post(remove_page(cycle), CONFIRM_TOP, follow=True)
    assert shown_messages(response) == [
        "1 draft review has this band as the outcome its manager chose. Ask them to change it first."
    ]


# Once a review is shared, or the cycle closed


@pytest.mark.parametrize("state", [ReviewState.SHARED, ReviewState.FINALISED])
def test_crafted_posts_on_a_cycle_with_a_shared_review_are_refused(hr, cycle, state):
    review(cycle, score="3.00", state=state)
    for address, data in [
        (bands_page(cycle), bands_data(cycle, **{"band-2-min_score": "2.90"})),
        (add_page(cycle), NEW_BAND),
        (remove_page(cycle), {}),
    ]:
        with assert_nothing_changes():
            response = hr.post(address, data, follow=True)
        assert shown_messages(response) == [SHARED_REFUSAL]
    page = hr.get(bands_page(cycle))
    assert page.context["may_edit"] is False
    assert 'name="band-1-min_score"' not in page.content.decode()
    assert "Exceeds expectations" in page.content.decode()


def test_a_review_shared_and_reopened_still_fixes_the_bands(hr, cycle):
    Review.objects.filter(pk=review(cycle, score="3.00").pk).update(shared_at=timezone.now())
    with assert_nothing_changes():
        response = hr.post(remove_page(cycle), follow=True)
    assert shown_messages(response) == [SHARED_REFUSAL]


def test_a_closed_cycles_bands_are_fixed(hr, cycle):
    cycle.status = CycleStatus.CLOSED
    cycle.save()
    with assert_nothing_changes():
        response = hr.post(remove_page(cycle), follow=True)
    assert shown_messages(response) == ["This cycle is closed: its outcome bands no longer change."]


def test_a_prepared_cycle_reads_the_organisations_scale_and_gets_no_copy_yet(hr, tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization)
    response = hr.get(bands_page(cycle))
    assert (response.context["low"], response.context["high"]) == (1, 4)
    assert response.context["may_edit"] is True
    from reviews.models import RatingLevel

    assert not RatingLevel.objects.filter(cycle=cycle).exists()
