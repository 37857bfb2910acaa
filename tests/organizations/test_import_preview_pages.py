"""A file of thousands of people: the preview's table shows 100 rows a page, all of them or one kind."""

import pytest

from organizations.models import Employee
from tests.kit import import_page, stored_import

pytestmark = pytest.mark.django_db


def lines(count, start=0):
    return [f"p{n:05d}@example.org;Persoon;Nummer {n};;Verkoop;;" for n in range(start, start + count)]


def shown_emails(html):
    return [line for line in lines(300) if line.split(";")[0] in html]


def test_the_preview_shows_a_hundred_rows_a_page_and_the_counts_of_every_row(tenant_a, hr):
    people_import = stored_import(tenant_a, *lines(250))
    html = hr.get(import_page("preview", people_import), headers={"accept-language": "en"}).content.decode()
    assert "p00000@example.org" in html and "p00099@example.org" in html and "p00100@example.org" not in html
    assert "Rows 1 to 100 of 250 are shown." in html
    assert "All rows (250)" in html and "New (250)" in html
    third = hr.get(import_page("preview", people_import) + "?show=all&page=3").content.decode()
    assert "p00200@example.org" in third and "p00249@example.org" in third and "p00199@example.org" not in third
    assert "Confirm the import" in third  # confirming saves the whole file, whichever page is shown


def test_showing_only_the_rows_with_problems(tenant_a, hr):
    people_import = stored_import(tenant_a, *lines(150), "kapot;Kapot;;;;;")
    response = hr.get(import_page("preview", people_import) + "?show=problems")
    html = response.content.decode()
    assert html.count('class="row-problem"') == 1
    assert "kapot" in html and "p00000@example.org" not in html
    assert response.context["rows_page"].paginator.count == 1


def test_showing_one_kind_that_the_file_does_not_have_says_so(tenant_a, hr):
    people_import = stored_import(tenant_a, *lines(3))
    response = hr.get(import_page("preview", people_import) + "?show=updated", headers={"accept-language": "en"})
    assert "No rows of this kind in the file." in response.content.decode()


@pytest.mark.parametrize("query", ["?show=nonsense", "?page=999", "?page=-1", "?page=x", "?show=%00"])
def test_an_unknown_kind_or_page_shows_a_page_of_rows_and_changes_nobody(tenant_a, hr, query):
    before = Employee.objects.count()
    people_import = stored_import(tenant_a, *lines(120))
    response = hr.get(import_page("preview", people_import) + query)
    assert response.status_code == 200
    assert response.context["rows_page"].object_list
    assert Employee.objects.count() == before
