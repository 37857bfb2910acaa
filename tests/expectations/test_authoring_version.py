"""One version of an expectation, read-only: what it said then, and which version of how many it is."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from expectations import services
from expectations.models import ExpectationVersion, Status
from tests.factories import ExpectationFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    url,
)

pytestmark = pytest.mark.django_db


def version(expectation, number):
    return url("expectations:version", expectation.organization, expectation_id=expectation.pk, number=number)


WORDING = {
    "title_nl": "Nieuwe titel",
    "title_en": "New title",
    "behaviour_nl": "Je belt de klant binnen vijf werkdagen.",
    "behaviour_en": "You call the customer within five working days.",
    "examples_yes_nl": "Je belt op vrijdag.",
    "examples_yes_en": "You call on Friday.",
    "examples_not_yet_nl": "Je wacht af.",
    "examples_not_yet_en": "You wait.",
}


@pytest.fixture
def edited(tenant_a):
    """A published expectation that HR has edited once: version 1 (old) and version 2 (in force)."""
    expectation = ExpectationFactory(organization=tenant_a.organization, title="Oude titel", weight=30)
    services.expectation_update(
        expectation=expectation, actor=tenant_a.hr, core_value=expectation.core_value, weight=20, **WORDING
    )
    expectation.refresh_from_db()
    return expectation


def test_a_member_of_another_organisation_gets_404(client, stranger, edited):
    assert_other_organisation_gets_404(client, stranger, version(edited, 1))


def test_an_employee_gets_403_and_a_manager_who_did_not_propose_it_too(client, tenant_a, edited):
    assert_role_forbidden(client, tenant_a.employee, version(edited, 1))
    assert_role_forbidden(client, tenant_a.manager, version(edited, 1))


def test_the_proposing_manager_reads_the_versions(tenant_a, manager):
    expectation = ExpectationFactory(organization=tenant_a.organization, proposed_by=tenant_a.manager)
    assert manager.get(version(expectation, 1)).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_get_405(hr, edited, method):
    assert_method_not_allowed(hr, version(edited, 1), method)


@pytest.mark.parametrize("number", ["abc", "0", "3", "-1", "1.0", " 1", "99999999999999999999999", "١"])
def test_a_malformed_or_unknown_number_gets_404(hr, edited, number):
    assert hr.get(version(edited, number)).status_code == 404


def test_version_1_stays_readable_as_it_was_after_an_edit(hr, edited):
    version_1 = ExpectationVersion.objects.get(expectation=edited, number=1)
    response = hr.get(version(edited, 1))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1>") == 1
    published = date_format(timezone.localtime(version_1.published_at), "DATE_FORMAT")
    assert f"Version 1 of 2, published on {published}." in page
    assert "A newer version is in force; this one is kept as it was." in page
    assert "Oude titel" in page
    assert "Je vraagt binnen een week na oplevering feedback aan de klant." in page
    assert "30 %" in page
    assert "Nieuwe titel" not in page
    assert url("expectations:detail", edited.organization, expectation_id=edited.pk) in page


def test_the_current_version_says_so(hr, edited):
    page = hr.get(version(edited, 2)).content.decode()
    assert "Version 2 of 2, published on" in page
    assert "This is the current version." in page
    assert "You call the customer within five working days." in page


def test_a_drafts_version_is_not_published(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=Status.DRAFT, published_at=None)
    assert "Version 1 of 1, not published." in hr.get(version(expectation, 1)).content.decode()


def test_the_version_page_makes_as_many_queries_for_40_versions_as_for_2(tenant_a, hr, edited):
    def add_versions(numbers):
        for number in numbers:
            if number >= 2:  # the edit made versions 1 and 2
                ExpectationVersion.objects.create(
                    organization=tenant_a.organization, expectation=edited, number=number + 1, created_by=tenant_a.hr
                )

    response = assert_flat_queries(lambda: hr.get(version(edited, 1)), add_versions)
    assert "Version 1 of 40" in response.content.decode()
