"""HR's budget of a cycle: what the proposed outcomes cost, in total and per team, against the budgets HR enters.

The page only reads the reviews (pay.selectors_budget); its one write is a budget, the total on the page itself
and a team's on a page of its own (pay.services_budget). A refused amount shows at the field with status 200 and
saves nothing; a saved one redirects back to the budget with a message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import errors_onto_form
from core.urls import get_or_404
from cycles.models import Cycle
from organizations.models import Team
from organizations.tenancy import org_view

from . import selectors_budget as selectors
from . import services_budget as services
from .forms_budget import BudgetForm
from .rules import MANAGE_PAY


def _cycle(request, cycle_id) -> Cycle:
    return get_or_404(Cycle.objects.filter(organization=request.organization), cycle_id)


def budget_url(request, cycle) -> str:
    return reverse("pay:budget", kwargs={"org_slug": request.organization.slug, "cycle_id": cycle.pk})


def _save(request, form, *, cycle, team=None) -> bool:
    """Save the budget the valid ``form`` holds, saying so; False (with the refusal on the form) when refused."""
    try:
        saved = services.budget_set(cycle=cycle, team=team, amount=form.cleaned_data["amount"])
    except ValidationError as error:
        errors_onto_form(form, error)
        return False
    if saved is None:
        messages.success(request, _("The budget has been removed."))
    else:
        messages.success(request, _("The budget has been saved."))
    return True


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def budget(request, cycle_id):
    """The cost of the cycle's proposed outcomes against the budget: the total, then a page of the teams.

    POST sets the total budget.
    """
    cycle = _cycle(request, cycle_id)
    form = None
    if request.method == "POST":
        form = BudgetForm(request.POST)
        if form.is_valid() and _save(request, form, cycle=cycle):
            return redirect(budget_url(request, cycle))
    summary = selectors.budget_of(cycle=cycle)
    context = {
        "cycle": cycle,
        "budget": summary,
        "total": summary.total,
        "page": summary.team_page(request.GET.get("page")),
        "form": form or BudgetForm(budget=summary.total.budget),
    }
    return render(request, "pay/budget_page.html", context)


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def team_budget(request, cycle_id, team_id):
    """One team's budget for the cycle, beside what its proposed outcomes cost; empty removes it."""
    cycle = _cycle(request, cycle_id)
    team = get_or_404(Team.objects.filter(organization=request.organization), team_id)
    form = None
    if request.method == "POST":
        form = BudgetForm(request.POST)
        if form.is_valid() and _save(request, form, cycle=cycle, team=team):
            return redirect(budget_url(request, cycle))
    costs = selectors.team_budget(cycle=cycle, team_id=team.pk)
    context = {
        "cycle": cycle,
        "team": team,
        "costs": costs,
        "form": form or BudgetForm(budget=costs.budget),
        "back": budget_url(request, cycle),
    }
    return render(request, "pay/budget_team.html", context)
