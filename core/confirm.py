"""The confirmation page of a step that cannot simply be undone: what will happen to whom, with counts, and a button.

Reached by a GET or by the first POST of the button on the object's own page (which sends no ``confirm``), so it
works without JavaScript; the step is taken only on a POST with ``confirm=yes``, and a crafted POST without it
changes nothing. The conversation steps (cycles.views_conversations) and reviews' steps (reviews.confirm_steps)
keep pages of their own; the steps of organizations and of the cycle calendar use this one.
"""

from django.shortcuts import render

TEMPLATE = "core/step_confirm.html"
NAMES_SHOWN = 20  # a confirmation names at most this many people, and says how many more


def confirmed(request) -> bool:
    """The POST carries the confirmation the page asks for."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def confirm_page(
    request, *, title, points, button, back, back_label, names=(), names_total=0, names_heading="", danger=True
):
    """The page. ``points`` are the sentences saying what happens; ``names`` at most NAMES_SHOWN people it concerns,
    of ``names_total`` (the page says how many more there are), under ``names_heading``."""
    names = list(names)[:NAMES_SHOWN]
    context = {
        "title": title,
        "points": points,
        "button": button,
        "back": back,
        "back_label": back_label,
        "names": names,
        "names_heading": names_heading,
        "more": max(names_total - len(names), 0),
        "danger": danger,
    }
    return render(request, TEMPLATE, context)
