"""reviews' parts of pages that lower apps own: evidence coverage on the team grid, links on a person's page.

cycles and organizations never import reviews; they offer registries
(cycles.extensions, organizations.extensions) that reviews/hooks.py fills with
these two. Both parts only read: coverage in a fixed
number of queries for the whole team, the links without any query.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from cycles.extensions import GridSection
from organizations.extensions import PersonLink
from organizations.permissions import can

from . import selectors_coverage
from .rules_coverage import SEE_COVERAGE
from .rules_observations import RECORD_OBSERVATION, SEE_PERSON_OBSERVATIONS
from .rules_requests import ASK_FOR_OBSERVATION

GRID_TEMPLATE = "reviews/coverage_grid.html"


def coverage_on_team_grid(request, *, manager, cycle, reports):
    """Below the cycle's table: per report, each applicable expectation and its observations in the cycle so far."""
    if not reports or not can(request.employee, SEE_COVERAGE):
        return None
    people = selectors_coverage.coverage(cycle=cycle, reports=reports)
    return GridSection(template=GRID_TEMPLATE, context={"people": people})


def _address(name, person, **kwargs):
    return reverse(name, kwargs={"org_slug": person.organization.slug, **kwargs})


def person_links(*, viewer, person):
    """On a person's page: to the person "What was seen"; to others their observations, recording one and asking a
    colleague for one, each if allowed (reviews.rules_observations, reviews.rules_requests)."""
    if viewer is not None and person.pk == viewer.pk:
        return [PersonLink(label=_("What was seen"), url=_address("reviews:what_was_seen", person))]
    links = []
    if can(viewer, SEE_PERSON_OBSERVATIONS, person):
        url = _address("reviews:person_observations", person, employee_id=person.pk)
        links.append(PersonLink(label=_("Observations"), url=url))
    if person.is_active and can(viewer, RECORD_OBSERVATION, person):
        url = _address("reviews:observation_create", person, employee_id=person.pk)
        links.append(PersonLink(label=_("Record an observation"), url=url))
    if person.is_active and can(viewer, ASK_FOR_OBSERVATION, person):
        url = _address("reviews:request_create", person, employee_id=person.pk)
        links.append(PersonLink(label=_("Ask a colleague for an observation"), url=url))
    return links
