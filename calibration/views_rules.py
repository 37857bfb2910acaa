"""The rules here: every member reads the rules that bind every manager, for the current cycle."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from organizations.tenancy import org_view

from . import selectors_rules
from .rules import READ_THE_RULES


@org_view(READ_THE_RULES)
@require_GET
def rules_here(request):
    """The calendar, the cap and what does not count, the scale, the outcome rule, the pay table, deviations and
    calibration; once the cycle is closed, the organisation's finalised outcomes (from 5 people on)."""
    context = {
        "rules": selectors_rules.rules_here(organization=request.organization),
        "fewest_shown": selectors_rules.FEWEST_SHOWN,
    }
    return render(request, "calibration/rules_page.html", context)
