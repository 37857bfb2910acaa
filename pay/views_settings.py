"""HR's pay overview (the app's root) and the organisation's pay settings.

The overview links to pages other parts of pay provide (salary scales, placements, each cycle's budget and
export). Each link is reversed here and left out while its page does not exist, so this page never breaks on a
missing address.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import errors_onto_form
from organizations.tenancy import org_view

from . import selectors_table, services_settings
from .forms_settings import PaySettingsForm
from .rules import MANAGE_PAY
from .standing import settings_for

# (label, URL name): the organisation's pages of pay, and each cycle's (with ``cycle_id``).
ORGANIZATION_LINKS = (
    (gettext_lazy("Salary scales"), "pay:scales"),
    (gettext_lazy("Placements"), "pay:placements"),
)
CYCLE_LINKS = (
    (gettext_lazy("Pay table"), "pay:pay_table"),
    (gettext_lazy("Budget"), "pay:budget"),
    (gettext_lazy("Export"), "pay:export"),
)


def _links(links, **kwargs) -> list[tuple[str, str]]:
    """``(label, address)`` of each of ``links`` whose page exists (a part of pay not there yet is left out)."""
    found = []
    for label, name in links:
        try:
            found.append((label, reverse(name, kwargs=kwargs)))
        except NoReverseMatch:
            continue
    return found


def effective_day_text(settings) -> str:
    """The day and month consequences take effect, as the reader's language writes it ("1 January")."""
    return formats.date_format(
        datetime.date(2025, settings.effective_month, settings.effective_day), "MONTH_DAY_FORMAT"
    )


@org_view(MANAGE_PAY)
@require_GET
def index(request):
    """HR's pay overview: the settings in a sentence each, links to scales and placements, and every cycle with the
    state of its pay table. A fixed number of queries, however many cycles."""
    organization = request.organization
    slug = organization.slug
    cycles = selectors_table.cycles_overview(organization=organization)
    for row in cycles:
        row.links = _links(CYCLE_LINKS, org_slug=slug, cycle_id=row.cycle.pk)
    terms = settings_for(organization_id=organization.pk)
    context = {
        "settings": terms,
        "effective_day": effective_day_text(terms),
        "organization_links": _links(ORGANIZATION_LINKS, org_slug=slug),
        "cycles": cycles,
    }
    return render(request, "pay/index.html", context)


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def settings(request):
    """The organisation's pay settings: GET shows them, POST saves them (nothing saved on a refusal)."""
    organization = request.organization
    current = settings_for(organization_id=organization.pk)
    data = request.POST if request.method == "POST" else None
    form = PaySettingsForm(data, initial=PaySettingsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services_settings.pay_settings_save(organization=organization, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The pay settings have been saved."))
            return redirect("pay:index", org_slug=organization.slug)
    return render(request, "pay/settings_form.html", {"form": form, "settings": current})
