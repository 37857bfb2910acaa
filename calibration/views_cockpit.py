"""HR's cockpit: where the newest active cycle stands, each figure a link to the page that explains it.

Each address answers with a full page normally and with its card (a named partial) for htmx:

- ``cockpit``: the cockpit. HR's home loads its card after the page (hx-trigger="load"), so the home page itself
  asks nothing more of the database.
- ``cockpit_calibration`` and ``cockpit_budget``: the two parts that cost more at 10,000 people (see
  calibration.selectors_cockpit), which the cockpit's card loads after itself in the same way. Without JavaScript
  the card links to the calibration page and the budget instead.
"""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from core.urls import get_or_404
from cycles.models import Cycle
from organizations.tenancy import org_view
from pay.selectors_budget import budget_of

from . import selectors_cockpit
from .rules import CALIBRATE
from .selectors_calibration import summary_of


def _page_or_card(request, template: str, partial: str, context: dict):
    """``template`` for a plain request, its ``partial`` for htmx (the card's headings one level down there)."""
    context["level"] = 3 if request.htmx else 2
    response = render(request, f"{template}#{partial}" if request.htmx else template, context)
    # The same address answers with a card or a page: a browser's cache must not give one for the other.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _cycle(request, cycle_id) -> Cycle:
    return get_or_404(Cycle.objects.filter(organization=request.organization), cycle_id)


@org_view(CALIBRATE)
@require_GET
def cockpit(request):
    """Progress per moment, overdue conversations and reviews per state; calibration and budget load after."""
    context = {"cockpit": selectors_cockpit.cockpit(organization=request.organization)}
    return _page_or_card(request, "calibration/cockpit_page.html", "cockpit", context)


@org_view(CALIBRATE)
@require_GET
def cockpit_calibration(request, cycle_id):
    """How many of each calibration flag the cycle has (calibration.selectors_calibration.summary_of)."""
    cycle = _cycle(request, cycle_id)
    context = {"cycle": cycle, "summary": summary_of(cycle=cycle)}
    return _page_or_card(request, "calibration/cockpit_calibration.html", "part", context)


@org_view(CALIBRATE)
@require_GET
def cockpit_budget(request, cycle_id):
    """What the cycle's proposed outcomes cost against the total budget (pay.selectors_budget.budget_of)."""
    cycle = _cycle(request, cycle_id)
    context = {"cycle": cycle, "budget": budget_of(cycle=cycle)}
    return _page_or_card(request, "calibration/cockpit_budget.html", "part", context)
