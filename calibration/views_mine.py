"""A manager's own page: the outcomes they propose beside the organisation's, and every outcome HR moved of theirs.

Managers and HR (SEE_OWN_DISTRIBUTION) each read their own reviews only; the page never names another manager or
their team. It only reads (calibration.selectors_mine, calibration.selectors_moves), in a fixed number of queries.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from organizations.tenancy import org_view

from . import selectors_mine, selectors_moves
from .rules import SEE_OWN_DISTRIBUTION

# The bars' drawing box: the width a share of 100 % takes, in the SVG's own units.
BAR_WIDTH = 100


@org_view(SEE_OWN_DISTRIBUTION)
@require_GET
def mine(request):
    """The cycle asked for (``?cycle=<id>``, among the cycles with reviews; by default the active one); an id not
    among them is a 404."""
    cycles = selectors_mine.cycles_with_reviews(organization_id=request.organization.pk)
    requested = request.GET.get("cycle")
    cycle = selectors_mine.chosen_cycle(cycles=cycles, requested=requested)
    if cycle is None and requested:
        raise Http404
    context = {"cycles": cycles, "cycle": cycle, "bar_width": BAR_WIDTH}
    if cycle is not None:
        context["comparison"] = selectors_mine.comparison(cycle=cycle, viewer=request.employee)
        context["moves"] = selectors_moves.moves_of_manager(
            cycle=cycle, manager=request.employee, page=request.GET.get("page")
        )
        context["querystring"] = urlencode({"cycle": cycle.pk}) if requested else ""
    return render(request, "calibration/mine_page.html", context)
