"""What is expected of me, and sharpening: the audience suggests and endorses, HR or the proposer decides.

Every member reads their own applicable expectations. The sharpening pages of
an expectation exist only for the people in its audience: anyone else gets
404, so a draft for another team does not even show that it exists. Changes go
through expectations.services; the views parse input, call one service and show
what it said.
"""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import errors_as_messages, errors_onto_form
from core.urls import get_or_404
from organizations.permissions import can
from organizations.tenancy import org_view

from . import selectors, services
from .forms_sharpening import ReplyForm, SuggestionForm
from .models import Endorsement, Expectation, Suggestion, SuggestionStatus
from .rules import DECIDE_SUGGESTIONS, SUGGEST_WORDING, VIEW_SHARPENING


def ui_language() -> str:
    """The language the page is read in: a suggestion is wording in that language."""
    return (get_language() or "nl")[:2]


def language_name(language: str) -> str:
    return {"nl": _("Dutch"), "en": _("English")}.get(language, language)


def url(request, name, **kwargs):
    return reverse(f"expectations:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def not_open_message() -> str:
    # The same words as services_sharpening._require_open, so both are translated once.
    return _("This expectation is not open for suggestions.")


# --- What is expected of me -------------------------------------------------------------------


@org_view()
@require_GET
def mine(request):
    """The published expectations that apply to me, per core value, what weighs, and what does not count."""
    employee = request.employee
    rows, open_drafts = selectors.mine(employee=employee, today=timezone.localdate())
    groups = [
        (core_value, list(expectations)) for core_value, expectations in groupby(rows, key=lambda row: row.core_value)
    ]
    context = {
        "groups": groups,
        "count": len(rows),
        "total": selectors.my_weight_total(expectations=rows),
        "cap": request.organization.expectation_cap,
        "not_counted": selectors.not_counted_list(organization=request.organization),
        "open_drafts": open_drafts,
    }
    return render(request, "expectations/mine.html", context)


# --- Sharpening: the audience -----------------------------------------------------------------


def get_in_audience(request, expectation_id) -> Expectation:
    """The expectation, when the person is in its audience; 404 otherwise (also for a foreign or malformed id)."""
    expectation = get_or_404(selectors.expectations(organization=request.organization), expectation_id)
    if not selectors.in_audience(expectation=expectation, employee=request.employee):
        raise Http404
    return expectation


def get_sharpening(request, expectation_id) -> Expectation:
    """For the sharpening page: in the audience and being sharpened, or 404."""
    expectation = get_in_audience(request, expectation_id)
    if not can(request.employee, VIEW_SHARPENING, expectation):
        raise Http404
    return expectation


def with_my_part(rows, employee):
    """Annotate whether ``employee`` endorsed the current (or an earlier) wording and how many suggestions there are.

    Subqueries rather than joins, so the audience join of the selector cannot
    multiply the counts, and the list stays at one query however long it is.
    """
    mine = Endorsement.objects.filter(expectation=OuterRef("pk"), employee=employee)
    suggestion_count = (
        Suggestion.objects.filter(expectation=OuterRef("pk"))
        .order_by()
        .values("expectation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return rows.annotate(
        endorsed_current=Exists(mine.filter(wording_revision=OuterRef("wording_revision"))),
        endorsed_any=Exists(mine),
        suggestion_count=Coalesce(Subquery(suggestion_count, output_field=IntegerField()), 0),
    )


@org_view()
@require_GET
def sharpening_list(request):
    """Draft expectations I may suggest wording for or endorse: open ones first, soonest closing first."""
    rows = list(with_my_part(selectors.sharpening_for(employee=request.employee), request.employee))
    # Stable sort: the selector's closing-date order holds within the open and the closed ones.
    rows.sort(key=lambda row: not row.is_open_for_suggestions)
    return render(request, "expectations/sharpening_list.html", {"rows": rows})


def credit_for(expectation, suggestions):
    """The accepted suggestion whose words the current behaviour (as read now) still are, to credit its author."""
    behaviour = expectation.current_version.local_behaviour.strip() if expectation.current_version_id else ""
    accepted = [row for row in suggestions if row.status == SuggestionStatus.ACCEPTED and row.text == behaviour]
    return accepted[-1] if accepted else None


def detail_context(request, expectation, form=None) -> dict:
    suggestions = list(selectors.suggestions(expectation=expectation))
    language = ui_language()
    return {
        "expectation": expectation,
        "version": expectation.current_version,
        "is_open": expectation.is_open_for_suggestions,
        "support": selectors.support(expectation=expectation, viewer=request.employee),
        "suggestions": suggestions,
        "credit": credit_for(expectation, suggestions),
        "form": form or SuggestionForm(language_name=language_name(language)),
        "language": language,
    }


@org_view()
@require_GET
def sharpening_detail(request, expectation_id):
    """The current wording, its support, a form to suggest better wording, and the suggestions so far."""
    expectation = get_sharpening(request, expectation_id)
    return render(request, "expectations/sharpening_detail.html", detail_context(request, expectation))


def refuse_not_sharpening(request):
    """Published, back to draft or retired meanwhile: say so where the person can see it; nothing is saved."""
    messages.error(request, not_open_message())
    return redirect(url(request, "sharpening_list"))


@org_view()
@require_POST
def suggest(request, expectation_id):
    """Add a suggestion in the language the page is read in; refused (with the reason) once suggestions close."""
    expectation = get_in_audience(request, expectation_id)
    if not can(request.employee, VIEW_SHARPENING, expectation):
        return refuse_not_sharpening(request)
    language = ui_language()
    form = SuggestionForm(request.POST, language_name=language_name(language))
    if form.is_valid():
        try:
            services.suggestion_create(
                expectation=expectation,
                author=request.employee,
                text=form.cleaned_data["text"],
                why=form.cleaned_data["why"],
                language=language,
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request, _("Thank you: your suggestion has been added. You will see here what is decided.")
            )
            return redirect(url(request, "sharpening_detail", expectation_id=expectation.pk))
    elif not can(request.employee, SUGGEST_WORDING, expectation):
        # Closed: the page shows no form any more, so the reason must not hide behind a field error.
        form.add_error(None, not_open_message())
    return render(request, "expectations/sharpening_detail.html", detail_context(request, expectation, form=form))


@org_view()
@require_POST
def endorse(request, expectation_id):
    """“Clear to me” for the current wording. With htmx only the support block is swapped; otherwise a redirect."""
    expectation = get_in_audience(request, expectation_id)
    still_sharpened = can(request.employee, VIEW_SHARPENING, expectation)
    error = None
    if not still_sharpened:
        error = not_open_message()
    else:
        try:
            services.endorsement_add(expectation=expectation, employee=request.employee)
        except ValidationError as refused:
            error = " ".join(refused.messages)
    if request.htmx:
        # The block asks the endorse rule itself whether to offer the button again.
        context = {
            "expectation": expectation,
            "support": selectors.support(expectation=expectation, viewer=request.employee),
            "endorse_error": error,
        }
        return render(request, "expectations/sharpening_detail.html#support", context)
    if error:
        messages.error(request, error)
        if not still_sharpened:
            return redirect(url(request, "sharpening_list"))
    else:
        messages.success(request, _("Thank you: you endorsed this wording as clear."))
    return redirect(url(request, "sharpening_detail", expectation_id=expectation.pk))


# --- Sharpening: HR or the proposing manager decides ------------------------------------------


def get_decidable(request, suggestion_id) -> Suggestion:
    """The suggestion (404 for a foreign or malformed id), when the person may decide on it (403 otherwise)."""
    suggestion = get_or_404(selectors.suggestions_detailed(organization=request.organization), suggestion_id)
    if not can(request.employee, DECIDE_SUGGESTIONS, suggestion.expectation):
        raise PermissionDenied
    return suggestion


def report_form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@org_view()
@require_POST
def suggestion_accept(request, suggestion_id):
    """The draft takes the suggested wording and its author is credited; an optional reply goes to the author."""
    suggestion = get_decidable(request, suggestion_id)
    back = redirect(url(request, "detail", expectation_id=suggestion.expectation_id))
    form = ReplyForm(request.POST, required=False)
    if not form.is_valid():
        report_form_errors(request, form)
        return back
    try:
        services.suggestion_accept(suggestion=suggestion, actor=request.employee, reply=form.cleaned_data["reply"])
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(
            request,
            _(
                "Accepted: the draft now has the wording by %(name)s. "
                "Endorsements of the earlier wording no longer count as support."
            )
            % {"name": suggestion.author.full_name},
        )
    return back


@org_view()
@require_POST
def suggestion_decline(request, suggestion_id):
    """Decline with a reply the author sees; without a reply nothing is saved."""
    suggestion = get_decidable(request, suggestion_id)
    back = redirect(url(request, "detail", expectation_id=suggestion.expectation_id))
    form = ReplyForm(request.POST, required=True)
    if not form.is_valid():
        report_form_errors(request, form)
        return back
    try:
        services.suggestion_decline(suggestion=suggestion, actor=request.employee, reply=form.cleaned_data["reply"])
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("Declined. %(name)s sees your reply.") % {"name": suggestion.author.full_name})
    return back
