""" "Your reviews" (every member: their shared reviews, every cycle) and a manager's reviews by what is left to do.

Both only read, through reviews.selectors_mine, in a fixed number of queries. Each page lists only the
viewer's own rows, so there is no object to refuse: the door answers a non-member 404 and, for the team's
list, a member who is no manager nor HR 403 (reviews.rules_mine).
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from organizations.tenancy import org_view

from . import selectors_mine as selectors
from .rules_mine import SEE_TEAM_REVIEWS


@org_view()
@require_GET
def my_reviews(request):
    """Every review of the viewer that has been shared with them, newest first, with its state and outcome."""
    context = {"page": selectors.my_reviews(employee=request.employee, page=request.GET.get("page"))}
    return render(request, "reviews/my_reviews.html", context)


@org_view(SEE_TEAM_REVIEWS)
@require_GET
def team_reviews(request):
    """The reviews the viewer writes: to write, to sign, waiting for the employee, and (paged) done."""
    context = selectors.team_reviews(manager=request.employee, page=request.GET.get("page"))
    return render(request, "reviews/team_reviews.html", context)
