""" "What my outcome means": what each outcome of a cycle would mean for the viewer's pay, in euros, before the review;
and the same page about someone else for HR and (when the organisation allows it) their manager.

Both only read, through pay.selectors_mine (figures from pay.outcomes, the one computation) and pay.explain (the
sentences), in a fixed number of queries. Every member reads their own page (SEE_OWN_OUTCOMES); the page about
someone else asks SEE_OUTCOMES_OF with the person as object, which the door cannot (it knows no person yet), so the
view asks it after the look-up: another organisation's person is a 404, someone the viewer may not read a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.urls import get_or_404
from organizations import selectors as people_selectors
from organizations.permissions import can
from organizations.tenancy import org_view

from . import explain
from . import selectors_mine as selectors
from .rules import SEE_OUTCOMES_OF, SEE_OWN_OUTCOMES


def _page(request, *, person, name=None):
    """The page about ``person`` for the cycle asked for (``?cycle=<id>``); an id not among the choices is a 404."""
    cycles = selectors.outcome_cycles(organization_id=request.organization.pk)
    requested = request.GET.get("cycle")
    cycle = selectors.chosen_cycle(cycles=cycles, requested=requested)
    if cycle is None and requested:
        raise Http404
    outcomes = selectors.outcomes_of(employee=person, cycle=cycle) if cycle is not None else None
    title = _("What my outcome means") if name is None else _("What the outcomes mean for %(name)s") % {"name": name}
    context = {
        "person": person,
        "about": name,  # None on one's own page
        "title": title,
        "cycles": cycles,
        "cycle": cycle,
        "outcomes": outcomes,
        "explanation": explain.explained(outcomes, name) if outcomes is not None else None,
    }
    return render(request, "pay/mine_outcomes.html", context)


@org_view(SEE_OWN_OUTCOMES)
@require_GET
def mine(request):
    """What each outcome band would mean for the viewer, with where they stand and the terms every figure uses."""
    return _page(request, person=request.employee)


@org_view()
@require_GET
def person_outcomes(request, employee_id):
    """The same page about someone else, titled from the reader's side; one's own id leads to one's own page."""
    person = get_or_404(people_selectors.people_detailed(organization=request.organization), employee_id)
    if person.pk == request.employee.pk:
        address = reverse("pay:mine", kwargs={"org_slug": request.organization.slug})
        cycle = request.GET.get("cycle")
        return redirect(f"{address}?{urlencode({'cycle': cycle})}" if cycle else address)
    if not can(request.employee, SEE_OUTCOMES_OF, person):
        raise PermissionDenied
    return _page(request, person=person, name=person.full_name)
