"""Conversations: a manager's grid of reports × moments, and one conversation (schedule, cancel, hold, agreements).

Who sees a conversation: HR, the person's manager and the person themselves;
anyone else gets 404, so nobody learns that another person's conversation
exists. Only the person's manager acts on it (403 for the others who may see it).
The schedule form works with htmx (the card is swapped) and without JavaScript
(POST, then a redirect).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organizations.permissions import HOLD_CONVERSATION, VIEW_CONVERSATION, VIEW_TEAM_GRID, can, is_hr_admin
from organizations.tenancy import org_view
from organizations.views import add_validation_errors

from . import selectors, services
from .forms_conversations import AgreementsForm, ScheduleForm
from .models import Conversation, ConversationState

OPEN_STATES = (ConversationState.TO_SCHEDULE, ConversationState.SCHEDULED)
TEMPLATE = "cycles/conversation_detail.html"


def get_conversation(request, conversation_id) -> Conversation:
    """The conversation, when the person may see it; 404 otherwise (also for a malformed or foreign id)."""
    try:
        conversation = selectors.conversation(organization=request.organization, conversation_id=conversation_id)
    except (Conversation.DoesNotExist, OverflowError, ValueError):
        raise Http404 from None
    if not can(request.employee, VIEW_CONVERSATION, conversation.employee):
        raise Http404
    return conversation


def get_holdable(request, conversation_id) -> Conversation:
    """The conversation, when the person is its manager (403 for others who may see it, 404 for the rest)."""
    conversation = get_conversation(request, conversation_id)
    if not can(request.employee, HOLD_CONVERSATION, conversation.employee):
        raise PermissionDenied
    return conversation


def detail_url(request, conversation) -> str:
    return reverse(
        "cycles:conversation_detail",
        kwargs={"org_slug": request.organization.slug, "conversation_id": conversation.pk},
    )


def detail_context(request, conversation, **forms) -> dict:
    viewer = request.employee
    is_hr = is_hr_admin(viewer)
    can_hold = can(viewer, HOLD_CONVERSATION, conversation.employee)
    is_open = conversation.state in OPEN_STATES
    context = {
        "conversation": conversation,
        "moment": conversation.moment,
        "person": conversation.employee,
        "can_hold": can_hold,
        "is_open": is_open,
        "show_employee_preparation": is_hr or viewer.pk == conversation.employee_id,
        "show_manager_preparation": is_hr or can_hold,
        "warnings": [],
    }
    if can_hold:
        context["schedule_form"] = ScheduleForm(initial=ScheduleForm.initial_for(conversation))
        context["agreements_form"] = AgreementsForm(initial={"agreements": conversation.agreements})
    context.update(forms)
    return context


def refused(request, conversation, form, error: ValidationError):
    """A refusal about a field goes back to the form; one about the conversation's state becomes a message."""
    conversation.refresh_from_db()
    if hasattr(error, "error_dict"):
        add_validation_errors(form, error)
        return None
    messages.error(request, " ".join(error.messages))
    return redirect(detail_url(request, conversation))


def card_or_page(request, conversation, status=200, **extra):
    """With htmx only the card; without, the whole page (a form with errors is re-rendered, status 200)."""
    context = detail_context(request, conversation, **extra)
    template = f"{TEMPLATE}#card" if request.htmx and not request.htmx.boosted else TEMPLATE
    return render(request, template, context, status=status)


@org_view(VIEW_TEAM_GRID)
@require_GET
def team_grid(request):
    grids = []
    for cycle in selectors.active_cycles(organization=request.organization):
        moments, rows = selectors.team_grid(manager=request.employee, cycle=cycle)
        grids.append({"cycle": cycle, "moments": moments, "rows": rows})
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
            warnings = services.conversation_schedule(conversation=conversation, **form.service_arguments())
        except ValidationError as error:
            # The service may have changed the instance before refusing; show what is stored.
            conversation.refresh_from_db()
            add_validation_errors(form, error)
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
        services.conversation_cancel(conversation=conversation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
            services.conversation_hold(conversation=conversation, **form.cleaned_data)
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
            services.conversation_agreements_save(conversation=conversation, **form.cleaned_data)
        except ValidationError as error:
            if response := refused(request, conversation, form, error):
                return response
        else:
            messages.success(request, _("The agreements have been saved."))
            return redirect(detail_url(request, conversation))
    return card_or_page(request, conversation, agreements_form=form)
