"""The detail page: wording in both languages, lifecycle actions, versions, support and suggestions."""

import re

import pytest
from django.utils import timezone
from django.utils.html import escape

from expectations.models import ExpectationVersion, Status, SuggestionStatus
from tests.factories import (
    EndorsementFactory,
    ExpectationFactory,
    StrategicGoalFactory,
    SuggestionFactory,
    sharpening_expectation,
    suggestions_in_every_state,
)
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    url,
)

pytestmark = pytest.mark.django_db


def detail(expectation):
    return url("expectations:detail", expectation.organization, expectation_id=expectation.pk)


def actions(page):
    """The lifecycle forms on the page, by the last part of their address."""
    return set(re.findall(r'action="/o/[^/]+/expectations/\d+/(\w+)/"', page))


def test_a_member_of_another_organisation_gets_404(client, stranger, tenant_a):
    assert_other_organisation_gets_404(client, stranger, detail(sharpening_expectation(tenant_a.organization)))


@pytest.mark.parametrize("expectation_id", ["abc", "0", "-1", "99999999999999999999999", "1e3"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, hr, expectation_id):
    assert hr.get(url("expectations:detail", tenant_a.organization, expectation_id=expectation_id)).status_code == 404


def test_an_employee_gets_403(client, tenant_a):
    assert_role_forbidden(client, tenant_a.employee, detail(sharpening_expectation(tenant_a.organization)))


def test_a_manager_who_did_not_propose_it_gets_403(client, tenant_a):
    expectation = sharpening_expectation(tenant_a.organization, teams=[tenant_a.team])
    assert_role_forbidden(client, tenant_a.manager, detail(expectation))


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_get_405(tenant_a, hr, method):
    assert_method_not_allowed(hr, detail(sharpening_expectation(tenant_a.organization)), method)


def test_hr_sees_the_wording_in_both_languages_with_examples_weight_and_audience(tenant_a, hr):
    goal = StrategicGoalFactory(organization=tenant_a.organization, title_en="Happy customers")
    expectation = ExpectationFactory(
        organization=tenant_a.organization,
        status=Status.DRAFT,
        published_at=None,
        weight=35,
        teams=[tenant_a.team],
        title="Feedback vragen",
    )
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(
        strategic_goal=goal, examples_yes_nl="- Eerste voorbeeld\n- Tweede voorbeeld"
    )
    response = hr.get(detail(expectation))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1>") == 1
    assert "<h1>Feedback vragen (en)</h1>" in page
    assert "Je vraagt binnen een week na oplevering feedback aan de klant." in page
    assert "You ask the customer for feedback within a week of delivery." in page
    assert "<li>Eerste voorbeeld</li><li>Tweede voorbeeld</li>" in page
    assert "You wait until the customer complains." in page
    assert "35 %" in page
    assert "Klantenservice" in page
    assert "Happy customers" in page
    assert url("expectations:edit", tenant_a.organization, expectation_id=expectation.pk) in page


def test_a_draft_offers_sharpening_publishing_and_deleting(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=Status.DRAFT, published_at=None)
    page = hr.get(detail(expectation)).content.decode()
    assert actions(page) == {"sharpen", "publish", "delete"}
    assert 'name="closes_on"' in page and 'type="date"' in page
    assert "Suggestions close on" in page


def test_sharpening_also_offers_back_to_draft(tenant_a, hr):
    page = hr.get(detail(sharpening_expectation(tenant_a.organization))).content.decode()
    assert actions(page) == {"sharpen", "publish", "draft", "delete"}  # draft/: back to draft
    assert "Change the closing date" in page


def test_a_published_one_offers_retiring_and_a_retired_one_nothing(tenant_a, hr):
    published = ExpectationFactory(organization=tenant_a.organization)
    assert actions(hr.get(detail(published)).content.decode()) == {"retire"}
    retired = ExpectationFactory(organization=tenant_a.organization, status=Status.RETIRED, retired_at=timezone.now())
    page = hr.get(detail(retired)).content.decode()
    assert actions(page) == set()
    assert url("expectations:edit", tenant_a.organization, expectation_id=retired.pk) not in page


def test_the_version_history_links_every_version(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    version_2 = ExpectationVersion.objects.create(
        organization=tenant_a.organization,
        expectation=expectation,
        number=2,
        title_nl="Twee",
        title_en="Two",
        published_at=timezone.now(),
        created_by=tenant_a.hr,
    )
    expectation.current_version = version_2
    expectation.save(update_fields=["current_version"])
    response = hr.get(detail(expectation))
    assert [row.number for row in response.context["versions"]] == [2, 1]
    page = response.content.decode()
    for number in (1, 2):
        assert url("expectations:version", tenant_a.organization, expectation_id=expectation.pk, number=number) in page


def test_support_and_suggestions_with_forms_to_decide_open_ones(tenant_a, hr):
    expectation = sharpening_expectation(tenant_a.organization)
    EndorsementFactory(expectation=expectation, employee=tenant_a.employee)
    EndorsementFactory(expectation=expectation, employee=tenant_a.manager, wording_revision=0)
    open_one = SuggestionFactory(expectation=expectation, author=tenant_a.employee, text="Bel binnen vijf dagen.")
    SuggestionFactory(
        expectation=expectation,
        author=tenant_a.manager,
        status=SuggestionStatus.DECLINED,
        reply="Te vaag voor ons.",
        decided_by=tenant_a.hr,
        decided_at=timezone.now(),
    )
    response = hr.get(detail(expectation))
    page = response.content.decode()
    assert "1 of 4 people it applies to endorse the current wording" in page
    assert "1 person endorsed an earlier wording only." in page
    assert "Bel binnen vijf dagen." in page and "Dan weet iedereen wanneer en hoe." in page
    # Names may hold an apostrophe ("van 't Hof"), which the page escapes.
    assert f"Suggestion by {escape(tenant_a.employee.full_name)}" in page
    assert f"Reply from {escape(tenant_a.hr.full_name)}:" in page and "Te vaag voor ons." in page
    accept = url("expectations:suggestion_accept", tenant_a.organization, suggestion_id=open_one.pk)
    decline = url("expectations:suggestion_decline", tenant_a.organization, suggestion_id=open_one.pk)
    assert page.count('action="/o/alfa/expectations/suggestions/') == 2  # only the open one can be decided
    assert f'action="{accept}"' in page and f'action="{decline}"' in page
    assert f'<label for="reply-decline-{open_one.pk}">' in page
    assert f'<textarea id="reply-decline-{open_one.pk}" name="reply" rows="2" maxlength="1000" required>' in page


def test_a_published_expectation_can_still_decline_but_not_accept(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    suggestion = SuggestionFactory(expectation=expectation)
    page = hr.get(detail(expectation)).content.decode()
    assert url("expectations:suggestion_decline", tenant_a.organization, suggestion_id=suggestion.pk) in page
    assert url("expectations:suggestion_accept", tenant_a.organization, suggestion_id=suggestion.pk) not in page


def test_the_proposing_manager_sees_their_proposal_and_decides_suggestions_but_has_no_lifecycle(tenant_a, manager):
    expectation = sharpening_expectation(tenant_a.organization, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    suggestion = SuggestionFactory(expectation=expectation, author=tenant_a.employee)
    response = manager.get(detail(expectation))
    assert response.status_code == 200
    page = response.content.decode()
    assert actions(page) == set()
    assert "HR opens it for sharpening and publishes it." in page
    assert url("expectations:suggestion_accept", tenant_a.organization, suggestion_id=suggestion.pk) in page
    assert url("expectations:edit", tenant_a.organization, expectation_id=expectation.pk) in page


def test_the_coach_findings_for_the_current_wording_are_shown(tenant_a, hr, fake_coach):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=Status.DRAFT, published_at=None)
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(behaviour_en="Be proactive.")
    page = hr.get(detail(expectation)).content.decode()
    assert "Language coach" in page
    assert "Observable behaviour (English)" in page
    assert "“proactive”: “proactive” is a container word." in page


def add_rows(tenant, expectation, numbers):
    """Suggestions in every state and, with version 1, as many versions written by HR."""
    suggestions_in_every_state(expectation, numbers, decided_by=tenant.hr)
    for n in numbers:
        if n:
            ExpectationVersion.objects.create(
                organization=tenant.organization,
                expectation=expectation,
                number=n + 1,
                title_nl=f"Versie {n + 1}",
                published_at=timezone.now(),
                created_by=tenant.hr,
            )


@pytest.mark.parametrize("viewer", ["hr", "manager"])
def test_the_detail_page_makes_as_many_queries_for_40_suggestions_and_versions_as_for_2(tenant_a, viewer, request):
    client = request.getfixturevalue(viewer)
    expectation = sharpening_expectation(tenant_a.organization, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    response = assert_flat_queries(
        lambda: client.get(detail(expectation)), lambda numbers: add_rows(tenant_a, expectation, numbers)
    )
    assert (len(response.context["suggestions"]), len(response.context["versions"])) == (40, 40)
