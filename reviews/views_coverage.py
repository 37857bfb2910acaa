"""reviews' parts of pages that lower apps own: evidence coverage on the team grid, links on a person's page.

cycles and organizations never import reviews; they offer registries
(cycles.extensions, organizations.extensions) that reviews/hooks.py fills with
these two. Both parts only read: coverage in a fixed
number of queries for the whole team, the links without any query. Coverage
loads after the grid (``team_coverage``, htmx; without JavaScript the grid
links to it as a page).
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.urls import address_maker
from cycles import selectors_year
from cycles.extensions import GridSection
from cycles.models import CycleStatus
from organizations.extensions import PersonLink
from organizations.permissions import can
from organizations.tenancy import org_view

from . import selectors_coverage
from .rules_coverage import SEE_COVERAGE
from .rules_observations import RECORD_OBSERVATION, SEE_PERSON_OBSERVATIONS
from .rules_requests import ASK_FOR_OBSERVATION

GRID_TEMPLATE = "reviews/coverage_grid.html"


@dataclass(frozen=True)
class CoverageAction:
    label: str
    url: str
    button: bool  # drawn as a button (record, ask) or as a plain link (their observations)


def coverage_on_team_grid(request, *, manager, cycle, reports):
    """Below the cycle's table: each report's evidence so far, which loads after the grid (``team_coverage``)."""
    if not reports or not can(request.employee, SEE_COVERAGE):
        return None
    address = reverse("reviews:team_coverage", kwargs={"org_slug": request.organization.slug, "cycle_id": cycle.pk})
    return GridSection(template=GRID_TEMPLATE, context={"url": address})


@org_view(SEE_COVERAGE)
@require_GET
def team_coverage(request, cycle_id):
    """Per report of the viewer, each applicable expectation and its observations in the cycle so far: the team
    grid's part for htmx, a page of its own without JavaScript. A cycle none of their reports has a conversation
    in is 404, as on the grid."""
    manager = request.employee
    reports = selectors_year.reports_of(manager=manager)
    cycle = next(
        (cycle for cycle in selectors_year.cycles_of_team(manager=manager, reports=reports) if cycle.pk == cycle_id),
        None,
    )
    if cycle is None:
        raise Http404
    people = selectors_coverage.coverage(cycle=cycle, reports=reports)
    _give_actions(manager, people, closed=cycle.status == CycleStatus.CLOSED)
    grid = reverse("cycles:team_grid", kwargs={"org_slug": request.organization.slug})
    context = {
        "cycle": cycle,
        "people": people,
        "level": 4 if request.htmx else 2,
        "grid_url": f"{grid}?cycle={cycle.pk}",
    }
    template = f"{GRID_TEMPLATE}#people" if request.htmx else "reviews/coverage_page.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))  # one address, a part or a page: caches must keep them apart
    return response


def _give_actions(viewer, people, *, closed: bool) -> None:
    """Each person's links under their coverage, as far as ``viewer`` may follow them: record an observation, ask
    a colleague for one (not in a ``closed`` cycle: what is recorded now is dated in the current one), their
    observations. The rules asked and the addresses made here, once per person, rather than three rule tags and
    three url tags per person in the template."""
    slug = viewer.organization.slug
    record = address_maker("reviews:observation_create", "employee_id", org_slug=slug)
    ask = address_maker("reviews:request_create", "employee_id", org_slug=slug)
    see = address_maker("reviews:person_observations", "employee_id", org_slug=slug)
    labels = (_("Record an observation"), _("Ask a colleague for an observation"), _("Observations"))
    for person in people:
        employee = person.employee
        person.actions = [
            CoverageAction(label=label, url=address(employee.pk), button=button)
            for rule, address, label, button in zip(
                (RECORD_OBSERVATION, ASK_FOR_OBSERVATION, SEE_PERSON_OBSERVATIONS),
                (record, ask, see),
                labels,
                (True, True, False),
                strict=True,
            )
            if not (closed and button) and can(viewer, rule, employee)
        ]


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
