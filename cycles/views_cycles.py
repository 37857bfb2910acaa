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
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.confirm import confirm_page, confirmed
from core.forms import errors_as_messages, errors_onto_form
from core.urls import get_or_404
from organizations.permissions import can
from organizations.tenancy import org_view

from . import newcomers, previews, selectors, services
from .extensions import cycle_links
from .forms_cycles import CycleForm, MomentForm, MomentMoveForm
from .models import Cycle, CycleStatus, Moment
from .plan_requests import planning_waits
from .rules import ACTIVATE_CYCLE, CHANGE_MOMENTS, MANAGE_CYCLES


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
        "newcomer_offer": newcomers.cycle_offer(cycle=cycle),  # who they are, what adding them creates (or why not)
        "extra_links": cycle_links(cycle),  # added by higher apps (cycles.extensions)
        "planning": planning_waits(cycle=cycle),  # reminders a worker has yet to plan (after an activation, say)
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
@require_http_methods(["GET", "POST"])
def cycle_activate(request, cycle_id):
    """Activate a cycle being prepared, after a page saying how many conversations that creates for whom.

    On an active cycle (an old link, a second tab) it sends HR to the newcomers step (views_newcomers), which
    skips the moments whose window has closed, instead of creating conversations that are overdue at once."""
    cycle = get_cycle(request, cycle_id)
    if cycle.status == CycleStatus.ACTIVE:
        return redirect("cycles:newcomers_add", org_slug=request.organization.slug, cycle_id=cycle.pk)
    if not confirmed(request):
        return activation_page(request, cycle)
    try:
        created = services.cycle_activate(cycle=cycle)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        count = ngettext("%(count)d conversation was created.", "%(count)d conversations were created.", created) % {
            "count": created
        }
        messages.success(request, _("The cycle is active. %(count)s") % {"count": count})
    return redirect(cycle)


def activation_page(request, cycle):
    """The confirmation of cycle_activate, or back to the cycle with the reason there is nothing to confirm.

    The refusals repeat services.cycle_activate's words (the same msgids), so the first click already says them.
    """
    if not can(request.employee, ACTIVATE_CYCLE, cycle):
        return back_with(request, cycle, _("This cycle is closed."))
    preview = previews.activation(cycle=cycle)
    if not preview.moments:
        return back_with(request, cycle, _("This cycle has no moments yet; add at least one before activating it."))
    if not preview.in_scope:
        return back_with(request, cycle, _("Nobody is in this cycle's scope; add people or teams first."))
    if not preview.conversations:
        return back_with(request, cycle, _("Everyone in this cycle's scope already has their conversations."))
    if other := services.overlapping_cycle(cycle=cycle):
        return back_with(request, cycle, services.overlap_refusal(other))
    names = {"name": cycle.name, "count": preview.conversations}
    names["people"] = ngettext("%(count)d person", "%(count)d people", preview.people) % {"count": preview.people}
    points = [
        ngettext(
            "This creates %(count)d conversation for %(people)s.",
            "This creates %(count)d conversations for %(people)s.",
            preview.conversations,
        )
        % names,
        ngettext(
            "The cycle has %(count)d moment: everyone in its scope gets one conversation for it.",
            "The cycle has %(count)d moments: everyone in its scope gets one conversation for each.",
            preview.moments,
        )
        % {"count": preview.moments},
    ]
    if preview.closed_windows:
        points.append(
            ngettext(
                "%(count)d moment's window has closed already: its new conversations are overdue at once.",
                "%(count)d moments' windows have closed already: their new conversations are overdue at once.",
                preview.closed_windows,
            )
            % {"count": preview.closed_windows}
        )
    if preview.rules:
        points.append(
            ngettext(
                "Reminders are planned by the cycle's %(count)d reminder rule.",
                "Reminders are planned by the cycle's %(count)d reminder rules.",
                preview.rules,
            )
            % {"count": preview.rules}
        )
    else:
        points.append(_("The cycle has no reminder rules switched on, so no reminders are planned."))
    points.append(
        _(
            "The calendar is then fixed: the cycle's dates and moments can no longer be changed, only a moment's "
            "window moved, with a reason. An active cycle cannot go back to being prepared."
        )
    )
    return confirm_page(
        request,
        title=_("Activate cycle %(name)s") % names,
        points=points,
        button=_("Activate the cycle"),
        back=cycle.get_absolute_url(),
        back_label=_("Back to the cycle"),
        danger=False,
    )


def back_with(request, cycle, message: str):
    messages.error(request, message)
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
@require_http_methods(["GET", "POST"])
def moment_delete(request, moment_id):
    """Remove a moment from a cycle being prepared, after a page saying what goes with it: the cycle page's
    "Remove" button posts without ``confirm`` and lands there; only the page's own POST removes."""
    moment = get_moment(request, moment_id)
    if not confirmed(request):
        return moment_delete_page(request, moment)
    try:
        services.moment_delete(moment=moment)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("The moment %(name)s has been removed.") % {"name": moment.local_name})
    return redirect(moment.cycle)


def moment_delete_page(request, moment):
    """The confirmation of moment_delete, or back to the cycle with services.moment_delete's refusal (the same
    msgid), so the first click already says it."""
    cycle = moment.cycle
    if not can(request.employee, CHANGE_MOMENTS, cycle):
        return back_with(request, cycle, _("An active cycle's moments cannot be removed."))
    what = {
        "name": moment.local_name,
        "cycle": cycle.name,
        "opens": date_format(moment.opens_on, "DATE_FORMAT"),
        "closes": date_format(moment.closes_on, "DATE_FORMAT"),
    }
    points = [
        _("The moment %(name)s (window %(opens)s – %(closes)s) is removed from cycle %(cycle)s.") % what,
        _("Its purpose and the preparation texts for employee and manager, in Dutch and English, go with it."),
    ]
    if moment.reflection_questions_nl.strip() or moment.reflection_questions_en.strip():
        points.append(_("Its self-reflection questions go with it too."))
    points.append(_("This cannot be undone: to have the moment again, add it anew."))
    return confirm_page(
        request,
        title=_("Remove the moment %(name)s") % what,
        points=points,
        button=_("Remove the moment"),
        back=cycle.get_absolute_url(),
        back_label=_("Back to the cycle"),
    )


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
    today = timezone.localdate()
    window = "closed" if moment.closes_on < today else "open" if moment.opens_on <= today else "coming"
    context = {"form": form, "cycle": cycle, "moment": moment, "window": window}
    return render(request, "cycles/moment_move.html", context)
