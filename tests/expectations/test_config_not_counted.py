"""HR's list of what does not count in assessments: add, edit and take off lines."""

import pytest

from expectations.models import NotCounted
from tests.factories import NotCountedFactory
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


def item_list(tenant):
    return url("expectations:not_counted_list", tenant.organization)


def edit(item):
    return url("expectations:not_counted_edit", item.organization, item_id=item.pk)


def delete(item):
    return url("expectations:not_counted_delete", item.organization, item_id=item.pk)


GOOD = {"text_nl": " Dingen buiten je invloed ", "text_en": "Things outside your control", "order": "4"}


@pytest.fixture
def item(tenant_a):
    return NotCountedFactory(
        organization=tenant_a.organization,
        text_nl="Uren boven je contract",
        text_en="Hours worked beyond your contract",
        order=1,
    )


# Who may use the pages


def every_request(tenant, item):
    """Each page with each method it takes: (address, method, data)."""
    return [
        (item_list(tenant), "get", None),
        (item_list(tenant), "post", GOOD),
        (edit(item), "get", None),
        (edit(item), "post", GOOD),
        (delete(item), "post", None),
    ]


def test_a_member_of_another_organisation_gets_404_on_every_page(client, stranger, tenant_a, item):
    for address, method, data in every_request(tenant_a, item):
        assert_other_organisation_gets_404(client, stranger, address, method, data)


@pytest.mark.parametrize("item_id", ["theirs", "abc", "-3", "9" * 30])
def test_another_organisations_line_or_a_malformed_id_is_404(tenant_a, tenant_b, hr, item, item_id):
    if item_id == "theirs":
        item_id = NotCountedFactory(organization=tenant_b.organization).pk
    edit_url = url("expectations:not_counted_edit", tenant_a.organization, item_id=item_id)
    delete_url = url("expectations:not_counted_delete", tenant_a.organization, item_id=item_id)
    with assert_nothing_changes():
        assert hr.get(edit_url).status_code == 404
        assert hr.post(edit_url, GOOD).status_code == 404
        assert hr.post(delete_url).status_code == 404


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_403_on_every_page(client, tenant_a, item, role):
    for address, method, data in every_request(tenant_a, item):
        assert_role_forbidden(client, tenant_a.member(role), address, method, data)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_list_and_edit_pages_take_only_get_and_post(tenant_a, hr, item, method):
    assert_method_not_allowed(hr, item_list(tenant_a), method)
    assert_method_not_allowed(hr, edit(item), method)


@pytest.mark.parametrize("method", ["get", "put"])
def test_deleting_takes_only_post(tenant_a, hr, item, method):
    assert_method_not_allowed(hr, delete(item), method)


# The list


def test_hr_sees_the_lines_in_order_in_both_languages(tenant_a, tenant_b, hr, item):
    first = NotCountedFactory(organization=tenant_a.organization, text_nl="Ziekteverzuim", text_en="", order=0)
    NotCountedFactory(organization=tenant_b.organization, text_nl="Van Bravo")
    response = hr.get(item_list(tenant_a))
    assert response.status_code == 200
    assert [row.pk for row in response.context["rows"]] == [first.pk, item.pk]
    page = response.content.decode()
    assert "Ziekteverzuim" in page and "Uren boven je contract" in page and "Hours worked beyond your contract" in page
    assert "Van Bravo" not in page
    assert edit(first) in page and edit(item) in page
    assert page.count("<h1>") == 1
    assert "Text (Dutch)" in page and "Text (English)" in page


def test_hr_adds_a_line(tenant_a, hr, item):
    before = rows_by_pk(NotCounted)
    response = hr.post(item_list(tenant_a), GOOD)
    assert response.status_code == 302
    assert response["Location"] == item_list(tenant_a)
    after = rows_by_pk(NotCounted)
    assert {pk: row for pk, row in after.items() if pk in before} == before
    new = [{key: value for key, value in row.items() if key != "id"} for pk, row in after.items() if pk not in before]
    assert new == [
        {
            "organization": tenant_a.organization.pk,
            "text_nl": "Dingen buiten je invloed",
            "text_en": "Things outside your control",
            "order": 4,
        }
    ]
    assert shown_messages(hr.get(item_list(tenant_a))) == [
        "“Things outside your control” has been added to what does not count."
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"text_nl": ""}, "text_nl", "Fill this in, in the organisation's language."),
        ({"text_nl": "   "}, "text_nl", "Fill this in, in the organisation's language."),
        ({"order": "-1"}, "order", "Enter a whole number from 0 to 999."),
        ({"order": "abc"}, "order", "Enter a whole number from 0 to 999."),
        ({"text_en": "x" * 201}, "text_en", "Ensure this value has at most 200 characters (it has 201)."),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(tenant_a, hr, item, change, field, message):
    for path in (item_list(tenant_a), edit(item)):
        with assert_nothing_changes():
            response = hr.post(path, {**GOOD, **change})
        assert response.status_code == 200
        assert field_error(response, field) == message


def test_the_list_reads_the_same_number_of_queries_for_2_and_40_lines(tenant_a, hr):
    response = assert_flat_queries(
        lambda: hr.get(item_list(tenant_a)),
        lambda numbers: NotCountedFactory.create_batch(len(numbers), organization=tenant_a.organization),
    )
    assert len(response.context["rows"]) == 40


# Editing and deleting


def test_the_edit_page_shows_the_line_as_it_is(tenant_a, hr, item):
    response = hr.get(edit(item))
    assert response.status_code == 200
    assert response.context["form"]["text_en"].value() == "Hours worked beyond your contract"
    assert delete(item) in response.content.decode()


def test_hr_changes_a_line_and_nothing_else(tenant_a, hr, item):
    other = NotCountedFactory(organization=tenant_a.organization)
    before = rows_by_pk(NotCounted)
    response = hr.post(edit(item), {"text_nl": "Overuren", "text_en": "", "order": "5"})
    assert response.status_code == 302
    after = rows_by_pk(NotCounted)
    assert after[other.pk] == before[other.pk]
    assert after[item.pk] == {**before[item.pk], "text_nl": "Overuren", "text_en": "", "order": 5}
    # Without an English text the English reader sees the Dutch one.
    assert shown_messages(hr.get(item_list(tenant_a))) == ["The changes to “Overuren” have been saved."]


def test_hr_takes_a_line_off_the_list(tenant_a, hr, item):
    other = NotCountedFactory(organization=tenant_a.organization)
    response = hr.post(delete(item))
    assert response.status_code == 302
    assert response["Location"] == item_list(tenant_a)
    assert list(rows_by_pk(NotCounted)) == [other.pk]
    assert shown_messages(hr.get(item_list(tenant_a))) == [
        "“Hours worked beyond your contract” has been taken off what does not count."
    ]
