"""HR's calibration page of a cycle: the spread of the proposed outcomes in the organisation, per manager and per
team, and what is flagged, each flag with its rule in words and the cycle's thresholds.

The page only reads (calibration.selectors_calibration). Its one input is the query string: ``?show=`` picks the
list under the summary and ``?page=`` its page; anything else there (``?show=nonsense``, ``?page=abc``) shows the
managers or the first page. Thresholds are not read from the address: HR sets them on the calibration window page.
"""

from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.urls import get_or_404
from cycles.models import Cycle
from organizations.tenancy import org_view

from . import selectors_calibration as selectors
from .rules import CALIBRATE
from .selectors_calibration import Show


def cycle_of(request, cycle_id) -> Cycle:
    """The organisation's cycle ``cycle_id`` (any status), or 404."""
    return get_or_404(Cycle.objects.filter(organization=request.organization), cycle_id)


def _page(summary, show, number):
    if show == Show.TEAMS:
        return selectors.team_page(cycle=summary.cycle, number=number)
    lists = {
        Show.DEVIATIONS: selectors.deviation_page,
        Show.UNEVIDENCED: selectors.unevidenced_page,
        Show.RECENT: selectors.recent_page,
        Show.DRAFTS: selectors.draft_page,
    }
    return lists.get(show, selectors.manager_page)(summary, number)


@org_view(CALIBRATE)
@require_GET
def calibration(request, cycle_id):
    """The summary, then one list (``?show=``), one page (``?page=``) at a time."""
    cycle = cycle_of(request, cycle_id)
    show = selectors.shown(request.GET.get("show"))
    summary = selectors.summary_of(cycle=cycle)
    totals = summary.totals
    tabs = [
        (Show.MANAGERS, Show.MANAGERS.label, len(summary.managers)),
        (Show.TEAMS, Show.TEAMS.label, None),
        (Show.DEVIATIONS, Show.DEVIATIONS.label, totals.deviations),
        (Show.UNEVIDENCED, Show.UNEVIDENCED.label, totals.unevidenced_reviews),
        (Show.RECENT, Show.RECENT.label, totals.recent),
        (Show.DRAFTS, Show.DRAFTS.label, totals.drafts),
    ]
    context = {
        "cycle": cycle,
        "summary": summary,
        "totals": totals,
        "thresholds": summary.thresholds,
        "show": show,
        "tabs": tabs,
        "page": _page(summary, show, request.GET.get("page")),
        "querystring": urlencode({"show": show}),
    }
    return render(request, "calibration/calibration_page.html", context)
