"""HR's core values: the list with its add form, editing one, deleting one that no expectation uses."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from expectations import views_config
from expectations.models import CoreValue, Status
from tests.factories import CoreValueFactory, ExpectationFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    rows_by_pk,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


def value_list(tenant):
    return url("expectations:value_list", tenant.organization)


def edit(value):
    return url("expectations:value_edit", value.organization, value_id=value.pk)


def delete(value):
    return url("expectations:value_delete", value.organization, value_id=value.pk)


GOOD = {
    "name_nl": "  Samen ",
    "name_en": "Together",
    "description_nl": "We helpen elkaar verder.",
    "description_en": "We help each other along.",
    "order": "3",
}


@pytest.fixture
def value(tenant_a):
    return CoreValueFactory(organization=tenant_a.organization, name_nl="Eigenaarschap", name_en="Ownership", order=1)


# Who may use the pages


def every_request(tenant, value):
    """Each page with each method it takes: (address, method, data)."""
    return [
        (value_list(tenant), "get", None),
        (value_list(tenant), "post", GOOD),
        (edit(value), "get", None),
        (edit(value), "post", GOOD),
        (delete(value), "post", None),
    ]


def assert_edit_and_delete_are_404(client, organization, value_id):
    edit_url = url("expectations:value_edit", organization, value_id=value_id)
    delete_url = url("expectations:value_delete", organization, value_id=value_id)
    with assert_nothing_changes():
        assert client.get(edit_url).status_code == 404
        assert client.post(edit_url, GOOD).status_code == 404
        assert client.post(delete_url).status_code == 404


def test_a_member_of_another_organisation_gets_404_on_every_page(client, stranger, tenant_a, value):
    for address, method, data in every_request(tenant_a, value):
        assert_other_organisation_gets_404(client, stranger, address, method, data)


def test_another_organisations_core_value_is_404_in_this_organisations_pages(tenant_a, tenant_b, hr):
    theirs = CoreValueFactory(organization=tenant_b.organization)
    assert_edit_and_delete_are_404(hr, tenant_a.organization, theirs.pk)


@pytest.mark.parametrize("value_id", ["abc", "0", "-1", "1.5", "9" * 30])
def test_a_malformed_or_unknown_id_is_404(tenant_a, hr, value, value_id):
    assert_edit_and_delete_are_404(hr, tenant_a.organization, value_id)


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_403_on_every_page(client, tenant_a, value, role):
    for address, method, data in every_request(tenant_a, value):
        assert_role_forbidden(client, tenant_a.member(role), address, method, data)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_list_and_edit_pages_take_only_get_and_post(tenant_a, hr, value, method):
    assert_method_not_allowed(hr, value_list(tenant_a), method)
    assert_method_not_allowed(hr, edit(value), method)


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_deleting_takes_only_post(tenant_a, hr, value, method):
    assert_method_not_allowed(hr, delete(value), method)


# The list


def test_hr_sees_the_core_values_in_order_with_both_names_and_how_many_expectations_use_each(tenant_a, tenant_b, hr):
    organization = tenant_a.organization
    second = CoreValueFactory(organization=organization, name_nl="Samen", name_en="Together", order=2)
    first = CoreValueFactory(
        organization=organization, name_nl="Eigenaarschap", name_en="", description_en="Own it.", order=1
    )
    CoreValueFactory(organization=tenant_b.organization, name_nl="Van Bravo")
    ExpectationFactory(organization=organization, core_value=second)
    ExpectationFactory(organization=organization, core_value=second, status=Status.DRAFT, published_at=None)
    ExpectationFactory(organization=organization, core_value=second, status=Status.RETIRED)

    response = hr.get(value_list(tenant_a))

    assert response.status_code == 200
    assert [(row.pk, row.expectation_count) for row in response.context["rows"]] == [(first.pk, 0), (second.pk, 2)]
    page = response.content.decode()
    assert "Samen" in page and "Together" in page and "Eigenaarschap" in page
    assert "Own it." in page  # the description in the reader's language
    assert "Van Bravo" not in page
    assert edit(first) in page and edit(second) in page
    assert page.count("<h1>") == 1
    assert 'aria-label="Configure expectations"' in page
    assert url("expectations:index", organization) in page


def test_the_add_form_suggests_the_order_after_the_last_value(tenant_a, hr):
    CoreValueFactory(organization=tenant_a.organization, order=7)
    response = hr.get(value_list(tenant_a))
    assert response.context["form"]["order"].value() == 8


def test_an_empty_list_says_so_and_offers_the_form(tenant_a, hr):
    response = hr.get(value_list(tenant_a))
    page = response.content.decode()
    assert "There are no core values yet." in page
    assert 'for="id_name_nl"' in page and 'for="id_name_en"' in page and 'for="id_order"' in page
    assert "Name (Dutch)" in page and "Name (English)" in page


def test_hr_adds_a_core_value(tenant_a, hr, value):
    before = rows_by_pk(CoreValue)
    response = hr.post(value_list(tenant_a), GOOD)
    assert response.status_code == 302
    assert response["Location"] == value_list(tenant_a)
    after = rows_by_pk(CoreValue)
    new = [row for pk, row in after.items() if pk not in before]
    assert {pk: row for pk, row in after.items() if pk in before} == before
    assert len(new) == 1
    assert {key: value for key, value in new[0].items() if key != "id"} == {
        "organization": tenant_a.organization.pk,
        "name_nl": "Samen",
        "name_en": "Together",
        "description_nl": "We helpen elkaar verder.",
        "description_en": "We help each other along.",
        "order": 3,
    }
    assert shown_messages(hr.get(value_list(tenant_a))) == ["The core value Together has been added."]


def test_the_english_name_is_optional_in_a_dutch_organisation(tenant_a, hr):
    response = hr.post(value_list(tenant_a), {**GOOD, "name_en": "", "description_en": ""})
    assert response.status_code == 302
    assert CoreValue.objects.get(organization=tenant_a.organization).name_en == ""


def test_the_descriptions_are_optional_in_both_languages(tenant_a, hr):
    response = hr.post(value_list(tenant_a), {**GOOD, "description_nl": "", "description_en": ""})
    assert response.status_code == 302
    row = CoreValue.objects.get(organization=tenant_a.organization)
    assert (row.name_nl, row.description_nl, row.description_en) == ("Samen", "", "")


@pytest.mark.parametrize("name_nl", ["", "   "])
def test_an_empty_name_in_the_organisation_language_gets_a_field_error_and_saves_nothing(tenant_a, hr, name_nl):
    before = rows_by_pk(CoreValue)
    response = hr.post(value_list(tenant_a), {**GOOD, "name_nl": name_nl})
    assert response.status_code == 200
    assert field_error(response, "name_nl") == "Fill this in, in the organisation's language."
    assert field_error(response, "name_en") is None
    assert field_error(response, "description_nl") is None
    assert rows_by_pk(CoreValue) == before


def test_an_english_organisation_needs_the_english_name_instead(tenant_a, hr):
    tenant_a.organization.language = "en"
    tenant_a.organization.save(update_fields=["language"])
    before = rows_by_pk(CoreValue)
    response = hr.post(value_list(tenant_a), {**GOOD, "name_en": ""})
    assert field_error(response, "name_en") == "Fill this in, in the organisation's language."
    assert rows_by_pk(CoreValue) == before
    assert hr.post(value_list(tenant_a), {**GOOD, "name_nl": ""}).status_code == 302


@pytest.mark.parametrize("order", ["-1", "abc", "1000", "", "2.5"])
def test_a_bad_order_gets_a_field_error_and_saves_nothing(tenant_a, hr, order):
    before = rows_by_pk(CoreValue)
    response = hr.post(value_list(tenant_a), {**GOOD, "order": order})
    assert response.status_code == 200
    assert field_error(response, "order") == "Enter a whole number from 0 to 999."
    assert rows_by_pk(CoreValue) == before


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("name_nl", 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("name_en", 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("description_nl", 501, "Ensure this value has at most 500 characters (it has 501)."),
    ],
)
def test_over_long_text_gets_a_field_error_and_saves_nothing(tenant_a, hr, field, length, message):
    before = rows_by_pk(CoreValue)
    response = hr.post(value_list(tenant_a), {**GOOD, field: "x" * length})
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert rows_by_pk(CoreValue) == before


def test_the_list_reads_the_same_number_of_queries_for_2_and_40_core_values(tenant_a, hr):
    def add(numbers):
        for _ in numbers:
            core_value = CoreValueFactory(organization=tenant_a.organization)
            ExpectationFactory(organization=tenant_a.organization, core_value=core_value)

    response = assert_flat_queries(lambda: hr.get(value_list(tenant_a)), add)
    assert len(response.context["rows"]) == 40


# Editing


def test_the_edit_page_shows_the_value_as_it_is(tenant_a, hr, value):
    response = hr.get(edit(value))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name_nl"].value() == "Eigenaarschap"
    assert form["name_en"].value() == "Ownership"
    assert form["order"].value() == 1
    page = response.content.decode()
    assert delete(value) in page
    assert page.count("<h1>") == 1


def test_hr_changes_a_core_value_and_nothing_else(tenant_a, hr, value):
    other = CoreValueFactory(organization=tenant_a.organization)
    before = rows_by_pk(CoreValue)
    response = hr.post(edit(value), {**GOOD, "name_nl": "Eigen regie", "order": "9"})
    assert response.status_code == 302
    assert response["Location"] == value_list(tenant_a)
    after = rows_by_pk(CoreValue)
    assert after[other.pk] == before[other.pk]
    assert after[value.pk] == {
        **before[value.pk],
        "name_nl": "Eigen regie",
        "name_en": "Together",
        "description_nl": "We helpen elkaar verder.",
        "description_en": "We help each other along.",
        "order": 9,
    }
    assert shown_messages(hr.get(value_list(tenant_a))) == ["The changes to the core value Together have been saved."]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name_nl": ""}, "name_nl", "Fill this in, in the organisation's language."),
        ({"order": "-1"}, "order", "Enter a whole number from 0 to 999."),
        ({"order": "abc"}, "order", "Enter a whole number from 0 to 999."),
        ({"name_en": "x" * 81}, "name_en", "Ensure this value has at most 80 characters (it has 81)."),
    ],
)
def test_bad_input_on_the_edit_page_gets_a_field_error_and_saves_nothing(tenant_a, hr, value, change, field, message):
    before = rows_by_pk(CoreValue)
    response = hr.post(edit(value), {**GOOD, **change})
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert rows_by_pk(CoreValue) == before


def test_a_refusal_from_the_service_shows_at_its_field_with_the_saved_value_on_the_page(
    tenant_a, hr, value, monkeypatch
):
    def refuse(*, organization, core_value, **fields):
        core_value.name_en = fields["name_en"]  # the services set fields before they validate
        raise ValidationError({"name_en": "Refused by the service."})

    monkeypatch.setattr(views_config, "VALUES", replace(views_config.VALUES, save=refuse))
    before = rows_by_pk(CoreValue)
    response = hr.post(edit(value), {**GOOD, "name_en": "Refused"})
    assert response.status_code == 200
    assert field_error(response, "name_en") == "Refused by the service."
    assert rows_by_pk(CoreValue) == before
    assert '<p class="muted">Ownership</p>' in response.content.decode()  # the saved name, not the refused one


# Deleting


def test_hr_deletes_a_core_value_no_expectation_uses(tenant_a, hr, value):
    other = CoreValueFactory(organization=tenant_a.organization)
    before = rows_by_pk(CoreValue)
    response = hr.post(delete(value))
    assert response.status_code == 302
    assert response["Location"] == value_list(tenant_a)
    assert rows_by_pk(CoreValue) == {pk: row for pk, row in before.items() if pk != value.pk}
    assert other.pk in rows_by_pk(CoreValue)
    assert shown_messages(hr.get(value_list(tenant_a))) == ["The core value Ownership has been deleted."]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PUBLISHED, Status.RETIRED])
def test_deleting_a_core_value_expectations_use_is_refused_with_a_message(tenant_a, hr, value, status):
    ExpectationFactory(organization=tenant_a.organization, core_value=value, status=status)
    before = rows_by_pk(CoreValue)
    response = hr.post(delete(value), follow=True)
    assert response.redirect_chain == [(edit(value), 302)]
    assert shown_messages(response) == ["Expectations belong to this core value; move or delete them first."]
    assert "Expectations belong to this core value; move or delete them first." in response.content.decode()
    assert rows_by_pk(CoreValue) == before


def test_the_edit_page_says_how_many_expectations_belong_to_the_value(tenant_a, hr, value):
    ExpectationFactory(organization=tenant_a.organization, core_value=value)
    ExpectationFactory(organization=tenant_a.organization, core_value=value)
    page = hr.get(edit(value)).content.decode()
    assert "2 expectations belong to this core value." in page
