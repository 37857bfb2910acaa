"""Observations: recording one (choose the person, then the form with the coach), correcting, deleting, reacting,
the employee's "What was seen" and a manager's or HR's view of one person's observations.

Who may do what is reviews.rules_observations, asked here, in the templates and
in the services alike. An observation the person may not see answers 404 (so a
held one does not leak); one they see but may not change answers 403. A person
page follows organizations' person pages: 404 for someone of another
organisation, 403 for a colleague one may not look at. Every form works without
JavaScript (POST, then a redirect with a message); htmx runs the language coach
as people type and swaps a reaction in place. The coach never blocks: after a
save its remarks on what was saved come as a warning message on the next page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import errors_as_messages, errors_onto_form, is_about_fields
from core.urls import get_or_404
from expectations.models import Expectation
from expectations.selectors import BY_CORE_VALUE, applicable_expectations
from organizations import selectors as people_selectors
from organizations.permissions import can, is_hr_admin
from organizations.tenancy import org_view

from . import selectors_observations as selectors
from . import services_observations as services
from .forms_observations import ObservationForm, PersonSearchForm, ReactionForm, coach_findings
from .models import Source
from .rules_observations import (
    CORRECT_OBSERVATION,
    DELETE_OBSERVATION,
    REACT_TO_OBSERVATION,
    RECORD_OBSERVATION,
    SEE_OBSERVATION,
    SEE_PERSON_OBSERVATIONS,
    is_author,
    is_held,
)

PER_PAGE = 50


def url_to(request, name, **kwargs) -> str:
    return reverse(f"reviews:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def get_person(request, employee_id):
    """An active person of this organisation (anyone else, also of another organisation, is a 404)."""
    return get_or_404(selectors.people_to_observe(organization_id=request.organization.pk), employee_id)


def get_observation(request, observation_id):
    """The observation, when the person may see it; 404 otherwise (a held one about them does not leak)."""
    observation = get_or_404(selectors.observations(organization_id=request.organization.pk), observation_id)
    if not can(request.employee, SEE_OBSERVATION, observation):
        raise Http404
    return observation


def back_url(request, person) -> str:
    """Where an action on an observation about ``person`` returns: their observations, or "What was seen"."""
    if person.pk != request.employee.pk and can(request.employee, SEE_PERSON_OBSERVATIONS, person):
        return url_to(request, "person_observations", employee_id=person.pk)
    return url_to(request, "what_was_seen")


def page_of(request, rows):
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for row in page.object_list:
        row.is_held = is_held(row)
    return page


def note_coach(request, observation) -> None:
    """After a save: the coach's remarks on what was saved, as one warning (they never block saving)."""
    remarks = []
    for name in services.TEXT_FIELDS:
        for finding in coach_findings(getattr(observation, name)):
            words = "“" + "”, “".join(finding.words) + "”: " if finding.words else ""
            remarks.append(f"{words}{finding.hint}")
    if remarks:
        messages.warning(
            request,
            _(
                "Saved. The language coach has remarks; they do not block saving, but consider describing "
                "what you saw: %(remarks)s"
            )
            % {"remarks": " · ".join(remarks)},
        )


def hold_text(conversation) -> str:
    """The conversation an observation is (or would be) held for, as people read it, with its cycle: the same
    moment comes back every year."""
    if conversation.scheduled_at:
        when = date_format(timezone.localtime(conversation.scheduled_at))
    else:
        when = _("not scheduled yet, window %(opens)s – %(closes)s") % {
            "opens": date_format(conversation.moment.opens_on),
            "closes": date_format(conversation.moment.closes_on),
        }
    return _("%(moment)s of cycle %(cycle)s (%(when)s)") % {
        "moment": conversation.moment.local_name,
        "cycle": conversation.moment.cycle.name,
        "when": when,
    }


# --- Recording -------------------------------------------------------------------------------------------------


@org_view()
@require_GET
def observation_record(request):
    """Choose whom to record about: a manager's reports, HR's search by name; everyone else writes about themselves."""
    viewer = request.employee
    is_hr = is_hr_admin(viewer)
    reports = selectors.reports_of(manager=viewer)
    if not is_hr and not reports.exists():
        return redirect(url_to(request, "observation_create", employee_id=viewer.pk))
    form = PersonSearchForm(request.GET or None)
    results = None
    if is_hr and form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        results = selectors.people_named(organization_id=request.organization.pk, query=form.cleaned_data["q"])
    context = {
        "is_hr": is_hr,
        "form": form,
        "results": results,
        "limit": selectors.SEARCH_LIMIT,
        "reports": Paginator(reports, PER_PAGE).get_page(request.GET.get("page")),
    }
    template = "reviews/observation_record.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def observation_form_context(request, form, person, source, observation=None, *, holding=None) -> dict:
    """The observation form's page; ``holding``: the conversation a new manager's observation would be held for."""
    context = {
        "form": form,
        "person": person,
        "observation": observation,
        "is_self": source == Source.SELF,
        "back_url": back_url(request, person),  # Cancel: where saving would have returned
    }
    if source == Source.MANAGER and observation is None:
        context["hold_until"] = hold_text(holding) if holding else None
    if form.is_bound:
        form.coach_results = {name: coach_findings(form.data.get(name, "")) for name in services.TEXT_FIELDS}
    return context


@org_view()
@require_http_methods(["GET", "POST"])
def observation_create(request, employee_id):
    """Record an observation about ``employee_id``: about oneself a self-observation, else as manager or HR."""
    person = get_person(request, employee_id)
    author = request.employee
    if not can(author, RECORD_OBSERVATION, person):
        raise PermissionDenied
    source = Source.SELF if person.pk == author.pk else Source.MANAGER
    hold_label, holding = None, None
    if source == Source.MANAGER:
        hold_label = _("Hold until the next conversation with %(name)s") % {"name": person.full_name}
        holding = services.holding_conversation(employee=person)
    form = ObservationForm(
        request.POST if request.method == "POST" else None,
        expectations=applicable_expectations(employee=person),
        hold_label=hold_label,
        can_hold=holding is not None,
        coach_url=url_to(request, "observation_coach"),
        initial={"observed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.observation_record(
                author=author, employee=person, source=source, **form.service_arguments()
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            if observation.held_for_id:
                messages.success(
                    request,
                    _(
                        "The observation has been saved. %(name)s sees it once this conversation is held: "
                        "%(conversation)s."
                    )
                    % {"name": person.full_name, "conversation": hold_text(observation.held_for)},
                )
            elif source == Source.SELF:
                messages.success(request, _("Your self-observation has been saved."))
            else:
                messages.success(
                    request, _("The observation has been saved and shared with %(name)s.") % {"name": person.full_name}
                )
            note_coach(request, observation)
            return redirect(back_url(request, person))
    context = observation_form_context(request, form, person, source, holding=holding)
    return render(request, "reviews/observation_form.html", context)


@org_view()
@require_POST
def observation_coach(request):
    """The coach's findings on the observation text being typed (htmx), or on every text posted."""
    trigger = request.htmx.trigger_name if request.htmx else None
    names = [trigger] if trigger in services.TEXT_FIELDS else [n for n in services.TEXT_FIELDS if n in request.POST]
    labels = {name: ObservationForm.base_fields[name].label for name in services.TEXT_FIELDS}
    results = [(labels[name], coach_findings(request.POST.get(name, ""))) for name in names]
    context = {"results": [(label, found) for label, found in results if found], "show_labels": len(names) > 1}
    return render(request, "expectations/_coach.html#findings", context)


# --- Correcting and deleting -------------------------------------------------------------------------------------


@org_view()
@require_http_methods(["GET", "POST"])
def observation_edit(request, observation_id):
    """Its author corrects an observation: a new version; the history keeps what it said before."""
    observation = get_observation(request, observation_id)
    if not can(request.employee, CORRECT_OBSERVATION, observation):
        raise PermissionDenied
    person = observation.employee
    # In the order of the form that recorded it (applicable_expectations'), plus the one it names if that no longer
    # applies.
    expectations = (
        Expectation.objects.filter(
            Q(pk__in=applicable_expectations(employee=person).values("pk")) | Q(pk=observation.expectation_id)
        )
        .select_related("current_version")
        .order_by(*BY_CORE_VALUE)
    )
    form = ObservationForm(
        request.POST if request.method == "POST" else None,
        expectations=expectations,
        coach_url=url_to(request, "observation_coach"),
        editing=True,
        initial=ObservationForm.initial_for(observation),
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            updated = services.observation_correct(
                observation=observation,
                actor=request.employee,
                version=form.cleaned_data["version"] or 0,
                **arguments,
            )
        except ValidationError as error:
            if not is_about_fields(error):
                errors_as_messages(request, error)
                return redirect(url_to(request, "observation_edit", observation_id=observation.pk))
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                _("Saved as version %(number)d; the history keeps the earlier text.") % {"number": updated.version},
            )
            note_coach(request, updated)
            return redirect(back_url(request, person))
    context = observation_form_context(request, form, person, observation.source, observation)
    return render(request, "reviews/observation_form.html", context)


@org_view()
@require_http_methods(["GET", "POST"])
def observation_delete(request, observation_id):
    """Its author deletes an observation while it is still held, after confirming (a page, so it works without JS)."""
    observation = get_observation(request, observation_id)
    if not is_author(request.employee, observation):
        raise PermissionDenied
    back = back_url(request, observation.employee)
    if request.method == "GET":
        if not can(request.employee, DELETE_OBSERVATION, observation):
            messages.error(
                request, _("The employee can already see this observation, so it cannot be deleted any more.")
            )
            return redirect(back)
        observation.is_held = True
        context = {"observation": observation, "back": back, "held_until": hold_text(observation.held_for)}
        return render(request, "reviews/observation_delete.html", context)
    try:
        services.observation_delete(observation=observation, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("The observation has been deleted."))
    return redirect(back)


# --- What was seen, reactions, a person's observations ----------------------------------------------------------


def optional_url(request, name, **kwargs) -> str | None:
    """The address of another part's page, or None while that part has not added it."""
    try:
        return url_to(request, name, **kwargs)
    except NoReverseMatch:
        return None


@org_view()
@require_GET
def what_was_seen(request):
    """The employee's own page: every observation visible to them, grouped by expectation, paged."""
    employee = request.employee
    context = {
        "page": page_of(request, selectors.what_was_seen(employee=employee)),
        "request_list_url": optional_url(request, "request_list"),
        "request_create_url": optional_url(request, "request_create", employee_id=employee.pk),
        "reaction_form": ReactionForm(),
    }
    return render(request, "reviews/what_was_seen.html", context)


@org_view()
@require_POST
def observation_react(request, observation_id):
    """The person an observation is about adds or changes their reaction (htmx swaps the card in place)."""
    observation = get_observation(request, observation_id)
    if not can(request.employee, REACT_TO_OBSERVATION, observation):
        raise PermissionDenied
    form = ReactionForm(request.POST)
    if form.is_valid():
        try:
            services.observation_react(
                observation=observation, actor=request.employee, reaction=form.cleaned_data["reaction"]
            )
        except ValidationError as error:
            errors_onto_form(form, error)
    if request.htmx and not request.htmx.boosted:
        observation.is_held = False
        context = {"observation": observation, "reaction_form": form, "reacting_to": observation.pk}
        return render(request, "reviews/what_was_seen.html#observation", context)
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, _("Your reaction has been saved."))
    return redirect(url_to(request, "what_was_seen") + f"#observation-{observation.pk}")


@org_view()
@require_GET
def person_observations(request, employee_id):
    """A manager's (their reports) or HR's (anyone) view of everything recorded about one person, held ones too."""
    person = get_or_404(people_selectors.people_detailed(organization=request.organization), employee_id)
    if person.pk == request.employee.pk:
        return redirect(url_to(request, "what_was_seen"))
    if not can(request.employee, SEE_PERSON_OBSERVATIONS, person):
        raise PermissionDenied
    context = {
        "person": person,
        "page": page_of(request, selectors.observations_visible(viewer=request.employee, employee=person)),
        "may_record": person.is_active and can(request.employee, RECORD_OBSERVATION, person),
        **way_back(request, person),
    }
    return render(request, "reviews/observation_person_list.html", context)


def way_back(request, person) -> dict:
    """Where a person's observations lead back to: their manager's team grid, else HR's page of the person."""
    slug = request.organization.slug
    if person.manager_id == request.employee.pk:
        return {"back_url": reverse("cycles:team_grid", kwargs={"org_slug": slug}), "back_label": _("Back to my team")}
    if is_hr_admin(request.employee):
        return {
            "back_url": reverse("organizations:person_detail", kwargs={"org_slug": slug, "employee_id": person.pk}),
            "back_label": _("Back to %(name)s") % {"name": person.full_name},
        }
    return {}
