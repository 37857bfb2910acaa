"""expectations/rules.py: who may do what with an expectation in which status, and that every page agrees.

The first half writes out each rule's truth table (role × status), as the pages behaved before the rules moved
into one module. The second half renders the page as each role in each status, then sends the POST, and checks
that the button was shown exactly when the POST was accepted, and exactly when the rule says so.
"""

import re
from pathlib import Path

import pytest
import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override
from rules.rulesets import default_rules

from expectations import services
from expectations.models import Endorsement, Expectation, Status, Suggestion, SuggestionStatus
from expectations.rules import (
    ACCEPT_SUGGESTION,
    BACK_TO_DRAFT,
    DECIDE_SUGGESTIONS,
    DECLINE_SUGGESTION,
    DELETE_EXPECTATION,
    EDIT_EXPECTATION,
    ENDORSE_WORDING,
    MANAGE_EXPECTATIONS,
    PROPOSE_EXPECTATION,
    PUBLISH_EXPECTATION,
    RETIRE_EXPECTATION,
    SHARPEN_EXPECTATION,
    SUGGEST_WORDING,
    VIEW_EXPECTATION,
    VIEW_SHARPENING,
)
from organizations.models import Role
from organizations.permissions import can
from tests.factories import EmployeeFactory, ExpectationFactory, SuggestionFactory
from tests.kit import client_for, url

pytestmark = pytest.mark.django_db

STATUSES = (Status.DRAFT, Status.SHARPENING, Status.PUBLISHED, Status.RETIRED)
ALL = " ".join(STATUSES)
ROLES = ("hr", "proposer", "other manager", "employee", "demoted proposer")


def days(n):
    return timezone.localdate() + timezone.timedelta(days=n)


def expectation_in(tenant, status, **kwargs):
    return ExpectationFactory(
        organization=tenant.organization,
        status=status,
        published_at=timezone.now() if status in (Status.PUBLISHED, Status.RETIRED) else None,
        **kwargs,
    )


def people(tenant):
    """Each role, and whose proposal they look at: the proposer's own, or (demoted) their own from before."""
    demoted = EmployeeFactory(organization=tenant.organization, role=Role.EMPLOYEE, team=tenant.team)
    other_manager = EmployeeFactory(organization=tenant.organization, role=Role.MANAGER, team=tenant.team)
    return {
        "hr": (tenant.hr, tenant.manager),
        "proposer": (tenant.manager, tenant.manager),
        "other manager": (other_manager, tenant.manager),
        "employee": (tenant.employee, tenant.manager),
        "demoted proposer": (demoted, demoted),
    }


# --- The truth tables ---------------------------------------------------------------------------------------
# For each role, the statuses in which the rule holds; a role not named never passes. The object is a proposal
# (proposed_by is the proposer; for the demoted proposer, their own proposal from when they were a manager).

EXPECTATION_TABLES = {
    MANAGE_EXPECTATIONS: {"hr": ALL},
    PROPOSE_EXPECTATION: {"hr": ALL, "proposer": ALL, "other manager": ALL},
    VIEW_EXPECTATION: {"hr": ALL, "proposer": ALL},
    EDIT_EXPECTATION: {"hr": "draft sharpening published", "proposer": "draft sharpening"},
    SHARPEN_EXPECTATION: {"hr": "draft sharpening"},
    BACK_TO_DRAFT: {"hr": "sharpening"},
    PUBLISH_EXPECTATION: {"hr": "draft sharpening"},
    RETIRE_EXPECTATION: {"hr": "published"},
    DELETE_EXPECTATION: {"hr": "draft sharpening"},
    DECIDE_SUGGESTIONS: {"hr": ALL, "proposer": ALL},
}

# About an open suggestion, by the status of its expectation.
SUGGESTION_TABLES = {
    ACCEPT_SUGGESTION: {"hr": "draft sharpening", "proposer": "draft sharpening"},
    DECLINE_SUGGESTION: {"hr": ALL, "proposer": ALL},
}

# The audience's side, for an expectation meant for one team: a member of it, and people outside that team.
# "closed" is in sharpening with its closing date passed.
AUDIENCE_STATES = ("draft", "sharpening", "closed", "published", "retired")
AUDIENCE_TABLES = {
    VIEW_SHARPENING: {"team member": "sharpening closed"},
    SUGGEST_WORDING: {"team member": "sharpening"},
    ENDORSE_WORDING: {"team member": "sharpening"},
}


def expected(table, roles, states):
    """The table as {role: [states in which the rule holds]}, in the order of ``states``."""
    return {role: [state for state in states if state in table.get(role, "").split()] for role in roles}


def test_every_expectation_rule_has_a_truth_table_here():
    registered = {name for name in default_rules if name.startswith("expectations.")}
    assert registered == set(EXPECTATION_TABLES) | set(SUGGESTION_TABLES) | set(AUDIENCE_TABLES)


@pytest.mark.parametrize("rule", list(EXPECTATION_TABLES))
def test_the_truth_table_of(rule, tenant_a):
    cast = people(tenant_a)
    actual = {role: [] for role in ROLES}
    for status in STATUSES:
        for role, (employee, proposer) in cast.items():
            expectation = expectation_in(tenant_a, status, proposed_by=proposer)
            if can(employee, rule, expectation):
                actual[role].append(status)
    assert actual == expected(EXPECTATION_TABLES[rule], ROLES, STATUSES)


@pytest.mark.parametrize("rule", list(SUGGESTION_TABLES))
def test_the_truth_table_of_deciding(rule, tenant_a):
    cast = people(tenant_a)
    actual = {role: [] for role in ROLES}
    for status in STATUSES:
        for role, (employee, proposer) in cast.items():
            suggestion = SuggestionFactory(expectation=expectation_in(tenant_a, status, proposed_by=proposer))
            if can(employee, rule, suggestion):
                actual[role].append(status)
    assert actual == expected(SUGGESTION_TABLES[rule], ROLES, STATUSES)


@pytest.mark.parametrize("decided", [SuggestionStatus.ACCEPTED, SuggestionStatus.DECLINED])
def test_a_decided_suggestion_is_decided_again_by_nobody(tenant_a, decided):
    for status in STATUSES:
        suggestion = SuggestionFactory(
            expectation=expectation_in(tenant_a, status, proposed_by=tenant_a.manager), status=decided
        )
        for employee in (tenant_a.hr, tenant_a.manager):
            assert not can(employee, ACCEPT_SUGGESTION, suggestion)
            assert not can(employee, DECLINE_SUGGESTION, suggestion)


def audience_expectation(tenant, state, **kwargs):
    """An expectation for the tenant's team in ``state`` (one of AUDIENCE_STATES)."""
    status = Status.SHARPENING if state == "closed" else state
    closes_on = {"sharpening": days(7), "closed": days(-1)}.get(state)
    return expectation_in(tenant, status, teams=[tenant.team], sharpening_closes_on=closes_on, **kwargs)


@pytest.mark.parametrize("rule", list(AUDIENCE_TABLES))
def test_the_truth_table_of_the_audience_rule(rule, tenant_a):
    cast = {"team member": tenant_a.employee, "other team": tenant_a.outsider, "hr outside the team": tenant_a.hr}
    actual = {role: [] for role in cast}
    for state in AUDIENCE_STATES:
        expectation = audience_expectation(tenant_a, state)
        for role, employee in cast.items():
            if can(employee, rule, expectation):
                actual[role].append(state)
    assert actual == expected(AUDIENCE_TABLES[rule], list(cast), AUDIENCE_STATES)


def test_an_expectation_for_everyone_is_open_to_people_without_a_team(tenant_a):
    expectation = audience_expectation(tenant_a, "sharpening")
    expectation.for_everyone = True
    expectation.save(update_fields=["for_everyone"])
    expectation.teams.clear()
    assert can(tenant_a.outsider, SUGGEST_WORDING, expectation)
    assert can(tenant_a.outsider, ENDORSE_WORDING, expectation)


def test_every_rule_a_template_asks_for_exists():
    """A misspelt rule name in {% test_rule %} is silently False: the button would vanish for everyone."""
    folder = Path(settings.BASE_DIR) / "templates" / "expectations"
    asked = {
        name
        for template in folder.rglob("*.html")
        for name in re.findall(r"{%\s*test_rule\s+\"([^\"]+)\"", template.read_text())
    }
    assert asked, "the expectation templates ask no rule at all"
    assert {name for name in asked if not rules.rule_exists(name)} == set()


# --- The button is shown exactly when the POST is accepted --------------------------------------------------


def detail_page(client, expectation):
    """The detail page's HTML, or "" when the person may not open it (403): then they see no button either."""
    response = client.get(url("expectations:detail", expectation.organization, expectation_id=expectation.pk))
    assert response.status_code in (200, 403), response.status_code
    return response.content.decode() if response.status_code == 200 else ""


def row(expectation):
    """What a lifecycle step changes: the status and the closing date, or None once the draft is deleted."""
    return Expectation.objects.filter(pk=expectation.pk).values_list("status", "sharpening_closes_on").first()


LIFECYCLE = {
    "sharpen": (SHARPEN_EXPECTATION, {"closes_on": days(21).isoformat()}),
    "back_to_draft": (BACK_TO_DRAFT, {}),
    "publish": (PUBLISH_EXPECTATION, {}),
    "retire": (RETIRE_EXPECTATION, {}),
    "delete": (DELETE_EXPECTATION, {}),
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(LIFECYCLE))
def test_a_lifecycle_button_is_shown_exactly_when_its_post_is_accepted(tenant_a, action, status):
    rule, data = LIFECYCLE[action]
    outcomes = []
    for employee in (tenant_a.hr, tenant_a.manager):
        expectation = expectation_in(tenant_a, status, proposed_by=tenant_a.manager)
        client = client_for(employee)
        address = url(f"expectations:{action}", tenant_a.organization, expectation_id=expectation.pk)
        allowed = can(employee, rule, expectation)
        shown = f'action="{address}"' in detail_page(client, expectation)
        before = row(expectation)
        response = client.post(address, data)
        accepted = row(expectation) != before
        assert response.status_code in (302, 403)
        outcomes.append((employee.role, shown, accepted, allowed))
    assert all(shown == accepted == allowed for _role, shown, accepted, allowed in outcomes), outcomes


def edit_data(expectation, title):
    """The edit form as it comes, with a new Dutch title."""
    version = expectation.current_version
    wording = ("title_en", "behaviour_nl", "behaviour_en", "examples_yes_nl", "examples_yes_en")
    return {
        **{name: getattr(version, name) for name in (*wording, "examples_not_yet_nl", "examples_not_yet_en")},
        "title_nl": title,
        "core_value": expectation.core_value_id,
        "strategic_goal": "",
        "weight": version.weight,
        "audience": "everyone",
    }


@pytest.mark.parametrize("status", STATUSES)
def test_the_edit_link_is_shown_exactly_when_an_edit_is_saved(tenant_a, status):
    outcomes = []
    for employee in (tenant_a.hr, tenant_a.manager):
        expectation = expectation_in(tenant_a, status, proposed_by=tenant_a.manager, teams=[tenant_a.team])
        client = client_for(employee)
        address = url("expectations:edit", tenant_a.organization, expectation_id=expectation.pk)
        allowed = can(employee, EDIT_EXPECTATION, expectation)
        shown = f'href="{address}"' in detail_page(client, expectation)
        client.post(address, edit_data(expectation, "Nieuwe woorden"))
        accepted = Expectation.objects.get(pk=expectation.pk).current_version.title_nl == "Nieuwe woorden"
        outcomes.append((employee.role, shown, accepted, allowed))
    assert all(shown == accepted == allowed for _role, shown, accepted, allowed in outcomes), outcomes
    assert any(allowed for *_rest, allowed in outcomes) == (status != Status.RETIRED)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_a_decision_on_a_suggestion_is_offered_exactly_when_it_is_taken(tenant_a, decision, status):
    rule = ACCEPT_SUGGESTION if decision == "accept" else DECLINE_SUGGESTION
    outcomes = []
    for employee in (tenant_a.hr, tenant_a.manager, EmployeeFactory(organization=tenant_a.organization)):
        expectation = expectation_in(tenant_a, status, proposed_by=tenant_a.manager)
        suggestion = SuggestionFactory(expectation=expectation, author=tenant_a.employee)
        client = client_for(employee)
        address = url(f"expectations:suggestion_{decision}", tenant_a.organization, suggestion_id=suggestion.pk)
        allowed = can(employee, rule, suggestion)
        shown = f'action="{address}"' in detail_page(client, expectation)
        client.post(address, {"reply": "Dank je, zo doen we het."})
        accepted = Suggestion.objects.get(pk=suggestion.pk).status != SuggestionStatus.OPEN
        outcomes.append((employee.role, shown, accepted, allowed))
    assert all(shown == accepted == allowed for _role, shown, accepted, allowed in outcomes), outcomes


AUDIENCE_ACTIONS = {
    "endorse": (ENDORSE_WORDING, {}, Endorsement),
    "suggest": (SUGGEST_WORDING, {"text": "Je belt de klant binnen drie werkdagen terug.", "why": ""}, Suggestion),
}


@pytest.mark.parametrize("state", AUDIENCE_STATES)
@pytest.mark.parametrize("action", list(AUDIENCE_ACTIONS))
def test_endorsing_and_suggesting_are_offered_exactly_when_they_are_taken(tenant_a, action, state):
    rule, data, model = AUDIENCE_ACTIONS[action]
    outcomes = []
    for employee in (tenant_a.employee, tenant_a.outsider):
        expectation = audience_expectation(tenant_a, state)
        client = client_for(employee)
        address = url(f"expectations:{action}", tenant_a.organization, expectation_id=expectation.pk)
        page = client.get(url("expectations:sharpening_detail", tenant_a.organization, expectation_id=expectation.pk))
        allowed = can(employee, rule, expectation)
        shown = page.status_code == 200 and f'action="{address}"' in page.content.decode()
        client.post(address, data)
        accepted = model.objects.filter(expectation=expectation).exists()
        outcomes.append((employee.first_name, shown, accepted, allowed))
    assert all(shown == accepted == allowed for _name, shown, accepted, allowed in outcomes), outcomes


# --- A service meets the rule even when the page was opened before someone else acted -----------------------


def test_a_proposal_published_while_its_manager_edits_is_not_changed_by_the_manager(tenant_a):
    """The manager opened the edit form of their draft; HR published it before they saved."""
    expectation = expectation_in(tenant_a, Status.PUBLISHED, proposed_by=tenant_a.manager, teams=[tenant_a.team])
    version = expectation.current_version
    with override("en"), pytest.raises(ValidationError) as refused:
        services.expectation_update(
            expectation=expectation,
            actor=tenant_a.manager,
            core_value=expectation.core_value,
            title_nl="Nieuwe woorden",
            teams=[tenant_a.team],
            for_everyone=False,
        )
    assert refused.value.messages == ["HR has published this expectation; only HR changes it now."]
    assert list(Expectation.objects.get(pk=expectation.pk).versions.values_list("pk", flat=True)) == [version.pk]
    assert Expectation.objects.get(pk=expectation.pk).current_version.title_nl == version.title_nl
