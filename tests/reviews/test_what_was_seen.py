"""The employee's "What was seen" page and a manager's or HR's page of one person's observations."""

import datetime

import pytest
from django.utils import timezone

from reviews.models import Source
from tests.factories import ObservationFactory
from tests.kit import assert_flat_queries, assert_method_not_allowed, assert_role_forbidden, url

pytestmark = pytest.mark.django_db


def observations_of(assessment, numbers, *, held=False):
    """One observation per number about tenant.employee: by the manager, a colleague or themselves, in turn."""
    tenant = assessment.tenant
    authors = [(tenant.manager, Source.MANAGER), (tenant.outsider, Source.COLLEAGUE), (tenant.employee, Source.SELF)]
    linked = [*assessment.expectations, None]
    for number in numbers:
        author, source = authors[number % 3]
        ObservationFactory(
            employee=tenant.employee,
            author=author,
            source=source,
            expectation=linked[number % 3],
            observed_on=timezone.localdate() - datetime.timedelta(days=number),
            held_for=assessment.progress_conversation if held and source == Source.MANAGER else None,
            reaction="Klopt." if number % 2 else "",
        )


def test_what_was_seen_groups_by_expectation_with_author_source_and_date(employee, assessment):
    observations_of(assessment, range(3))
    first = assessment.expectations[0]

    response = employee.get(url("reviews:what_was_seen", assessment.tenant.organization))

    page = response.content.decode()
    assert response.status_code == 200
    assert first.current_version.title_nl in page or str(first) in page
    assert "Not linked to an expectation" in page
    assert "Self-observation" in page and "(Colleague)" in page and "(Manager)" in page
    assert timezone.localdate().strftime("%Y") in page
    # The linked groups come first, the unlinked one last.
    assert page.index(str(first)) < page.index("Not linked to an expectation")


def test_what_was_seen_links_to_a_self_observation(employee, assessment):
    response = employee.get(url("reviews:what_was_seen", assessment.tenant.organization))

    self_form = url(
        "reviews:observation_create", assessment.tenant.organization, employee_id=assessment.tenant.employee.pk
    )
    assert self_form in response.content.decode()


def test_what_was_seen_is_paged(employee, assessment):
    observations_of(assessment, range(55))

    first = employee.get(url("reviews:what_was_seen", assessment.tenant.organization))
    second = employee.get(url("reviews:what_was_seen", assessment.tenant.organization), {"page": 2})

    assert len(first.context["page"].object_list) == 50 and len(second.context["page"].object_list) == 5


def test_what_was_seen_makes_as_many_queries_with_40_observations_as_with_3(employee, assessment):
    page = url("reviews:what_was_seen", assessment.tenant.organization)

    response = assert_flat_queries(
        lambda: employee.get(page), lambda numbers: observations_of(assessment, numbers), few=3, many=40
    )

    assert len(response.context["page"].object_list) == 40


def test_the_person_page_makes_as_many_queries_with_40_observations_as_with_3(manager, assessment):
    page = url("reviews:person_observations", assessment.tenant.organization, employee_id=assessment.tenant.employee.pk)

    response = assert_flat_queries(
        lambda: manager.get(page), lambda numbers: observations_of(assessment, numbers, held=True), few=3, many=40
    )

    rows = response.context["page"].object_list
    assert len(rows) == 40 and any(row.is_held for row in rows)


def test_the_person_page_offers_correct_and_delete_to_the_author_only(manager, hr, assessment):
    observations_of(assessment, [0], held=True)
    tenant = assessment.tenant
    page = url("reviews:person_observations", tenant.organization, employee_id=tenant.employee.pk)
    observation = tenant.employee.observations.get()
    edit = url("reviews:observation_edit", tenant.organization, observation_id=observation.pk)
    delete = url("reviews:observation_delete", tenant.organization, observation_id=observation.pk)

    as_manager, as_hr = manager.get(page).content.decode(), hr.get(page).content.decode()

    assert edit in as_manager and delete in as_manager
    assert edit not in as_hr and delete not in as_hr


def test_a_manager_may_not_open_the_page_of_someone_who_is_not_their_report(client, tenant_a):
    page = url("reviews:person_observations", tenant_a.organization, employee_id=tenant_a.outsider.pk)

    assert_role_forbidden(client, tenant_a.manager, page)
    assert_role_forbidden(client, tenant_a.employee, page)


def test_hr_opens_anyones_page(hr, tenant_a):
    page = url("reviews:person_observations", tenant_a.organization, employee_id=tenant_a.outsider.pk)

    assert hr.get(page).status_code == 200


def test_ones_own_person_page_is_what_was_seen(employee, tenant_a):
    page = url("reviews:person_observations", tenant_a.organization, employee_id=tenant_a.employee.pk)

    response = employee.get(page)

    assert response.status_code == 302 and response["Location"] == url("reviews:what_was_seen", tenant_a.organization)


def test_wrong_methods_get_405(employee, tenant_a):
    assert_method_not_allowed(employee, url("reviews:what_was_seen", tenant_a.organization), ["post", "put"])


def test_what_was_seen_links_to_the_request_pages_once_they_exist(employee, tenant_a):
    from django.urls import NoReverseMatch

    try:
        ask = url("reviews:request_create", tenant_a.organization, employee_id=tenant_a.employee.pk)
        answer = url("reviews:request_list", tenant_a.organization)
    except NoReverseMatch:
        pytest.skip("the request part has not added its pages yet")

    page = employee.get(url("reviews:what_was_seen", tenant_a.organization)).content.decode()

    assert ask in page and answer in page
