"""HR's list of what does not count in assessments: add, edit and take off lines."""

import html
import re

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expectations.models import NotCounted
from tests.factories import NotCountedFactory

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"expectations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def field_error(response, field):
    """The error text shown at ``field`` (inside its errorlist), or None."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)).strip()) if match else None


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def snapshot():
    """Every "does not count" line of every organisation: what "nothing saved" compares."""
    return {row.pk: model_to_dict(row) for row in NotCounted.objects.all()}


def item_list(tenant):
    return url("not_counted_list", tenant.organization)


def edit(item):
    return url("not_counted_edit", item.organization, item_id=item.pk)


def delete(item):
    return url("not_counted_delete", item.organization, item_id=item.pk)


GOOD = {"text_nl": " Dingen buiten je invloed ", "text_en": "Things outside your control", "order": "4"}


@pytest.fixture
def hr(tenant_a, login):
    in_english(tenant_a.hr)
    return login(tenant_a.hr)


@pytest.fixture
def item(tenant_a):
    return NotCountedFactory(
        organization=tenant_a.organization,
        text_nl="Uren boven je contract",
        text_en="Hours worked beyond your contract",
        order=1,
    )


# Who may use the pages


def test_a_member_of_another_organisation_gets_404_on_every_page(tenant_a, tenant_b, login, item):
    client = login(tenant_b.hr)
    before = snapshot()
    assert client.get(item_list(tenant_a)).status_code == 404
    assert client.post(item_list(tenant_a), GOOD).status_code == 404
    assert client.get(edit(item)).status_code == 404
    assert client.post(edit(item), GOOD).status_code == 404
    assert client.post(delete(item)).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("item_id", ["theirs", "abc", "-3", "9" * 30])
def test_another_organisations_line_or_a_malformed_id_is_404(tenant_a, tenant_b, hr, item, item_id):
    if item_id == "theirs":
        item_id = NotCountedFactory(organization=tenant_b.organization).pk
    before = snapshot()
    assert hr.get(url("not_counted_edit", tenant_a.organization, item_id=item_id)).status_code == 404
    assert hr.post(url("not_counted_edit", tenant_a.organization, item_id=item_id), GOOD).status_code == 404
    assert hr.post(url("not_counted_delete", tenant_a.organization, item_id=item_id)).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_get_403_on_every_page(tenant_a, login, item, role):
    client = login(tenant_a.member(role))
    before = snapshot()
    assert client.get(item_list(tenant_a)).status_code == 403
    assert client.post(item_list(tenant_a), GOOD).status_code == 403
    assert client.get(edit(item)).status_code == 403
    assert client.post(edit(item), GOOD).status_code == 403
    assert client.post(delete(item)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_list_and_edit_pages_take_only_get_and_post(tenant_a, hr, item, method):
    assert getattr(hr, method)(item_list(tenant_a)).status_code == 405
    assert getattr(hr, method)(edit(item)).status_code == 405


@pytest.mark.parametrize("method", ["get", "put"])
def test_deleting_takes_only_post(tenant_a, hr, item, method):
    assert getattr(hr, method)(delete(item)).status_code == 405
    assert NotCounted.objects.filter(pk=item.pk).exists()


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
    before = snapshot()
    response = hr.post(item_list(tenant_a), GOOD)
    assert response.status_code == 302
    assert response["Location"] == item_list(tenant_a)
    after = snapshot()
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
    assert messages_of(hr.get(item_list(tenant_a))) == [
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
    before = snapshot()
    for path in (item_list(tenant_a), edit(item)):
        response = hr.post(path, {**GOOD, **change})
        assert response.status_code == 200
        assert field_error(response, field) == message
        assert snapshot() == before


def test_the_list_reads_the_same_number_of_queries_for_2_and_40_lines(tenant_a, hr):
    NotCountedFactory.create_batch(2, organization=tenant_a.organization)
    few = queries(hr, item_list(tenant_a))
    NotCountedFactory.create_batch(38, organization=tenant_a.organization)
    many = queries(hr, item_list(tenant_a))
    assert len(hr.get(item_list(tenant_a)).context["rows"]) == 40
    assert_flat(few, many)


def queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), [query["sql"] for query in captured]


def assert_flat(small, large):
    (few, _few_sql), (many, many_sql) = small, large
    assert few == many, f"{few} queries with few rows, {many} with many:\n" + "\n".join(many_sql)


# Editing and deleting


def test_the_edit_page_shows_the_line_as_it_is(tenant_a, hr, item):
    response = hr.get(edit(item))
    assert response.status_code == 200
    assert response.context["form"]["text_en"].value() == "Hours worked beyond your contract"
    assert delete(item) in response.content.decode()


def test_hr_changes_a_line_and_nothing_else(tenant_a, hr, item):
    other = NotCountedFactory(organization=tenant_a.organization)
    before = snapshot()
    response = hr.post(edit(item), {"text_nl": "Overuren", "text_en": "", "order": "5"})
    assert response.status_code == 302
    after = snapshot()
    assert after[other.pk] == before[other.pk]
    assert after[item.pk] == {**before[item.pk], "text_nl": "Overuren", "text_en": "", "order": 5}
    # Without an English text the English reader sees the Dutch one.
    assert messages_of(hr.get(item_list(tenant_a))) == ["The changes to “Overuren” have been saved."]


def test_hr_takes_a_line_off_the_list(tenant_a, hr, item):
    other = NotCountedFactory(organization=tenant_a.organization)
    response = hr.post(delete(item))
    assert response.status_code == 302
    assert response["Location"] == item_list(tenant_a)
    assert list(snapshot()) == [other.pk]
    assert messages_of(hr.get(item_list(tenant_a))) == [
        "“Hours worked beyond your contract” has been taken off what does not count."
    ]
