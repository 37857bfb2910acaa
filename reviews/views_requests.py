"""Observation requests: asking a colleague, the colleague's list and answer, declining, withdrawing.

Thin views: a form parses, one service writes (reviews.services_requests) and its ValidationError
comes back at the fields, never a 500; selectors read (reviews.selectors_requests); who may do what is
reviews.rules_requests. A person one may not ask about, and a request one may not see, answer 404; a request one
sees but may not answer or withdraw, 403. Everything works without JavaScript (the colleague search is a GET
with ``?q=``, each action a POST and a redirect with a message; declining and withdrawing ask first, on a page of
their own, reviews.confirm_steps); htmx swaps the search results in as people type.

The answer page shows the colleague the request and the expectation's published wording, and nothing else
about the person: no observations, no reviews, no links to them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import errors_onto_form, is_about_fields
from core.urls import get_or_404
from expectations.selectors import applicable_expectations
from organizations.permissions import can
from organizations.tenancy import org_view

from . import selectors_requests as selectors
from . import services_requests as services
from .confirm_steps import confirm_page, confirmed
from .forms_observations import coach_findings
from .forms_requests import AnswerForm, RequestForm
from .rules_requests import ANSWER_REQUEST, ASK_FOR_OBSERVATION, SEE_REQUEST, WITHDRAW_REQUEST, is_colleague_asked
from .services_observations import TEXT_FIELDS

CREATE_TEMPLATE = "reviews/request_form.html"
ANSWER_TEMPLATE = "reviews/request_answer.html"


def url_to(request, name, **kwargs) -> str:
    return reverse(f"reviews:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def get_request(request, request_id):
    """A request the viewer may see (the colleague, the asker, HR, the person's manager, the person), else 404."""
    found = get_or_404(selectors.requests_detailed(organization_id=request.organization.pk), request_id)
    if not can(request.employee, SEE_REQUEST, found):
        raise Http404
    return found


def chosen_first(results, chosen):
    """The search results with the colleague already chosen (a form shown again) on top, once."""
    if chosen is None:
        return results
    return [chosen, *[person for person in results if person.pk != chosen.pk]]


@org_view()
@require_http_methods(["GET", "POST"])
def request_create(request, employee_id):
    """Ask a colleague of ``employee_id`` for an observation; the colleague is found by name (``?q=``)."""
    person = get_or_404(selectors.people(organization_id=request.organization.pk), employee_id)
    if not can(request.employee, ASK_FOR_OBSERVATION, person):
        raise Http404  # the people one may not ask about are the people one may not see
    cycle = selectors.active_cycle_of(employee=person)
    expectations = applicable_expectations(employee=person).select_related("current_version")
    if request.method == "POST":
        form = RequestForm(request.POST, expectations=expectations)
        query = request.POST.get("q", "")
    else:
        query = request.GET.get("q", "")
        initial = {name: request.GET[name] for name in ("q", "expectation", "due_on", "message") if name in request.GET}
        form = RequestForm(initial=initial, expectations=expectations)
    if request.method == "POST" and form.is_valid():
        try:
            asked = services.request_create(asked_by=request.employee, employee=person, **form.service_arguments())
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                _("%(colleague)s has been asked for an observation about %(name)s.")
                % {"colleague": asked.colleague.full_name, "name": person.full_name},
            )
            return redirect(url_to(request, "request_list"))
    chosen = None
    if form.is_bound and form.data.get("colleague", "").isdigit():
        chosen = selectors.colleagues(person=person).filter(pk=form.data["colleague"]).first()
    context = {
        "form": form,
        "person": person,
        "cycle": cycle,
        "query": query,
        "results": chosen_first(selectors.colleagues_named(person=person, query=query), chosen),
        "chosen_id": chosen.pk if chosen else None,
        "limit": selectors.SEARCH_LIMIT,
        "today": timezone.localdate(),
    }
    template = CREATE_TEMPLATE
    if request.htmx and not request.htmx.boosted and request.method == "GET":
        template += "#results"
    return render(request, template, context)


@org_view()
@require_GET
def request_list(request):
    """The open requests made to the viewer (to answer), those they asked (to withdraw while open), and those
    of theirs a colleague declined lately."""
    context = {
        "to_answer": list(selectors.open_requests_to(colleague=request.employee)),
        "asked": list(selectors.open_requests_by(employee=request.employee)),
        "declined": list(selectors.declined_requests_by(employee=request.employee)),
    }
    return render(request, "reviews/request_list.html", context)


def answer_form(request, data=None) -> AnswerForm:
    coach_url = url_to(request, "observation_coach")
    form = AnswerForm(data, coach_url=coach_url, initial={"observed_on": timezone.localdate()})
    if form.is_bound:
        form.coach_results = {name: coach_findings(form.data.get(name, "")) for name in TEXT_FIELDS}
    return form


@org_view()
@require_http_methods(["GET", "POST"])
def request_answer(request, request_id):
    """The request: the colleague answers (an observation) or declines it; the others who may see it read it."""
    asked = get_request(request, request_id)
    me = request.employee
    form = answer_form(request) if can(me, ANSWER_REQUEST, asked) else None
    if request.method == "POST":
        if not is_colleague_asked(me, asked):
            raise PermissionDenied
        try:
            if "decline" in request.POST:
                if not confirmed(request):
                    if asked.state != asked.State.OPEN:
                        raise ValidationError(services.not_open())
                    return decline_page(request, asked)
                services.request_decline(request=asked, colleague=me)
                messages.success(request, _("You have declined the request. Whoever asked can see that."))
                return redirect(url_to(request, "request_list"))
            if asked.state != asked.State.OPEN:
                raise ValidationError(services.not_open())
            form = answer_form(request, request.POST)
            if form.is_valid():
                services.request_answer(request=asked, colleague=me, **form.service_arguments())
                messages.success(
                    request,
                    _("Thank you. Your observation has been shared with %(name)s and their manager.")
                    % {"name": asked.employee.full_name},
                )
                return redirect(url_to(request, "request_list"))
        except ValidationError as error:
            if not is_about_fields(error):  # no longer open, or not theirs: nothing to correct on the form
                for text in error.messages:
                    messages.error(request, text)
                return redirect(url_to(request, "request_list"))
            errors_onto_form(form, error)
    context = {
        "asked": asked,
        "version": asked.expectation_version,
        "form": form,
        "may_withdraw": can(me, WITHDRAW_REQUEST, asked),
    }
    return render(request, ANSWER_TEMPLATE, context)


def described(asked) -> dict:
    return {
        "asker": asked.asked_by.full_name if asked.asked_by else "",
        "colleague": asked.colleague.full_name,
        "name": asked.employee.full_name,
        "title": asked.expectation_version.local_title,
    }


def decline_page(request, asked):
    """What declining does, before the colleague confirms it."""
    names = described(asked)
    if asked.asked_by:
        seen = _("%(asker)s sees that you declined; you are no longer reminded. This cannot be undone.") % names
    else:
        seen = _("Whoever asked sees that you declined; you are no longer reminded. This cannot be undone.")
    return confirm_page(
        request,
        title=_("Decline the request about %(name)s") % names,
        points=[_("You decline to write an observation about %(name)s on “%(title)s”.") % names, seen],
        button=_("Decline the request"),
        action=url_to(request, "request_answer", request_id=asked.pk),
        back=url_to(request, "request_answer", request_id=asked.pk),
        back_label=_("Back to the request"),
        hidden=[("decline", "1")],
    )


def withdraw_page(request, asked):
    """What withdrawing does, before whoever asked (or HR) confirms it."""
    names = described(asked)
    return confirm_page(
        request,
        title=_("Withdraw the request to %(colleague)s") % names,
        points=[
            _("%(colleague)s is no longer asked for an observation about %(name)s on “%(title)s”, nor reminded.")
            % names,
            _("This cannot be undone; you can ask again later."),
        ],
        button=_("Withdraw the request"),
        action=url_to(request, "request_withdraw", request_id=asked.pk),
        back=url_to(request, "request_list"),
        back_label=_("Back to the requests"),
    )


@org_view()
@require_http_methods(["GET", "POST"])
def request_withdraw(request, request_id):
    """Whoever asked, or HR, withdraws an open request after confirming; its reminders go with it."""
    asked = get_request(request, request_id)
    if not can(request.employee, WITHDRAW_REQUEST, asked):
        if asked.state == asked.State.OPEN:
            raise PermissionDenied
        messages.error(request, services.not_open())
    elif not confirmed(request):
        return withdraw_page(request, asked)
    else:
        try:
            services.request_withdraw(request=asked, actor=request.employee)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The request has been withdrawn."))
    return redirect(url_to(request, "request_answer", request_id=asked.pk))
