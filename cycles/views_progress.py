"""HR's progress of one cycle: the page, and its two parts that load after it.

The page itself shows per moment the conversations in columns that partition them (selectors.cycle_progress:
one index-only count). The two lists that cost more at 10,000 people load after the page with htmx, each from
an address of its own, the way the cockpit loads its parts:

- ``cycle_progress_teams``: one moment's teams with open conversations, 50 a page (selectors.team_progress,
  an aggregate over the moment's conversations joined to their people). Without JavaScript the page links to
  it, and it answers with a page of its own.
- ``cycle_progress_overdue``: the overdue conversations to follow up, 50 a page, with their "Remind" buttons
  (selectors_overdue.overdue_page, rows prepared by views_overdue.prepare_rows). Without JavaScript the page
  links to the overdue list, which shows the same rows; a plain request of this address is sent there.

Query parameters, the same on the page and its parts: ``moment`` (which moment's teams), ``teams`` and ``page``
(page numbers); anything unknown gives the default. The parts' page links change the page's address, so a
reload, the back button and a link shared keep the page a person was on.
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from organizations.tenancy import org_view

from . import selectors, selectors_overdue, views_overdue
from .models import Cycle
from .rules import MANAGE_CYCLES
from .views_overdue import ListForm, get_cycle


def progress_url(cycle: Cycle, name: str = "cycles:cycle_progress") -> str:
    return reverse(name, kwargs={"org_slug": cycle.organization.slug, "cycle_id": cycle.pk})


def _link(request, **changes) -> str:
    """The page's own address with ``changes`` to its query (relative, so it serves the page and its parts)."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return f"?{query.urlencode()}"


def _with_query(address: str, request, **changes) -> str:
    return address + _link(request, **changes) if (request.GET or changes) else address


@org_view(MANAGE_CYCLES)
@require_GET
def cycle_progress(request, cycle_id):
    """Per moment the conversations in columns that partition them (to schedule and scheduled while the window is
    open, overdue, held, cancelled); the teams of one moment and the overdue conversations load after the page."""
    cycle = get_cycle(request, cycle_id)
    progress = selectors.cycle_progress(cycle=cycle)
    chosen = _chosen_moment(progress, request.GET.get("moment"))
    teams_url = progress_url(cycle, "cycles:cycle_progress_teams")
    context = {
        "cycle": cycle,
        "progress": progress,
        "chosen": chosen,
        "moment_links": [(item, _link(request, moment=item.moment.pk, teams=1)) for item in progress],
        "teams_part_url": _with_query(teams_url, request, moment=chosen.moment.pk) if chosen else None,
        "overdue_count": sum(item.overdue for item in progress),
        "overdue_part_url": _with_query(progress_url(cycle, "cycles:cycle_progress_overdue"), request),
        "overdue_list": views_overdue.list_url(request, cycle),
    }
    return render(request, "cycles/cycle_progress.html", context)


def _chosen_moment(progress, asked):
    """The moment whose teams the progress page shows: the one asked for, else the first with overdue
    conversations, else the first with open ones, else the first; None without moments."""
    for item in progress:
        if str(item.moment.pk) == asked:
            return item
    return next(
        (item for item in progress if item.overdue),
        next((item for item in progress if item.open), progress[0] if progress else None),
    )


@org_view(MANAGE_CYCLES)
@require_GET
def cycle_progress_teams(request, cycle_id):
    """One moment's teams with open conversations (``moment``; unknown: the cycle's first), 50 a page (``teams``):
    the progress page's part for htmx, a page of its own without JavaScript."""
    cycle = get_cycle(request, cycle_id)
    moments = list(cycle.moments.all())
    asked = ListForm(request.GET).value("moment")
    moment = next((item for item in moments if item.pk == asked), moments[0] if moments else None)
    teams = selectors.team_progress(moment=moment, page=request.GET.get("teams")) if moment else None
    context = {
        "cycle": cycle,
        "moment": moment,
        "teams": teams,
        "teams_previous": _link(request, teams=teams.previous_page_number())
        if teams and teams.has_previous()
        else None,
        "teams_next": _link(request, teams=teams.next_page_number()) if teams and teams.has_next() else None,
        "progress_url": _with_query(progress_url(cycle), request),
    }
    template = "cycles/cycle_progress.html#teams" if request.htmx else "cycles/cycle_progress_teams.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))  # one address, a part or a page: caches must keep them apart
    return response


@org_view(MANAGE_CYCLES)
@require_GET
def cycle_progress_overdue(request, cycle_id):
    """The cycle's overdue conversations, 50 a page (``page``), for the progress page (htmx); a plain request is
    sent to the overdue list, which shows the same rows."""
    cycle = get_cycle(request, cycle_id)
    form = ListForm(request.GET)
    if not request.htmx:
        return redirect(views_overdue.list_url(request, cycle, page=form.value("page")))
    count = sum(selectors_overdue.overdue_counts(cycle=cycle, today=timezone.localdate()).values())
    overdue = selectors_overdue.overdue_page(cycle=cycle, page=form.value("page"), count=count)
    views_overdue.prepare_rows(request, cycle, overdue.object_list)
    context = {
        "cycle": cycle,
        "overdue": overdue,
        "overdue_previous": _link(request, page=overdue.previous_page_number()) if overdue.has_previous() else None,
        "overdue_next": _link(request, page=overdue.next_page_number()) if overdue.has_next() else None,
        # Where a reminder returns to: the progress page on this page of the list.
        "here": _with_query(progress_url(cycle), request),
    }
    response = render(request, "cycles/cycle_progress.html#overdue", context)
    patch_vary_headers(response, ("HX-Request",))
    return response
