"""Who may do what with an expectation, and in which status: the one place views, services and templates ask.

Each rule combines a role (from organizations.permissions) with the status of
the expectation or suggestion in hand. Views ask with ``can(employee, RULE,
obj)``; templates with ``{% load rules %}{% test_rule "<name>" request.employee
obj as may_... %}``, so a button shows exactly when its view accepts the POST.

The services enforce a rule on the row as it is in the database: they test the
same status sets (a conditional ``UPDATE … WHERE status IN …`` for a move) or,
when they know the actor, the whole rule on the locked row, and answer a domain
error. So a
crafted POST meets the rule that hides the button even when two people act at
once. Predicates take the acting Employee and the object, like those of
organizations.permissions; the tenancy door has already proved that both belong
to the same organisation. ``rules`` autodiscovers this module at start-up.
"""

import rules

from core.rules import field_in
from organizations.permissions import is_hr_admin, is_manager

from . import selectors
from .models import Status, SuggestionStatus

# The statuses a step may start from. The services' conditional updates read these same sets.
UNPUBLISHED = frozenset({Status.DRAFT, Status.SHARPENING})  # edited in place; may be sharpened, published, deleted
NOT_RETIRED = frozenset({Status.DRAFT, Status.SHARPENING, Status.PUBLISHED})  # HR may still change it
SHARPENING = frozenset({Status.SHARPENING})  # may go back to draft
PUBLISHED = frozenset({Status.PUBLISHED})  # may be retired


is_unpublished = field_in("status", UNPUBLISHED, "is_unpublished")
is_not_retired = field_in("status", NOT_RETIRED, "is_not_retired")
is_sharpening = field_in("status", SHARPENING, "is_sharpening")
is_published = field_in("status", PUBLISHED, "is_published")


@rules.predicate
def proposed(employee, expectation):
    """The person who proposed this expectation (None for HR's own)."""
    return employee is not None and expectation is not None and expectation.proposed_by_id == employee.pk


# A proposal stays its manager's while they are a manager; demoted, they no longer see or change it.
is_proposer = is_manager & proposed


@rules.predicate
def in_audience(employee, expectation):
    """The expectation applies to ``employee``: everyone's, or for their team (teams prefetched by the selector)."""
    return (
        employee is not None
        and expectation is not None
        and selectors.in_audience(expectation=expectation, employee=employee)
    )


@rules.predicate
def is_open_for_suggestions(employee, expectation):
    """Being sharpened and its closing date not passed (the model says when)."""
    return expectation is not None and expectation.is_open_for_suggestions


@rules.predicate
def is_open_suggestion(employee, suggestion):
    """Nobody has accepted or declined it yet."""
    return suggestion is not None and suggestion.status == SuggestionStatus.OPEN


def about_its_expectation(predicate: rules.Predicate, name: str) -> rules.Predicate:
    """``predicate`` (about an expectation) asked about a suggestion's expectation."""

    def check(employee, suggestion):
        return suggestion is not None and bool(predicate.test(employee, suggestion.expectation))

    return rules.Predicate(check, name=name)


# --- Rule names. The two role rules guard whole pages, org_view(RULE); the others are about one object ----------

MANAGE_EXPECTATIONS = "expectations.manage"
PROPOSE_EXPECTATION = "expectations.propose"  # also decides whether the menu (home.context_processors) offers it
VIEW_EXPECTATION = "expectations.view"
EDIT_EXPECTATION = "expectations.edit"
SHARPEN_EXPECTATION = "expectations.sharpen"
BACK_TO_DRAFT = "expectations.back_to_draft"
PUBLISH_EXPECTATION = "expectations.publish"
RETIRE_EXPECTATION = "expectations.retire"
DELETE_EXPECTATION = "expectations.delete"
DECIDE_SUGGESTIONS = "expectations.decide_suggestions"
ACCEPT_SUGGESTION = "expectations.accept_suggestion"
DECLINE_SUGGESTION = "expectations.decline_suggestion"
VIEW_SHARPENING = "expectations.view_sharpening"
SUGGEST_WORDING = "expectations.suggest"
ENDORSE_WORDING = "expectations.endorse"


# HR configures values, goals, the cap, and moves expectations through their lifecycle.
rules.add_rule(MANAGE_EXPECTATIONS, is_hr_admin)
# HR writes for any audience; a manager proposes a draft for their own team.
rules.add_rule(PROPOSE_EXPECTATION, is_hr_admin | is_manager)
# The authoring pages (detail, versions): HR, and the manager who proposed it, in any status.
rules.add_rule(VIEW_EXPECTATION, is_hr_admin | is_proposer)
# HR changes anything not retired (a published one gets a new version); the proposer only until it is published.
rules.add_rule(EDIT_EXPECTATION, (is_hr_admin & is_not_retired) | (is_proposer & is_unpublished))
# Open a draft for sharpening, or move its closing date.
rules.add_rule(SHARPEN_EXPECTATION, is_hr_admin & is_unpublished)
rules.add_rule(BACK_TO_DRAFT, is_hr_admin & is_sharpening)
rules.add_rule(PUBLISH_EXPECTATION, is_hr_admin & is_unpublished)
rules.add_rule(RETIRE_EXPECTATION, is_hr_admin & is_published)
# Never published, so nothing cites it; a published one is retired instead, to keep its history.
rules.add_rule(DELETE_EXPECTATION, is_hr_admin & is_unpublished)

# Who decides on the suggestions for an expectation, whatever its status (403 for anyone else).
deciding = is_hr_admin | is_proposer
rules.add_rule(DECIDE_SUGGESTIONS, deciding)
# About one suggestion: it is still open, and only a draft's wording can take it; declining stays possible after.
rules.add_rule(
    ACCEPT_SUGGESTION,
    is_open_suggestion & about_its_expectation(deciding & is_unpublished, "decides_on_a_draft"),
)
rules.add_rule(DECLINE_SUGGESTION, is_open_suggestion & about_its_expectation(deciding, "decides"))

# The audience's side: its sharpening page exists only for them, and only while it is being sharpened (404).
rules.add_rule(VIEW_SHARPENING, in_audience & is_sharpening)
# Suggesting and endorsing close with the closing date; the page stays readable until HR moves it on.
rules.add_rule(SUGGEST_WORDING, in_audience & is_open_for_suggestions)
rules.add_rule(ENDORSE_WORDING, in_audience & is_open_for_suggestions)
