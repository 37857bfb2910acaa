"""The confirmation page of a step that cannot simply be undone (declining or withdrawing a request, removing the
top level of the scale or the top band): what will happen to whom, with counts, and a button that POSTs
``confirm=yes``. Reached by a GET or by the first POST of the page's own button, so it works without JavaScript;
a POST without the confirmation changes nothing.
"""

from django.shortcuts import render

from .models import Review, ReviewState

TEMPLATE = "reviews/step_confirm.html"


def confirmed(request) -> bool:
    """The POST carries the confirmation the page asks for."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def confirm_page(request, *, title, points, button, action, back, back_label, hidden=(), danger=True):
    """The page: ``points`` are the sentences saying what happens; ``hidden`` (name, value) pairs go with the POST."""
    context = {
        "title": title,
        "points": points,
        "button": button,
        "action": action,
        "back": back,
        "back_label": back_label,
        "hidden": list(hidden),
        "danger": danger,
    }
    return render(request, TEMPLATE, context)


def draft_reviews_in(*, cycle, band) -> int:
    """How many draft reviews of ``cycle`` have ``band`` as their outcome: those a removal moves down (one query)."""
    return Review.objects.filter(
        organization_id=cycle.organization_id, cycle=cycle, band=band, state=ReviewState.DRAFT
    ).count()
