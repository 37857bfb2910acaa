"""HR's rating scale: the four default levels, editing their texts, adding and removing a level on top (2 to 7).

A cycle copies the scale when it is activated, so editing the scale afterwards leaves that cycle's copy alone.
"""

import pytest
from django.utils.html import escape

from cycles.models import CycleStatus
from reviews import scales
from reviews.models import OutcomeBand, RatingLevel
from tests.factories import CycleFactory, MomentFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

REQUIRED = "Fill this in, in the organisation's language."


def scale_page(tenant):
    return url("reviews:rating_scale", tenant.organization)


def add_page(tenant):
    return url("reviews:rating_level_add", tenant.organization)


def remove_page(tenant):
    return url("reviews:rating_level_remove", tenant.organization)


# What the confirmation page of removing level 4 posts (reviews.confirm_steps).
CONFIRM_LEVEL_4 = {"confirm": "yes", "value": "4"}


def levels_of(tenant, cycle=None):
    rows = RatingLevel.objects.filter(organization=tenant.organization, cycle=cycle)
    return list(rows.order_by("value").values_list("value", "label_nl", "label_en"))


def scale_data(tenant, **changes):
    """What the scale form posts: every level's texts as they are, with ``changes`` (``"level-2-label_nl": ...``)."""
    data = {}
    for level in scales.organization_levels(organization_id=tenant.organization.pk):
        for name in ("label_nl", "label_en", "description_nl", "description_en"):
            data[f"level-{level.value}-{name}"] = getattr(level, name)
    data.update(changes)
    return data


NEW_LEVEL = {
    "new-label_nl": "Boven verwachting",
    "new-label_en": "Beyond",
    "new-description_nl": "Verder dan een rolmodel.",
    "new-description_en": "",
}


@pytest.fixture
def scale(tenant_a):
    """Alfa's scale, the defaults made (as the first page view does), so refusals can show that nothing changed."""
    return scales.organization_levels(organization_id=tenant_a.organization.pk)


# Who may use the pages


def test_another_organisations_member_gets_404_everywhere(client, tenant_a, stranger, scale):
    for address, method in [
        (scale_page(tenant_a), "get"),
        (scale_page(tenant_a), "post"),
        (add_page(tenant_a), "post"),
        (remove_page(tenant_a), "post"),
    ]:
        assert_other_organisation_gets_404(client, stranger, address, method, scale_data(tenant_a) | NEW_LEVEL)


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_hr_may_use_the_scale_pages(client, tenant_a, role, scale):
    member = tenant_a.member(role)
    for address, method in [
        (scale_page(tenant_a), "get"),
        (scale_page(tenant_a), "post"),
        (add_page(tenant_a), "post"),
        (remove_page(tenant_a), "post"),
    ]:
        assert_role_forbidden(client, member, address, method, scale_data(tenant_a) | NEW_LEVEL)


def test_wrong_methods_get_405(hr, tenant_a, scale):
    assert_method_not_allowed(hr, scale_page(tenant_a), ["put", "delete"])
    assert_method_not_allowed(hr, add_page(tenant_a), ["get", "put"])
    assert_method_not_allowed(hr, remove_page(tenant_a), ["put", "delete"])


# The page


def test_the_scale_starts_with_four_levels_in_both_languages(hr, tenant_a):
    response = hr.get(scale_page(tenant_a))
    assert response.status_code == 200
    assert levels_of(tenant_a) == [
        (1, "Nog niet zichtbaar", "Not yet visible"),
        (2, "In ontwikkeling", "Developing"),
        (3, "Consistent zichtbaar", "Consistently visible"),
        (4, "Rolmodel", "Role model"),
    ]
    page = response.content.decode()
    assert "copies the scale on the day it is activated" in page


def test_the_page_names_the_active_cycles_and_whether_their_copy_still_reads_the_same(hr, tenant_a, scale):
    same = CycleFactory(organization=tenant_a.organization, name="Gelijk", status=CycleStatus.ACTIVE)
    scales.cycle_levels(cycle=same)
    older = CycleFactory(organization=tenant_a.organization, name="Ouder", status=CycleStatus.ACTIVE)
    scales.cycle_levels(cycle=older)
    RatingLevel.objects.filter(cycle=older, value=4).delete()
    CycleFactory(organization=tenant_a.organization, name="Concept", status=CycleStatus.DRAFT)
    response = hr.get(scale_page(tenant_a))
    copies = {copy.cycle.name: copy.same_as_now for copy in response.context["copies"]}
    assert copies == {"Gelijk": True, "Ouder": False}
    assert [cycle.name for cycle in response.context["drafts"]] == ["Concept"]
    assert "an earlier version, with 3 levels." in response.content.decode()


# Editing the texts


def test_hr_changes_the_texts_of_the_levels(hr, tenant_a, scale):
    data = scale_data(tenant_a, **{"level-2-label_nl": "  Groeiend ", "level-2-description_en": "Growing."})
    response = hr.post(scale_page(tenant_a), data, follow=True)
    assert shown_messages(response) == ["The rating scale has been saved."]
    level = RatingLevel.objects.get(organization=tenant_a.organization, cycle=None, value=2)
    assert (level.label_nl, level.description_en) == ("Groeiend", "Growing.")
    assert levels_of(tenant_a)[0] == (1, "Nog niet zichtbaar", "Not yet visible")  # the others unchanged


def test_an_empty_label_in_the_organisations_language_is_refused_and_nothing_saved(hr, tenant_a, scale):
    data = scale_data(tenant_a, **{"level-3-label_nl": "  ", "level-1-label_en": "Changed"})
    with assert_nothing_changes():
        response = hr.post(scale_page(tenant_a), data)
    assert response.status_code == 200
    assert response.context["rows"][2][1].errors["label_nl"] == [REQUIRED]
    assert escape(REQUIRED) in response.content.decode()


def test_the_other_language_may_be_empty(hr, tenant_a, scale):
    response = hr.post(scale_page(tenant_a), scale_data(tenant_a, **{"level-3-label_en": ""}))
    assert response.status_code == 302
    assert levels_of(tenant_a)[2] == (3, "Consistent zichtbaar", "")


def test_a_page_older_than_an_added_level_asks_for_that_level_and_saves_nothing(hr, tenant_a, scale):
    stale = scale_data(tenant_a, **{"level-1-label_nl": "Anders"})
    RatingLevel.objects.create(organization=tenant_a.organization, value=5, label_nl="Vijf")
    with assert_nothing_changes():
        response = hr.post(scale_page(tenant_a), stale)
    assert response.status_code == 200
    assert response.context["rows"][4][1].errors["label_nl"] == [REQUIRED]


# Adding and removing levels


def test_hr_adds_a_level_on_top(hr, tenant_a, scale):
    response = hr.post(add_page(tenant_a), NEW_LEVEL, follow=True)
    assert shown_messages(response) == ["Level 5 has been added."]
    assert levels_of(tenant_a)[-1] == (5, "Boven verwachting", "Beyond")
    assert len(levels_of(tenant_a)) == 5


def test_a_new_level_without_a_label_in_the_organisations_language_is_refused(hr, tenant_a, scale):
    with assert_nothing_changes():
        response = hr.post(add_page(tenant_a), NEW_LEVEL | {"new-label_nl": ""})
    assert response.status_code == 200
    assert field_error(response, "label_nl", form="add_form") == REQUIRED


def test_an_eighth_level_is_refused(hr, tenant_a, scale):
    for value in (5, 6, 7):
        RatingLevel.objects.create(organization=tenant_a.organization, value=value, label_nl=f"Niveau {value}")
    with assert_nothing_changes():
        response = hr.post(add_page(tenant_a), NEW_LEVEL, follow=True)
    assert shown_messages(response) == ["A scale has at most 7 levels."]
    assert "the most it can have" in response.content.decode()


def test_hr_removes_the_top_level(hr, tenant_a, scale):
    response = hr.post(remove_page(tenant_a), CONFIRM_LEVEL_4, follow=True)
    assert shown_messages(response) == ["Level 4 has been removed."]
    assert [value for value, *_ in levels_of(tenant_a)] == [1, 2, 3]


def test_the_scale_keeps_at_least_two_levels(hr, tenant_a, scale):
    RatingLevel.objects.filter(organization=tenant_a.organization, value__gt=2).delete()
    with assert_nothing_changes():
        response = hr.post(remove_page(tenant_a), follow=True)
    assert shown_messages(response) == ["A scale has at least 2 levels."]


def test_removing_a_level_a_prepared_cycles_band_starts_above_is_refused(hr, tenant_a, scale):
    cycle = CycleFactory(organization=tenant_a.organization, name="Volgend jaar")
    scales.cycle_bands(cycle=cycle)  # the top band starts at 3.50, above 3
    with assert_nothing_changes():
        response = hr.post(remove_page(tenant_a), CONFIRM_LEVEL_4, follow=True)
    assert shown_messages(response) == [
        "A band of Volgend jaar starts above 3, the highest level that would remain. Lower that threshold first."
    ]
    OutcomeBand.objects.filter(cycle=cycle, position=2).update(min_score="3.00")
    assert hr.post(remove_page(tenant_a), CONFIRM_LEVEL_4).status_code == 302
    assert len(levels_of(tenant_a)) == 3


# A cycle's copy


def test_editing_the_scale_after_a_cycles_activation_leaves_its_copy_alone(hr, tenant_a, scale):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    scales.cycle_levels(cycle=cycle)  # what activation does (reviews.receivers)
    copy = levels_of(tenant_a, cycle)
    hr.post(scale_page(tenant_a), scale_data(tenant_a, **{"level-1-label_nl": "Nog niet"}))
    hr.post(add_page(tenant_a), NEW_LEVEL)
    assert levels_of(tenant_a)[0][1] == "Nog niet" and len(levels_of(tenant_a)) == 5
    assert levels_of(tenant_a, cycle) == copy


def test_a_cycle_activated_through_the_service_copies_the_scale_as_it_is_then(tenant_a, scale, hr):
    from cycles import services

    hr.post(scale_page(tenant_a), scale_data(tenant_a, **{"level-4-label_en": "Example to others"}))
    cycle = MomentFactory(cycle=CycleFactory(organization=tenant_a.organization)).cycle
    services.cycle_activate(cycle=cycle)
    hr.post(remove_page(tenant_a), CONFIRM_LEVEL_4)
    assert [row[2] for row in levels_of(tenant_a, cycle)][-1] == "Example to others"
    assert len(levels_of(tenant_a, cycle)) == 4
