"""Who may do what with observations, requests, self-reflections and reviews, and in which state.

Like cycles.rules: predicates take the acting Employee and the object; the
tenancy door has proved both belong to the same organisation. Views guard pages
with ``org_view(RULE)`` and objects with ``can(employee, RULE, obj)``;
templates ask with ``{% test_rule %}``; services refuse a state on the row as
it is in the database, by a conditional update on the state sets the
predicates read. The rules of each part live in their own module, imported
here so that ``rules`` autodiscovery finds them all:

- rules_observations: observations and reactions;
- rules_requests: observation requests to colleagues;
- rules_reviews: the review workflow and its ratings;
- rules_config: the rating scale, the outcome bands and the published rule;
- rules_sheet: the conversation sheet and the self-reflection;
- rules_coverage: evidence coverage on the team grid.

The predicates shared by those parts are below.
"""

import rules


@rules.predicate
def is_about_self(employee, obj):
    """The object (an observation, request, review or self-reflection) is about ``employee``."""
    return employee is not None and obj is not None and obj.employee_id == employee.pk


@rules.predicate
def manages_its_person(employee, obj):
    """The person the object is about reports to ``employee`` (the selector loads ``obj.employee``)."""
    return employee is not None and obj is not None and obj.employee.manager_id == employee.pk


@rules.predicate
def manages_person(employee, person):
    """``person`` (an Employee) reports to ``employee``."""
    return employee is not None and person is not None and person.manager_id == employee.pk


# The parts, after the shared predicates they import.
from . import (  # noqa: E402, F401
    rules_config,
    rules_coverage,
    rules_mine,
    rules_observations,
    rules_requests,
    rules_reviews,
    rules_sheet,
)
