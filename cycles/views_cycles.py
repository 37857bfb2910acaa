"""HR's cycle pages: the list, a cycle with its moments, activation (and newcomers), moving windows, progress.

Thin views: a form parses the input, one service writes (its ValidationError
comes back as field errors or a message, never a 500), selectors read. Every
page is HR's (cycles.rules.MANAGE_CYCLES); what may change in the cycle's
status, the services refuse and the templates ask cycles.rules, so a button
shows exactly when its POST is accepted.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import errors_as_messages, errors_onto_form
from core.urls import get_or_404
from organizations.tenancy import org_view

from . import selectors, services
from .extensions import cycle_links
from .forms_cycles import CycleForm, MomentForm, MomentMoveForm
from .models import Cycle, CycleStatus, Moment
from .rules import MANAGE_CYCLES


def get_cycle(request, cycle_id) -> Cycle:
    return get_or_404(selectors.cycles_detailed(organization=request.organization), cycle_id)


def get_moment(request, moment_id) -> Moment:
    return get_or_404(selectors.moments_detailed(organization=request.organization), moment_id)


@org_view(MANAGE_CYCLES)
@require_GET
def cycle_list(request):
    return render(request, "cycles/cycle_list.html", {"cycles": selectors.cycles(organization=request.organization)})


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def cycle_create(request):
    form = CycleForm(request.POST if request.method == "POST" else None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(organization=request.organization, **form.service_arguments())
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("Cycle %(name)s has been created.") % {"name": cycle.name})
            return redirect(cycle)
    return render(request, "cycles/cycle_form.html", {"form": form, "cycle": None})


@org_view(MANAGE_CYCLES)
@require_GET
def cycle_detail(request, cycle_id):
    cycle = get_cycle(request, cycle_id)
    context = {
        "cycle": cycle,
        "moments": list(cycle.moments.all()),
        "teams": list(cycle.teams.all()),
        "changes": list(selectors.moment_changes(cycle=cycle)),
        "newcomers": services.newcomers(cycle=cycle),
        "extra_links": cycle_links(cycle),  # added by higher apps (cycles.extensions)
    }
    return render(request, "cycles/cycle_detail.html", context)


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def cycle_edit(request, cycle_id):
    cycle = get_cycle(request, cycle_id)
    data = request.POST if request.method == "POST" else None
    form = CycleForm(data, organization=request.organization, with_template=False, initial=CycleForm.initial_for(cycle))
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(cycle=cycle, **form.service_arguments())
        except ValidationError as error:
            errors_onto_form(form, error)
            cycle = get_cycle(request, cycle_id)
        else:
            messages.success(request, _("The changes to %(name)s have been saved.") % {"name": cycle.name})
            return redirect(cycle)
    return render(request, "cycles/cycle_form.html", {"form": form, "cycle": cycle})


@org_view(MANAGE_CYCLES)
@require_POST
def cycle_activate(request, cycle_id):
    """Activate a cycle being prepared, or (on an active one) add the newcomers' conversations."""
    cycle = get_cycle(request, cycle_id)
    was_active = cycle.status == CycleStatus.ACTIVE
    try:
        created = services.cycle_activate(cycle=cycle)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        count = ngettext("%(count)d conversation was created.", "%(count)d conversations were created.", created) % {
            "count": created
        }
        if was_active:
            messages.success(request, _("Newcomers added: %(count)s") % {"count": count})
        else:
            messages.success(request, _("The cycle is active. %(count)s") % {"count": count})
    return redirect(cycle)


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def moment_create(request, cycle_id):
    cycle = get_cycle(request, cycle_id)
    form = MomentForm(request.POST if request.method == "POST" else None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.moment_save(cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The moment has been added."))
            return redirect(cycle)
    return render(request, "cycles/moment_form.html", {"form": form, "cycle": cycle, "moment": None})


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def moment_edit(request, moment_id):
    moment = get_moment(request, moment_id)
    cycle = moment.cycle
    data = request.POST if request.method == "POST" else None
    form = MomentForm(data, organization=request.organization, initial=MomentForm.initial_for(moment))
    if request.method == "POST" and form.is_valid():
        try:
            services.moment_save(cycle=cycle, moment=moment, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
            moment = get_moment(request, moment_id)  # the service may have set fields before refusing
        else:
            messages.success(request, _("The moment has been saved."))
            return redirect(cycle)
    return render(request, "cycles/moment_form.html", {"form": form, "cycle": cycle, "moment": moment})


@org_view(MANAGE_CYCLES)
@require_POST
def moment_delete(request, moment_id):
    moment = get_moment(request, moment_id)
    try:
        services.moment_delete(moment=moment)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("The moment %(name)s has been removed.") % {"name": moment.local_name})
    return redirect(moment.cycle)


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def moment_move(request, moment_id):
    moment = get_moment(request, moment_id)
    cycle = moment.cycle
    data = request.POST if request.method == "POST" else None
    form = MomentMoveForm(data, initial={"opens_on": moment.opens_on, "closes_on": moment.closes_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.moment_move(moment=moment, actor=request.employee, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
            moment = get_moment(request, moment_id)
        else:
            messages.success(request, _("The window has been moved; the change is recorded."))
            return redirect(cycle)
    return render(request, "cycles/moment_move.html", {"form": form, "cycle": cycle, "moment": moment})


@org_view(MANAGE_CYCLES)
@require_GET
def cycle_progress(request, cycle_id):
    cycle = get_cycle(request, cycle_id)
    context = {
        "cycle": cycle,
        "progress": selectors.cycle_progress(cycle=cycle),
        "overdue": list(selectors.overdue(cycle=cycle)),
    }
    return render(request, "cycles/cycle_progress.html", context)
