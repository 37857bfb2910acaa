"""Names people type are shown as text, never as markup: on a person's page and on what the outcomes mean for them."""

import html

import pytest

from tests.factories import EmployeeFactory
from tests.kit import url

pytestmark = pytest.mark.django_db

NAMES = ("van 't Wel", '<script>alert("x")</script>')


@pytest.mark.parametrize("last_name", NAMES)
def test_a_name_with_markup_or_an_apostrophe_reads_as_typed_and_never_runs(tenant_a, hr, last_name):
    person = EmployeeFactory(organization=tenant_a.organization, first_name="Mark", last_name=last_name)
    for name, kwargs in (
        ("organizations:person_detail", {"employee_id": person.pk}),
        ("pay:person_outcomes", {"employee_id": person.pk}),
    ):
        page = hr.get(url(name, tenant_a.organization, **kwargs)).content.decode()
        assert "<script>alert" not in page
        assert f"Mark {last_name}" in html.unescape(page)
