"""Conversations: a manager's grid of reports × moments, and one conversation (schedule, cancel, hold, agreements).

Who sees a conversation: HR, the person's manager and the person themselves;
anyone else gets 404, so nobody learns that another person's conversation
exists. Only the person's manager acts on it (403 for the others who may see it);
what they may do in its state the service decides, reading the same sets as
cycles.rules, whose rules the template asks to offer exactly those actions. The
schedule form works with htmx (the card is swapped) and without JavaScript
(POST, then a redirect).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import errors_as_messages, errors_onto_form, is_about_fields
from core.urls import get_or_404
from organizations.permissions import can
from organizations.tenancy import org_view

from . import extensions, selectors, services
from .forms_conversations import AgreementsForm, ScheduleForm
from .models import Conversation
from .rules import ACT_ON_CONVERSATION, SEE_CONVERSATION, VIEW_TEAM_CONVERSATIONS

TEMPLATE = "cycles/conversation_detail.html"


def get_conversation(request, conversation_id) -> Conversation:
    """The conversation, when the person may see it; 404 otherwise (also for a malformed or foreign id)."""
    conversation = get_or_404(selectors.conversations_detailed(organization=request.organization), conversation_id)
    if not can(request.employee, SEE_CONVERSATION, conversation):
        raise Http404
    return conversation


def get_holdable(request, conversation_id) -> Conversation:
    """The conversation, when the person is its manager (403 for others who may see it, 404 for the rest)."""
    conversation = get_conversation(request, conversation_id)
    if not can(request.employee, ACT_ON_CONVERSATION, conversation):
        raise PermissionDenied
    return conversation


def detail_url(request, conversation) -> str:
    return reverse(
        "cycles:conversation_detail",
        kwargs={"org_slug": request.organization.slug, "conversation_id": conversation.pk},
    )


def detail_context(request, conversation, **forms) -> dict:
    """The page; which preparation notes and actions it shows, the template asks cycles.rules itself.

    ``panels`` are the sections higher apps add (cycles.extensions), worked out only if the template shows them.
    """
    context = {
        "conversation": conversation,
        "moment": conversation.moment,
        "person": conversation.employee,
        "warnings": [],
        "panels": extensions.Panels(request, conversation),
    }
    if can(request.employee, ACT_ON_CONVERSATION, conversation):
        context["schedule_form"] = ScheduleForm(initial=ScheduleForm.initial_for(conversation))
        context["agreements_form"] = AgreementsForm(initial={"agreements": conversation.agreements})
    context.update(forms)
    return context


def refused(request, conversation, form, error: ValidationError):
    """A refusal about a field goes back to the form; one about the conversation's state becomes a message."""
    conversation.refresh_from_db()
    if is_about_fields(error):
        errors_onto_form(form, error)
        return None
    errors_as_messages(request, error)
    return redirect(detail_url(request, conversation))


def card_or_page(request, conversation, status=200, **extra):
    """With htmx only the card; without, the whole page (a form with errors is re-rendered, status 200)."""
    context = detail_context(request, conversation, **extra)
    template = f"{TEMPLATE}#card" if request.htmx and not request.htmx.boosted else TEMPLATE
    return render(request, template, context, status=status)


@org_view(VIEW_TEAM_CONVERSATIONS)
@require_GET
def team_grid(request):
    grids = []
    for cycle in selectors.active_cycles(organization=request.organization):
        moments, rows = selectors.team_grid(manager=request.employee, cycle=cycle)
        # What higher apps add below the table (reviews: evidence coverage), for all reports at once.
        reports = [row.employee for row in rows]
        sections = extensions.grid_sections(request, manager=request.employee, cycle=cycle, reports=reports)
        grids.append({"cycle": cycle, "moments": moments, "rows": rows, "sections": sections})
    return render(request, "cycles/team_grid.html", {"grids": grids, "has_reports": any(g["rows"] for g in grids)})


@org_view()
@require_GET
def conversation_detail(request, conversation_id):
    conversation = get_conversation(request, conversation_id)
    return render(request, TEMPLATE, detail_context(request, conversation))


@org_view()
@require_POST
def conversation_schedule(request, conversation_id):
    conversation = get_holdable(request, conversation_id)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            warnings = services.conversation_schedule(
                conversation=conversation, actor=request.employee, **form.service_arguments()
            )
        except ValidationError as error:
            # The service may have changed the instance before refusing; show what is stored.
            conversation.refresh_from_db()
            errors_onto_form(form, error)
        else:
            if request.htmx and not request.htmx.boosted:
                return card_or_page(
                    request,
                    conversation,
                    warnings=warnings,
                    scheduled=True,
                    schedule_form=ScheduleForm(initial=ScheduleForm.initial_for(conversation)),
                )
            messages.success(request, _("The conversation has been scheduled."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect(detail_url(request, conversation))
    return card_or_page(request, conversation, schedule_form=form)


@org_view()
@require_POST
def conversation_cancel(request, conversation_id):
    conversation = get_holdable(request, conversation_id)
    try:
        services.conversation_cancel(conversation=conversation, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("The conversation has been cancelled."))
    return redirect(detail_url(request, conversation))


@org_view()
@require_POST
def conversation_hold(request, conversation_id):
    conversation = get_holdable(request, conversation_id)
    form = AgreementsForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_hold(conversation=conversation, actor=request.employee, **form.cleaned_data)
        except ValidationError as error:
            if response := refused(request, conversation, form, error):
                return response
        else:
            messages.success(request, _("The conversation has been marked as held."))
            return redirect(detail_url(request, conversation))
    return card_or_page(request, conversation, agreements_form=form)


@org_view()
@require_POST
def conversation_agreements(request, conversation_id):
    conversation = get_holdable(request, conversation_id)
    form = AgreementsForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_agreements_save(
                conversation=conversation, actor=request.employee, **form.cleaned_data
            )
        except ValidationError as error:
            if response := refused(request, conversation, form, error):
                return response
        else:
            messages.success(request, _("The agreements have been saved."))
            return redirect(detail_url(request, conversation))
    return card_or_page(request, conversation, agreements_form=form)
