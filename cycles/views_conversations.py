"""Conversations: a manager's grid of reports × moments, and one conversation (schedule, cancel, restore, hold,
agreements).

Who sees a conversation: HR, the person's manager and the person themselves;
anyone else gets 404, so nobody learns that another person's conversation
exists. Only the person's manager acts on it (403 for the others who may see it);
what they may do in its state the service decides, reading the same sets as
cycles.rules, whose rules the template asks to offer exactly those actions. The
schedule form works with htmx (the card is swapped) and without JavaScript
(POST, then a redirect). The steps that cannot simply be undone (cancel, mark held) and the undo (restore) ask
first, on a page of their own.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.forms import errors_as_messages, errors_onto_form, is_about_fields
from core.urls import get_or_404
from organizations.permissions import can
from organizations.tenancy import org_view

from . import extensions, selectors, selectors_year, services
from .forms_conversations import AgreementsForm, HoldForm, ScheduleForm
from .models import Conversation, ConversationState, Cycle
from .rules import (
    ACT_ON_CONVERSATION,
    CANCEL_CONVERSATION,
    MARK_HELD,
    RESTORE_CONVERSATION,
    SEE_CONVERSATION,
    VIEW_TEAM_CONVERSATIONS,
    too_early,
    unscheduled,
    window_not_closed,
)

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
        if too_early(conversation):
            context["hold_waits"] = services.hold_refusal(conversation)
        context["hold_asks_time"] = unscheduled(conversation)
        context["schedule_form"] = ScheduleForm(
            initial=ScheduleForm.initial_for(conversation), conversation=conversation
        )
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
    """The manager's reports × the moments of one cycle: the current one, or ``?cycle=<id>``, another cycle their
    reports have conversations in (anything else is 404). Each cell comes ready to print (cycles.selectors_year)."""
    manager = request.employee
    reports = selectors_year.reports_of(manager=manager)
    cycles = selectors_year.cycles_of_team(manager=manager, reports=reports)
    try:
        cycle = selectors_year.chosen_cycle(cycles, request.GET.get("cycle"))
    except Cycle.DoesNotExist:
        raise Http404 from None
    grids = []
    if cycle is not None:
        columns, rows = selectors_year.team_grid(cycle=cycle, reports=reports, org_slug=request.organization.slug)
        # What higher apps add below the table (reviews: evidence coverage), for all reports at once.
        sections = extensions.grid_sections(request, manager=manager, cycle=cycle, reports=reports)
        grids.append({"cycle": cycle, "moments": columns, "rows": rows, "sections": sections})
    context = {"grids": grids, "has_reports": bool(reports), "cycle_links": selectors_year.cycle_links(cycles, cycle)}
    return render(request, "cycles/team_grid.html", context)


@org_view()
@require_GET
def conversation_detail(request, conversation_id):
    conversation = get_conversation(request, conversation_id)
    return render(request, TEMPLATE, detail_context(request, conversation))


@org_view()
@require_POST
def conversation_schedule(request, conversation_id):
    conversation = get_holdable(request, conversation_id)
    form = ScheduleForm(request.POST, conversation=conversation)
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
            messages.success(request, _("The conversation has been scheduled."))
            for warning in warnings:
                messages.warning(request, warning)
            if request.htmx and not request.htmx.boosted:
                # A new date changes more than the card (the page's heading, whether it may be marked held): the
                # whole page loads again, with the messages.
                return HttpResponseClientRedirect(detail_url(request, conversation))
            return redirect(detail_url(request, conversation))
    return card_or_page(request, conversation, schedule_form=form)


# --- the steps that ask first ---------------------------------------------------------------------------------
#
# Cancelling, restoring and marking held each show a page saying what will happen to whom (a GET, or a first POST
# from the conversation page's form), and act only on a POST with ``confirm=yes``: without JavaScript, and a
# crafted POST without the confirmation changes nothing.


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def confirm_page(request, conversation, *, step: str, title: str, points: list[str], button: str, form=None):
    """The confirmation page of ``step``: its consequences, those the higher apps add, and the button."""
    context = {
        "conversation": conversation,
        "moment": conversation.moment,
        "person": conversation.employee,
        "title": title,
        "points": [*points, *extensions.step_notes(conversation, step)],
        "button": button,
        "danger": step == "cancel",
        "form": form,
        "back": detail_url(request, conversation),
    }
    return render(request, "cycles/conversation_confirm.html", context)


def not_now(request, conversation, message: str):
    """The step is not possible in the conversation's present state: say so on its page."""
    messages.error(request, message)
    return redirect(detail_url(request, conversation))


def describe(conversation) -> dict:
    names = {"moment": conversation.moment.local_name, "name": conversation.employee.full_name}
    if conversation.scheduled_at is not None:
        names["date"] = services.local_moment(conversation.scheduled_at, conversation.organization.zone)
    return names


@org_view()
@require_http_methods(["GET", "POST"])
def conversation_cancel(request, conversation_id):
    """Cancel the conversation, after a page saying what that does and until when it can be restored."""
    conversation = get_holdable(request, conversation_id)
    if not confirmed(request):
        if not can(request.employee, CANCEL_CONVERSATION, conversation):
            return not_now(request, conversation, _("This conversation changed in the meantime; look again."))
        names = describe(conversation)
        to_come = conversation.scheduled_at is not None and conversation.scheduled_at > timezone.now()
        if conversation.state == ConversationState.SCHEDULED and "date" in names and to_come:
            what = _("“%(moment)s” with %(name)s on %(date)s will be cancelled and disappears from both calendars.")
        else:
            what = _("“%(moment)s” with %(name)s will be cancelled.")
        restorable = window_not_closed(conversation.moment)
        if restorable:
            stops = _("Its reminders stop; while it is cancelled, it cannot be scheduled or marked held.")
        else:
            stops = _("Its reminders stop, and it can no longer be scheduled or marked held.")
        points = [what % names, stops]
        until = {"date": date_format(services.restorable_until(conversation), "DATE_FORMAT")}
        if restorable:
            # Restoring brings the date back only while it is still to come (services.conversation_restore).
            if to_come:
                points.append(
                    _(
                        "You can restore it until %(date)s, the day its window closes; restored before %(when)s, "
                        "it keeps that date and time."
                    )
                    % {**until, "when": names["date"]}
                )
            else:
                points.append(_("You can restore it until %(date)s, the day its window closes.") % until)
        else:
            points.append(_("Its window has closed, so this cannot be undone."))
        return confirm_page(
            request,
            conversation,
            step="cancel",
            title=_("Cancel the conversation with %(name)s") % names,
            points=points,
            button=_("Cancel the conversation"),
        )
    try:
        services.conversation_cancel(conversation=conversation, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("The conversation has been cancelled."))
    return redirect(detail_url(request, conversation))


@org_view()
@require_http_methods(["GET", "POST"])
def conversation_restore(request, conversation_id):
    """Restore a cancelled conversation while its moment's window has not closed, after a page saying so."""
    conversation = get_holdable(request, conversation_id)
    if not confirmed(request):
        if not can(request.employee, RESTORE_CONVERSATION, conversation):
            return not_now(request, conversation, _("This conversation cannot be restored now; here it is as it is."))
        names = describe(conversation)
        if conversation.scheduled_at is not None and conversation.scheduled_at > timezone.now():
            what = _(
                "“%(moment)s” with %(name)s is scheduled again for %(date)s and comes back in both calendars; its "
                "reminders start again."
            )
        else:
            what = _("“%(moment)s” with %(name)s is to be scheduled again; its reminders start again.")
        return confirm_page(
            request,
            conversation,
            step="restore",
            title=_("Restore the conversation with %(name)s") % names,
            points=[what % names],
            button=_("Restore the conversation"),
        )
    try:
        services.conversation_restore(conversation=conversation, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("The conversation has been restored."))
    return redirect(detail_url(request, conversation))


def hold_page(request, conversation, form):
    names = describe(conversation)
    points = [
        _("“%(moment)s” with %(name)s is recorded as held, with the agreements below, which you both see.") % names,
        _("This cannot be undone: what was kept for the conversation is released, and its review can be signed.")
        if conversation.moment.produces_rating
        else _("This cannot be undone: what was kept for the conversation is released."),
    ]
    if "date" in form.fields:
        points.insert(
            1,
            _(
                "It was never scheduled: enter below when it took place, from %(date)s (when cycle %(cycle)s "
                "started) until now. That becomes its date and time."
            )
            % {
                "date": date_format(conversation.moment.cycle.starts_on, "DATE_FORMAT"),
                "cycle": conversation.moment.cycle.name,
            },
        )
    return confirm_page(
        request,
        conversation,
        step="hold",
        title=_("Mark the conversation with %(name)s as held") % names,
        points=points,
        button=_("Mark as held"),
        form=form,
    )


def hold_form(request, conversation) -> HoldForm:
    """Bound only to the confirmed POST. The first POST (the button on the conversation page) brings its agreements
    as the starting values, so the page that asks when an unscheduled conversation took place does not open with
    "This field is required"."""
    asks_time = unscheduled(conversation)
    if confirmed(request):
        return HoldForm(request.POST, conversation=conversation, asks_time=asks_time)
    initial = {"agreements": request.POST.get("agreements", conversation.agreements)}
    return HoldForm(initial=initial, conversation=conversation, asks_time=asks_time)


@org_view()
@require_http_methods(["GET", "POST"])
def conversation_hold(request, conversation_id):
    """Mark the conversation held with its agreements, after a page saying that this cannot be undone; one that was
    never scheduled, with the time it took place (asked on that page, stored with it)."""
    conversation = get_holdable(request, conversation_id)
    form = hold_form(request, conversation)
    if not confirmed(request) or not form.is_valid():
        if too_early(conversation):
            return not_now(request, conversation, services.hold_refusal(conversation))
        if not can(request.employee, MARK_HELD, conversation):
            return not_now(request, conversation, _("This conversation changed in the meantime; look again."))
        return hold_page(request, conversation, form)
    try:
        services.conversation_hold(conversation=conversation, actor=request.employee, **form.service_arguments())
    except ValidationError as error:
        if response := refused(request, conversation, form, error):
            return response
        return hold_page(request, conversation, form)
    messages.success(request, _("The conversation has been marked as held."))
    return redirect(detail_url(request, conversation))


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
