"""HR's placements: who stands on which salary scale and step (or on a salary outside the scales), and who is
not placed yet; and one person's placement.

Making someone "not placed" removes figures they and HR read, so it asks first (core.confirm): the button on the
form leads to a page saying whose figures disappear, whose own button (``confirm=yes``) removes the placement.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.confirm import confirm_page, confirmed
from core.forms import errors_onto_form
from core.urls import get_or_404
from organizations.tenancy import org_view

from . import selectors_placements as selectors
from . import services_placements as services
from .forms_placements import NOT_PLACED, ON_SCALE, PlacementFilterForm, PlacementForm
from .models import SalaryScale
from .money import euro
from .rules import MANAGE_PAY

PER_PAGE = 50


def scales_page(organization) -> str:
    """The salary scales page (pay:scales), or "" while it does not exist."""
    try:
        return reverse("pay:scales", kwargs={"org_slug": organization.slug})
    except NoReverseMatch:
        return ""


def _list_address(request) -> str:
    return reverse("pay:placements", kwargs={"org_slug": request.organization.slug})


@org_view(MANAGE_PAY)
@require_GET
def placements(request):
    organization = request.organization
    scales = selectors.scales(organization=organization)
    form = PlacementFilterForm(request.GET or None, scales=scales)
    rows = selectors.placement_rows(organization=organization, **form.filters())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    amounts = selectors.amounts(organization=organization, on=timezone.localdate())
    people = []
    for person in page.object_list:
        placement = selectors.placement_of(person)
        people.append((person, placement, amounts.of(placement)))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "people": people,
        "querystring": params.urlencode(),
        "not_placed": selectors.not_placed_count(organization=organization),
        "has_table": amounts.table is not None,
        "scales_page": scales_page(organization),
    }
    template = "pay/placements_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _described(placement) -> str:
    if placement.on_scale:
        return _("%(scale)s, step %(step)d") % {"scale": placement.scale.name, "step": placement.step}
    return _("a salary outside the scales of %(amount)s a month") % {"amount": euro(placement.monthly_salary)}


def _remove_page(request, person, placement):
    """What "not placed" does (services_placements.placement_remove): whose figures disappear."""
    names = {"name": person.full_name, "placement": _described(placement)}
    points = [
        _("%(name)s is no longer placed: %(placement)s is removed.") % names,
        _(
            "What each outcome means for %(name)s in euros disappears from their page and from HR's figures until "
            "you place them again."
        )
        % names,
    ]
    return confirm_page(
        request,
        title=_("Remove the placement of %(name)s") % names,
        points=points,
        button=_("Remove the placement of %(name)s") % names,
        back=reverse("pay:placement_edit", kwargs={"org_slug": request.organization.slug, "employee_id": person.pk}),
        back_label=_("Back to the placement"),
    )


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def placement_edit(request, employee_id):
    organization = request.organization
    person = get_or_404(selectors.people(organization=organization), employee_id)
    placement = selectors.placement_of(person)
    names = {"name": person.full_name}
    if confirmed(request) and request.POST.get("kind", NOT_PLACED) == NOT_PLACED:
        if services.placement_remove(employee=person):
            messages.success(request, _("%(name)s is no longer placed.") % names)
        return redirect(_list_address(request))
    amounts = selectors.amounts(organization=organization, on=timezone.localdate())
    form = PlacementForm(
        request.POST if request.method == "POST" else None,
        scales_queryset=SalaryScale.objects.filter(organization=organization).order_by("position", "name"),
        steps=amounts.steps,
        initial=PlacementForm.initial_for(placement),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["kind"] == NOT_PLACED:
            if placement is None:
                messages.info(request, _("%(name)s is not placed; nothing has changed.") % names)
                return redirect(_list_address(request))
            return _remove_page(request, person, placement)
        on_scale = data["kind"] == ON_SCALE
        try:
            if on_scale:
                services.placement_save(
                    employee=person, on_scale=True, scale=data["scale"], step=data["step"], step_date=data["step_date"]
                )
            else:
                services.placement_save(employee=person, on_scale=False, monthly_salary=data["monthly_salary"])
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The placement of %(name)s has been saved.") % names)
            return redirect(_list_address(request))
    context = {
        "person": person,
        "placement": placement,
        "monthly": amounts.of(placement),
        "form": form,
        "has_table": amounts.table is not None,
        "scales_page": scales_page(organization),
    }
    return render(request, "pay/placements_edit.html", context)
