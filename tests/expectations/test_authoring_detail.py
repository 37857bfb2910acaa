"""The detail page: wording in both languages, lifecycle actions, versions, support and suggestions."""

import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from expectations import views_authoring
from expectations.models import ExpectationVersion, Status, SuggestionStatus
from tests.factories import (
    EmployeeFactory,
    EndorsementFactory,
    ExpectationFactory,
    StrategicGoalFactory,
    SuggestionFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"expectations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def detail(expectation):
    return url("detail", expectation.organization, expectation_id=expectation.pk)


def sharpening(tenant, **kwargs):
    return ExpectationFactory(
        organization=tenant.organization,
        status=Status.SHARPENING,
        published_at=None,
        sharpening_closes_on=timezone.localdate() + timezone.timedelta(days=7),
        **kwargs,
    )


def actions(page):
    """The lifecycle forms on the page, by the last part of their address."""
    return set(re.findall(r'action="/o/[^/]+/expectations/\d+/(\w+)/"', page))


@pytest.fixture
def hr(tenant_a, login):
    in_english(tenant_a.hr)
    return login(tenant_a.hr)


def test_a_member_of_another_organisation_gets_404(tenant_a, tenant_b, login):
    assert login(tenant_b.hr).get(detail(sharpening(tenant_a))).status_code == 404


@pytest.mark.parametrize("expectation_id", ["abc", "0", "-1", "99999999999999999999999", "1e3"])
def test_a_malformed_or_unknown_id_gets_404(tenant_a, hr, expectation_id):
    assert hr.get(url("detail", tenant_a.organization, expectation_id=expectation_id)).status_code == 404


def test_an_employee_gets_403(tenant_a, login):
    assert login(tenant_a.employee).get(detail(sharpening(tenant_a))).status_code == 403


def test_a_manager_who_did_not_propose_it_gets_403(tenant_a, login):
    assert login(tenant_a.manager).get(detail(sharpening(tenant_a, teams=[tenant_a.team]))).status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_get_405(tenant_a, hr, method):
    assert getattr(hr, method)(detail(sharpening(tenant_a))).status_code == 405


def test_hr_sees_the_wording_in_both_languages_with_examples_weight_and_audience(tenant_a, hr):
    goal = StrategicGoalFactory(organization=tenant_a.organization, title_en="Happy customers")
    expectation = ExpectationFactory(
        organization=tenant_a.organization, status=Status.DRAFT, published_at=None, weight=35,
        teams=[tenant_a.team], title="Feedback vragen",
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
    assert url("edit", tenant_a.organization, expectation_id=expectation.pk) in page


def test_a_draft_offers_sharpening_publishing_and_deleting(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=Status.DRAFT, published_at=None)
    page = hr.get(detail(expectation)).content.decode()
    assert actions(page) == {"sharpen", "publish", "delete"}
    assert 'name="closes_on"' in page and 'type="date"' in page
    assert "Suggestions close on" in page


def test_sharpening_also_offers_back_to_draft(tenant_a, hr):
    page = hr.get(detail(sharpening(tenant_a))).content.decode()
    assert actions(page) == {"sharpen", "publish", "draft", "delete"}  # draft/: back to draft
    assert "Change the closing date" in page


def test_a_published_one_offers_retiring_and_a_retired_one_nothing(tenant_a, hr):
    published = ExpectationFactory(organization=tenant_a.organization)
    assert actions(hr.get(detail(published)).content.decode()) == {"retire"}
    retired = ExpectationFactory(organization=tenant_a.organization, status=Status.RETIRED, retired_at=timezone.now())
    page = hr.get(detail(retired)).content.decode()
    assert actions(page) == set()
    assert url("edit", tenant_a.organization, expectation_id=retired.pk) not in page


def test_the_version_history_links_every_version(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    version_2 = ExpectationVersion.objects.create(
        organization=tenant_a.organization, expectation=expectation, number=2, title_nl="Twee", title_en="Two",
        published_at=timezone.now(), created_by=tenant_a.hr,
    )
    expectation.current_version = version_2
    expectation.save(update_fields=["current_version"])
    response = hr.get(detail(expectation))
    assert [row.number for row in response.context["versions"]] == [2, 1]
    page = response.content.decode()
    for number in (1, 2):
        assert url("version", tenant_a.organization, expectation_id=expectation.pk, number=number) in page


def test_support_and_suggestions_with_forms_to_decide_open_ones(tenant_a, hr):
    expectation = sharpening(tenant_a)
    EndorsementFactory(expectation=expectation, employee=tenant_a.employee)
    EndorsementFactory(expectation=expectation, employee=tenant_a.manager, wording_revision=0)
    open_one = SuggestionFactory(expectation=expectation, author=tenant_a.employee, text="Bel binnen vijf dagen.")
    SuggestionFactory(
        expectation=expectation, author=tenant_a.manager, status=SuggestionStatus.DECLINED,
        reply="Te vaag voor ons.", decided_by=tenant_a.hr, decided_at=timezone.now(),
    )
    response = hr.get(detail(expectation))
    page = response.content.decode()
    assert "1 of 4 people it applies to endorse the current wording" in page
    assert "1 person endorsed an earlier wording only." in page
    assert "Bel binnen vijf dagen." in page and "Dan weet iedereen wanneer en hoe." in page
    # Names may hold an apostrophe ("van 't Hof"), which the page escapes.
    assert f"Suggestion by {escape(tenant_a.employee.full_name)}" in page
    assert f"Reply from {escape(tenant_a.hr.full_name)}:" in page and "Te vaag voor ons." in page
    accept = url("suggestion_accept", tenant_a.organization, suggestion_id=open_one.pk)
    decline = url("suggestion_decline", tenant_a.organization, suggestion_id=open_one.pk)
    assert page.count('action="/o/alfa/expectations/suggestions/') == 2  # only the open one can be decided
    assert f'action="{accept}"' in page and f'action="{decline}"' in page
    assert f'<label for="reply-decline-{open_one.pk}">' in page
    assert f'<textarea id="reply-decline-{open_one.pk}" name="reply" rows="2" maxlength="1000" required>' in page


def test_a_published_expectation_can_still_decline_but_not_accept(tenant_a, hr):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    suggestion = SuggestionFactory(expectation=expectation)
    page = hr.get(detail(expectation)).content.decode()
    assert url("suggestion_decline", tenant_a.organization, suggestion_id=suggestion.pk) in page
    assert url("suggestion_accept", tenant_a.organization, suggestion_id=suggestion.pk) not in page


def test_the_proposing_manager_sees_their_proposal_and_decides_suggestions_but_has_no_lifecycle(tenant_a, login):
    in_english(tenant_a.manager)
    expectation = sharpening(tenant_a, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    suggestion = SuggestionFactory(expectation=expectation, author=tenant_a.employee)
    response = login(tenant_a.manager).get(detail(expectation))
    assert response.status_code == 200
    page = response.content.decode()
    assert actions(page) == set()
    assert "HR opens it for sharpening and publishes it." in page
    assert url("suggestion_accept", tenant_a.organization, suggestion_id=suggestion.pk) in page
    assert url("edit", tenant_a.organization, expectation_id=expectation.pk) in page


@dataclass(frozen=True)
class Finding:
    kind: str
    words: tuple
    start: int
    end: int
    reason: str
    hint: str


def test_the_coach_findings_for_the_current_wording_are_shown(tenant_a, hr, monkeypatch):
    def coach(text, language, *, purpose="expectation"):
        if "proactive" in text:
            return [Finding("container", ("proactive",), 0, 9, "A container word.", "Say what you would see.")]
        return []

    monkeypatch.setattr(views_authoring, "run_coach", coach)
    expectation = ExpectationFactory(organization=tenant_a.organization, status=Status.DRAFT, published_at=None)
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(behaviour_en="Be proactive.")
    page = hr.get(detail(expectation)).content.decode()
    assert "Language coach" in page
    assert "Observable behaviour (English)" in page
    assert "“proactive”: A container word." in page


def queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), [query["sql"] for query in captured]


def assert_flat(small, large, what):
    (few, _few_sql), (many, many_sql) = small, large
    assert few == many, f"{what}: {few} queries with few rows, {many} with many:\n" + "\n".join(many_sql)


def add_rows(tenant, expectation, count, start):
    """Suggestions in every state (by new people, some decided) and versions written by HR."""
    team = TeamFactory(organization=tenant.organization)
    statuses = [SuggestionStatus.OPEN, SuggestionStatus.ACCEPTED, SuggestionStatus.DECLINED]
    for n in range(start, start + count):
        author = EmployeeFactory(organization=tenant.organization, team=team)
        decided = statuses[n % 3] != SuggestionStatus.OPEN
        SuggestionFactory(
            expectation=expectation, author=author, status=statuses[n % 3], reply="Dank je." if decided else "",
            decided_by=tenant.hr if decided else None, decided_at=timezone.now() if decided else None,
        )
        EndorsementFactory(expectation=expectation, employee=author)
        ExpectationVersion.objects.create(
            organization=tenant.organization, expectation=expectation, number=n + 2, title_nl=f"Versie {n + 2}",
            published_at=timezone.now(), created_by=tenant.hr,
        )


@pytest.mark.parametrize("viewer", ["hr", "manager"])
def test_the_detail_page_makes_as_many_queries_for_40_suggestions_and_versions_as_for_2(tenant_a, login, viewer):
    client = login(tenant_a.member(viewer))
    expectation = sharpening(tenant_a, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    add_rows(tenant_a, expectation, 1, start=0)  # with version 1: 2 versions, and 2 suggestions below
    add_rows(tenant_a, expectation, 1, start=1)
    page = detail(expectation)
    small = queries(client, page)
    add_rows(tenant_a, expectation, 38, start=2)
    assert_flat(small, queries(client, page), f"detail page seen by {viewer}")
