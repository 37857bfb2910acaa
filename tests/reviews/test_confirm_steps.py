"""Declining and withdrawing a request, and removing the top level of the scale or the top band, ask first: the
first click changes nothing and says what will happen to whom; the confirmed POST does it; a crafted POST without
the confirmation (or naming a row that is no longer on top) changes nothing."""

import html

import pytest

from cycles.models import CycleStatus
from reviews import scales
from reviews.models import ObservationRequest, OutcomeBand, RatingLevel
from tests.factories import CycleFactory
from tests.kit import assert_nothing_changes, client_for, shown_messages, url
from tests.reviews.test_config_bands import review
from tests.reviews.test_request_pages import answer_url, make_request

pytestmark = pytest.mark.django_db


def text(response):
    """The page as a person reads it: entities unescaped, so a name like 's Gravensande reads as written."""
    return html.unescape(response.content.decode())


# --- declining a request ----------------------------------------------------------------------------------------


def test_declining_first_shows_what_it_does_and_changes_nothing(assessment, outsider):
    asked = make_request(assessment)
    tenant = assessment.tenant
    with assert_nothing_changes():
        response = outsider.post(answer_url(asked), {"decline": "1"})
    page = text(response)
    assert response.status_code == 200
    assert f"Decline the request about {tenant.employee.full_name}" in page
    assert f"{tenant.manager.full_name} sees that you declined; you are no longer reminded." in page
    assert 'name="confirm" value="yes"' in page and 'name="decline" value="1"' in page


def test_a_decline_without_the_confirmation_changes_nothing_and_the_confirmed_one_declines(assessment, outsider):
    asked = make_request(assessment)
    with assert_nothing_changes():
        outsider.post(answer_url(asked), {"decline": "1", "confirm": "no"})
    response = outsider.post(answer_url(asked), {"decline": "1", "confirm": "yes"}, follow=True)
    assert shown_messages(response) == ["You have declined the request. Whoever asked can see that."]
    asked.refresh_from_db()
    assert asked.state == ObservationRequest.State.DECLINED


def test_declining_a_request_no_longer_open_says_so(assessment, outsider):
    asked = make_request(assessment, state=ObservationRequest.State.WITHDRAWN)
    with assert_nothing_changes():
        response = outsider.post(answer_url(asked), {"decline": "1"}, follow=True)
    assert shown_messages(response) == ["This request is no longer open: it has been answered, declined or withdrawn."]


# --- withdrawing a request --------------------------------------------------------------------------------------


def withdraw_url(asked):
    return url("reviews:request_withdraw", asked.organization, request_id=asked.pk)


@pytest.mark.parametrize("method", ["get", "post"])
def test_withdrawing_first_shows_what_it_does_and_changes_nothing(assessment, manager, method):
    asked = make_request(assessment)
    tenant = assessment.tenant
    with assert_nothing_changes():
        response = getattr(manager, method)(withdraw_url(asked))
    page = text(response)
    assert f"Withdraw the request to {tenant.outsider.full_name}" in page
    assert (
        f"{tenant.outsider.full_name} is no longer asked for an observation about {tenant.employee.full_name}" in page
    )
    assert 'name="confirm" value="yes"' in page


def test_the_request_list_button_leads_to_the_confirmation(assessment, manager):
    asked = make_request(assessment)
    assert f'action="{withdraw_url(asked)}"' in text(manager.get(url("reviews:request_list", asked.organization)))


def test_a_withdrawal_without_the_confirmation_changes_nothing_and_the_confirmed_one_withdraws(assessment, manager):
    asked = make_request(assessment)
    with assert_nothing_changes():
        manager.post(withdraw_url(asked), {"confirm": ""})
    manager.post(withdraw_url(asked), {"confirm": "yes"})
    asked.refresh_from_db()
    assert asked.state == ObservationRequest.State.WITHDRAWN


def test_the_colleague_asked_gets_403_on_the_confirmation_page(assessment):
    asked = make_request(assessment)
    assert client_for(assessment.tenant.outsider).get(withdraw_url(asked)).status_code == 403


# --- removing the top level of the scale ------------------------------------------------------------------------


def level_remove(tenant):
    return url("reviews:rating_level_remove", tenant.organization)


def test_removing_a_level_first_names_it_and_counts_the_cycles(tenant_a, hr):
    scales.organization_levels(organization_id=tenant_a.organization.pk)  # the defaults, 1 to 4
    for name in ("Volgend jaar", "Daarna"):
        CycleFactory(organization=tenant_a.organization, name=name)
    active = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    scales.cycle_levels(cycle=active)
    top = RatingLevel.objects.get(organization=tenant_a.organization, cycle=None, value=4)
    with assert_nothing_changes():
        response = hr.get(level_remove(tenant_a))
    page = text(response)
    assert "Remove level 4 from the rating scale" in page
    assert f"Level 4, “{top.label_en}”, is removed from the scale; level 3 becomes the highest." in page
    assert "2 cycles being prepared copy the scale without it when activated." in page
    assert "1 active cycle keeps it in its own copy: its reviews do not change." in page
    assert 'name="value" value="4"' in page


def test_a_level_removal_without_confirmation_or_for_a_stale_top_changes_nothing(tenant_a, hr):
    scales.organization_levels(organization_id=tenant_a.organization.pk)
    with assert_nothing_changes():
        hr.post(level_remove(tenant_a))
        response = hr.post(level_remove(tenant_a), {"confirm": "yes", "value": "5"}, follow=True)
    assert shown_messages(response) == ["The scale was changed by someone else meanwhile. Here it is as it is now."]
    hr.post(level_remove(tenant_a), {"confirm": "yes", "value": "4"})
    assert RatingLevel.objects.filter(organization=tenant_a.organization, cycle=None).count() == 3


# --- removing the top band --------------------------------------------------------------------------------------


def band_remove(cycle):
    return url("reviews:outcome_band_remove", cycle.organization, cycle_id=cycle.pk)


def test_removing_a_band_first_names_it_and_counts_the_drafts_that_move(assessment, hr):
    cycle = assessment.cycle
    top, below = scales.cycle_bands(cycle=cycle)[-1], scales.cycle_bands(cycle=cycle)[-2]
    for _ in range(2):
        review(cycle, score="3.80")
    with assert_nothing_changes():
        response = hr.post(band_remove(cycle))
    page = text(response)
    assert f"Remove the band “{top.name_en}” of {cycle.name}" in page
    assert f"Only {cycle.name} is affected: 2 draft reviews in it fall to “{below.name_en}”." in page
    assert 'name="position" value="2"' in page


def test_a_band_removal_without_confirmation_or_for_a_stale_top_changes_nothing(assessment, hr):
    cycle = assessment.cycle
    scales.cycle_bands(cycle=cycle)
    with assert_nothing_changes():
        hr.post(band_remove(cycle), {"confirm": "nope", "position": "2"})
        response = hr.post(band_remove(cycle), {"confirm": "yes", "position": "3"}, follow=True)
    assert shown_messages(response) == [
        "The bands were changed by someone else meanwhile. Here they are as they are now."
    ]
    hr.post(band_remove(cycle), {"confirm": "yes", "position": "2"})
    assert OutcomeBand.objects.filter(cycle=cycle).count() == 2
