"""Writing expectations: the overview, the form with the language coach, the detail page and the lifecycle.

HR writes expectations and moves them from draft through sharpening to
published and retired; a manager proposes drafts for their own team and edits
them until they are published. Every change goes through expectations.services;
the views parse input, call one service and show what it said. Who may do what,
in which status, they ask expectations.rules, as the templates and services do.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import errors_as_messages, errors_onto_form, is_about_fields
from core.i18n import LANGUAGES
from core.urls import address_maker, get_or_404
from organizations.permissions import can
from organizations.tenancy import org_view

from . import cap, selectors, services
from .coach import coach as run_coach
from .forms_authoring import COACHED_FIELDS, ExpectationForm, SharpenForm, field_label
from .models import Expectation, Status, example_lines
from .rules import EDIT_EXPECTATION, MANAGE_EXPECTATIONS, PROPOSE_EXPECTATION, VIEW_EXPECTATION
from .weights import weights_context

# The coach reads at most this much of one field; the form refuses longer text on save anyway.
COACH_MAX_CHARS = 5000
SHARPENING_DAYS = 14  # the closing date the form suggests


def detail_url(request, expectation):
    return reverse(
        "expectations:detail", kwargs={"org_slug": request.organization.slug, "expectation_id": expectation.pk}
    )


def get_expectation(request, expectation_id) -> Expectation:
    """The expectation of this organisation, or 404."""
    return get_or_404(selectors.expectations(organization=request.organization), expectation_id)


def get_viewable(request, expectation_id) -> Expectation:
    """An expectation HR or its proposing manager looks at; anyone else gets 403."""
    expectation = get_expectation(request, expectation_id)
    if not can(request.employee, VIEW_EXPECTATION, expectation):
        raise PermissionDenied
    return expectation


def coach_findings(text: str, field_name: str) -> list:
    """What the language coach says about one field's text, in that field's language."""
    text = (text or "")[:COACH_MAX_CHARS]
    if not text.strip():
        return []
    language = field_name.rsplit("_", 1)[1]
    return list(run_coach(text, language, purpose="expectation"))


def wording_findings(version) -> list[tuple[str, list]]:
    """(field label, findings) for every wording field of ``version`` the coach has something to say about."""
    results = []
    for name in COACHED_FIELDS:
        found = coach_findings(getattr(version, name), name)
        if found:
            results.append((field_label(name), found))
    return results


def wording_columns(version) -> list[dict]:
    """The wording of ``version`` per language, Dutch first, with the examples as lists."""
    names = {"nl": _("Dutch"), "en": _("English")}
    columns = []
    for language in LANGUAGES:
        column = {
            "language": language,
            "name": names[language],
            "title": getattr(version, f"title_{language}"),
            "behaviour": getattr(version, f"behaviour_{language}"),
            "examples_yes": example_lines(getattr(version, f"examples_yes_{language}")),
            "examples_not_yet": example_lines(getattr(version, f"examples_not_yet_{language}")),
        }
        column["empty"] = not any(column[key] for key in ("title", "behaviour", "examples_yes", "examples_not_yet"))
        columns.append(column)
    return columns


def with_support(rows):
    """Annotate each expectation with how many people endorse its current wording (one query for all)."""
    return rows.annotate(
        endorsed=Count(
            "endorsements",
            filter=Q(endorsements__wording_revision=F("wording_revision")),
            distinct=True,
        )
    )


def people_per_team(groups) -> dict:
    return {group.team.pk if group.team else None: group.people for group in groups}


def audience_size(expectation, people: dict, team_ids) -> int:
    """The audience from the weight overview's head counts, so the list needs no query per row."""
    if expectation.for_everyone:
        return sum(people.values())
    return sum(people.get(team_id, 0) for team_id in team_ids)


@org_view(PROPOSE_EXPECTATION)
@require_GET
def index(request):
    """HR: every expectation by status and what weighs per team. A manager: their proposals and their team's."""
    organization, employee = request.organization, request.employee
    groups = selectors.groups(organization=organization)
    context = {"cap": organization.expectation_cap, "is_hr": can(employee, MANAGE_EXPECTATIONS)}
    if context["is_hr"]:
        rows = list(with_support(selectors.expectations_overview(organization=organization)))
        people = people_per_team(groups)
        audience = selectors.audience_team_ids(organization=organization)
        # The teams by name, as groups reads them: an audience is named in that order.
        names = {group.team.pk: group.team.name for group in groups if group.team is not None}
        order = {team_id: place for place, team_id in enumerate(names)}
        detail = address_maker("expectations:detail", "expectation_id", org_slug=organization.slug)
        everyone = _("The whole organisation")
        for row in rows:
            team_ids = sorted(audience.get(row.pk, ()), key=order.__getitem__)
            row.audience_size = audience_size(row, people, team_ids)
            # Made here once per row rather than by a url tag and a loop over the teams in the template.
            row.url = detail(row.pk)
            row.audience = everyone if row.for_everyone else ", ".join(names[team_id] for team_id in team_ids)
        shown = [group for group in groups if group.team is not None or group.people]
        context.update(
            by_status=[(value, label, [row for row in rows if row.status == value]) for value, label in Status.choices],
            groups=shown,
            **weights_context(request, groups=shown, cap=organization.expectation_cap),
        )
    else:
        context.update(
            proposals=list(selectors.expectations(organization=organization).filter(proposed_by=employee)),
            team_expectations=list(selectors.applicable_expectations(employee=employee).exclude(proposed_by=employee)),
            team_group=next(
                (group for group in groups if group.team is not None and group.team.pk == employee.team_id), None
            ),
        )
    return render(request, "expectations/index.html", context)


def render_form(request, form, expectation=None):
    if form.is_bound:
        # A save that came back with errors still shows what the coach says about the wording as typed.
        form.coach_results = {name: coach_findings(form.data.get(name, ""), name) for name in COACHED_FIELDS}
    context = {"form": form, "expectation": expectation, "cap": request.organization.expectation_cap}
    if expectation is not None:
        context["version"] = expectation.current_version
        context["next_number"] = expectation.current_version.number + 1
    return render(request, "expectations/expectation_form.html", context)


def note_coach(request, expectation):
    """After a save: say that the coach has remarks, which the detail page shows."""
    if wording_findings(expectation.current_version):
        messages.warning(
            request,
            _("The language coach has remarks on the wording; see “Language coach” below. They do not block saving."),
        )


def coach_url(request):
    return reverse("expectations:coach", kwargs={"org_slug": request.organization.slug})


@org_view(PROPOSE_EXPECTATION)
@require_http_methods(["GET", "POST"])
def create(request):
    """HR writes a draft for any audience; a manager proposes one for their own team (within the cap)."""
    data = request.POST if request.method == "POST" else None
    form = ExpectationForm(
        data,
        organization=request.organization,
        choose_audience=can(request.employee, MANAGE_EXPECTATIONS),
        coach_url=coach_url(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            expectation = services.expectation_create(
                organization=request.organization, actor=request.employee, **form.service_arguments()
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The expectation has been saved as a draft."))
            note_coach(request, expectation)
            return redirect(detail_url(request, expectation))
    return render_form(request, form)


@org_view(PROPOSE_EXPECTATION)
@require_http_methods(["GET", "POST"])
def edit(request, expectation_id):
    """Change the wording, weight or audience; a published expectation gets a new version, in force at once."""
    expectation = get_viewable(request, expectation_id)
    employee = request.employee
    is_hr = can(employee, MANAGE_EXPECTATIONS)
    if not can(employee, EDIT_EXPECTATION, expectation):
        if not is_hr:
            raise PermissionDenied
        # HR is refused only a retired expectation: say so on its page rather than with a bare 403.
        messages.error(request, _("A retired expectation cannot be changed."))
        return redirect(detail_url(request, expectation))
    data = request.POST if request.method == "POST" else None
    form = ExpectationForm(
        data,
        organization=request.organization,
        choose_audience=is_hr,
        coach_url=coach_url(request),
        initial=ExpectationForm.initial_for(expectation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.expectation_update(expectation=expectation, actor=employee, **form.service_arguments())
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            if updated.status == Status.PUBLISHED:
                messages.success(
                    request,
                    _("Saved as version %(number)d, in force now; version %(previous)d stays readable.")
                    % {"number": updated.current_version.number, "previous": updated.current_version.number - 1},
                )
            else:
                messages.success(request, _("The changes have been saved."))
            note_coach(request, updated)
            return redirect(detail_url(request, expectation))
    return render_form(request, form, expectation)


@org_view(PROPOSE_EXPECTATION)
@require_POST
def coach(request):
    """The language coach's findings for the field being typed in (htmx), or for every wording field posted."""
    trigger = request.htmx.trigger_name if request.htmx else None
    if trigger in COACHED_FIELDS:
        names = [trigger]
    else:
        names = [name for name in COACHED_FIELDS if name in request.POST]
    results = [(field_label(name), coach_findings(request.POST.get(name, ""), name)) for name in names]
    context = {"results": [(label, found) for label, found in results if found], "show_labels": len(names) > 1}
    return render(request, "expectations/_coach.html#findings", context)


def detail_context(request, expectation, sharpen_form=None) -> dict:
    """The detail page; which actions it offers, the template asks expectations.rules itself."""
    employee = request.employee
    version = expectation.current_version
    closes_on = expectation.sharpening_closes_on or timezone.localdate() + timezone.timedelta(days=SHARPENING_DAYS)
    return {
        "expectation": expectation,
        "version": version,
        "wording": wording_columns(version),
        "versions": list(selectors.versions(expectation=expectation)),
        "support": selectors.support(expectation=expectation),
        "suggestions": list(selectors.suggestions(expectation=expectation)),
        "is_hr": can(employee, MANAGE_EXPECTATIONS),
        "sharpen_form": sharpen_form or SharpenForm(initial={"closes_on": closes_on}),
        # The coach speaks to whoever may still change the wording.
        "findings": wording_findings(version) if can(employee, EDIT_EXPECTATION, expectation) else [],
        "cap": request.organization.expectation_cap,
        # A draft the cap keeps from being published: what to do next (HR: retire, narrow, raise; a manager: ask HR).
        "cap_step": cap.next_step(organization=request.organization, expectation=expectation),
    }


@org_view(PROPOSE_EXPECTATION)
@require_GET
def detail(request, expectation_id):
    """The current wording, its lifecycle actions, its versions, and the team's suggestions and support."""
    expectation = get_viewable(request, expectation_id)
    return render(request, "expectations/detail.html", detail_context(request, expectation))


@org_view(PROPOSE_EXPECTATION)
@require_GET
def version(request, expectation_id, number):
    """One version of the wording, read-only, as it stood."""
    expectation = get_viewable(request, expectation_id)
    versions = list(selectors.versions(expectation=expectation))
    shown = next((row for row in versions if row.number == number), None)
    if shown is None:
        raise Http404
    context = {
        "expectation": expectation,
        "shown": shown,
        "total": len(versions),
        "is_current": shown.pk == expectation.current_version_id,
        "wording": wording_columns(shown),
    }
    return render(request, "expectations/version.html", context)


@org_view(MANAGE_EXPECTATIONS)
@require_POST
def sharpen(request, expectation_id):
    """Open a draft to its audience for suggestions until a closing date, or move that date."""
    expectation = get_expectation(request, expectation_id)
    form = SharpenForm(request.POST)
    if form.is_valid():
        try:
            services.expectation_sharpen(expectation=expectation, closes_on=form.cleaned_data["closes_on"])
        except ValidationError as error:
            if not is_about_fields(error):
                errors_as_messages(request, error)
                return redirect(detail_url(request, expectation))
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                _("Open for suggestions until %(date)s.")
                % {"date": date_format(form.cleaned_data["closes_on"], "DATE_FORMAT")},
            )
            return redirect(detail_url(request, expectation))
    return render(request, "expectations/detail.html", detail_context(request, expectation, sharpen_form=form))


@org_view(MANAGE_EXPECTATIONS)
@require_POST
def back_to_draft(request, expectation_id):
    expectation = get_expectation(request, expectation_id)
    try:
        services.expectation_back_to_draft(expectation=expectation)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("Back to draft: suggestions are closed. Suggestions and endorsements stay."))
    return redirect(detail_url(request, expectation))


@org_view(MANAGE_EXPECTATIONS)
@require_POST
def publish(request, expectation_id):
    """Publish; refused (with the reason) when the wording is incomplete or anyone would exceed the cap."""
    expectation = get_expectation(request, expectation_id)
    try:
        warnings = services.expectation_publish(expectation=expectation)
    except services.OverCap as error:
        errors_as_messages(request, error)
        return redirect(detail_url(request, expectation) + "#cap-next-step")  # where the page says what to do
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("Published: everyone it applies to now sees it."))
        for warning in warnings:
            messages.warning(request, warning)
    return redirect(detail_url(request, expectation))


@org_view(MANAGE_EXPECTATIONS)
@require_POST
def retire(request, expectation_id):
    expectation = get_expectation(request, expectation_id)
    try:
        services.expectation_retire(expectation=expectation)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("Retired: it no longer applies to anyone. Its versions stay readable."))
    return redirect(detail_url(request, expectation))


@org_view(MANAGE_EXPECTATIONS)
@require_POST
def delete(request, expectation_id):
    """Delete a draft (or one in sharpening) that was never published."""
    expectation = get_expectation(request, expectation_id)
    try:
        services.expectation_delete(expectation=expectation)
    except ValidationError as error:
        errors_as_messages(request, error)
        return redirect(detail_url(request, expectation))
    messages.success(request, _("The draft has been deleted."))
    return redirect(reverse("expectations:index", kwargs={"org_slug": request.organization.slug}))
