"""HR's rating scale and outcome bands, the published outcome rule, and HR's list of a cycle's reviews.

The scale and the bands each show every row as its own small form (prefix
``level-<value>-`` or ``band-<position>-``) saved in one POST, an "add" form for a
new top row and a button that removes the top row: values and positions stay
consecutive. Removing asks first, on a page saying which row goes and which cycles it reaches
(reviews.confirm_steps). Each POST calls one service (reviews.services_config); a refusal
about a field shows at that field, one about the whole action (a closed cycle, a
shared review, a stale page) as a message on the page it redirects to.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import errors_as_messages, errors_onto_form, is_about_fields
from core.urls import get_or_404
from cycles.models import Cycle
from organizations.permissions import can
from organizations.tenancy import org_view

from . import scales, selectors_config, services_config
from .confirm_steps import confirm_page, confirmed, draft_reviews_in
from .forms_config import BandForm, LevelForm, ReviewFilterForm
from .models import ReviewState
from .rules_config import BANDS_EDITABLE, EDIT_BANDS, MANAGE_SCALE, READ_RULE, VIEW_CYCLE_REVIEWS

NEW = "new"  # the prefix of the form that adds a row on top


def _errors_onto_prefixed(forms: dict, error: ValidationError) -> None:
    """Put a service's ``<prefix>-<field>`` errors on the form of that prefix (the first form for any other key)."""
    for key, messages_ in error.error_dict.items():
        prefix, _sep, name = key.rpartition("-")
        form = forms.get(prefix) or next(iter(forms.values()))
        form.add_error(name if name in form.fields else None, messages_)


# --- the organisation's scale ----------------------------------------------------------------------------------


def _level_forms(request, levels, data=None) -> dict:
    return {
        f"level-{level.value}": LevelForm(
            data,
            prefix=f"level-{level.value}",
            organization=request.organization,
            initial=LevelForm.bilingual_initial(level),
        )
        for level in levels
    }


def _scale_page(request, levels, level_forms, add_form):
    copies, drafts = selectors_config.open_cycles(organization=request.organization, levels=levels)
    context = {
        "rows": [(level, level_forms[f"level-{level.value}"]) for level in levels],
        "add_form": add_form,
        "may_add": len(levels) < services_config.LEVELS_MAX,
        "may_remove": len(levels) > services_config.LEVELS_MIN,
        "top": levels[-1] if levels else None,
        "levels_min": services_config.LEVELS_MIN,
        "levels_max": services_config.LEVELS_MAX,
        "copies": copies,
        "drafts": drafts,
    }
    return render(request, "reviews/scale.html", context)


@org_view(MANAGE_SCALE)
@require_http_methods(["GET", "POST"])
def rating_scale(request):
    """The organisation's scale: GET shows it, POST saves the labels and descriptions of every level."""
    organization = request.organization
    levels = scales.organization_levels(organization_id=organization.pk)
    level_forms = _level_forms(request, levels, request.POST if request.method == "POST" else None)
    if request.method == "POST" and all([form.is_valid() for form in level_forms.values()]):
        texts = {level.value: level_forms[f"level-{level.value}"].cleaned_data for level in levels}
        try:
            services_config.scale_save(organization=organization, texts=texts)
        except ValidationError as error:
            if not is_about_fields(error):
                errors_as_messages(request, error)
                return redirect("reviews:rating_scale", org_slug=organization.slug)
            _errors_onto_prefixed(level_forms, error)
        else:
            messages.success(request, _("The rating scale has been saved."))
            return redirect("reviews:rating_scale", org_slug=organization.slug)
    return _scale_page(request, levels, level_forms, LevelForm(prefix=NEW, organization=organization))


@org_view(MANAGE_SCALE)
@require_POST
def rating_level_add(request):
    """Add a level on top of the scale; the form's errors show on the scale page (200)."""
    organization = request.organization
    form = LevelForm(request.POST, prefix=NEW, organization=organization)
    if form.is_valid():
        try:
            level = services_config.scale_level_add(organization=organization, **form.cleaned_data)
        except ValidationError as error:
            if not is_about_fields(error):
                errors_as_messages(request, error)
                return redirect("reviews:rating_scale", org_slug=organization.slug)
            errors_onto_form(form, error)
        else:
            messages.success(request, _("Level %(value)d has been added.") % {"value": level.value})
            return redirect("reviews:rating_scale", org_slug=organization.slug)
    levels = scales.organization_levels(organization_id=organization.pk)
    return _scale_page(request, levels, _level_forms(request, levels), form)


def _level_remove_page(request, levels):
    """What removing the top level does: which level goes, and which cycles it reaches (counts)."""
    top, below = levels[-1], levels[-2]
    copies, drafts = selectors_config.open_cycles(organization=request.organization, levels=levels)
    names = {"value": top.value, "label": top.local_label, "below": below.value}
    points = [
        _("Level %(value)d, “%(label)s”, is removed from the scale; level %(below)d becomes the highest.") % names
    ]
    if drafts:
        points.append(
            ngettext(
                "%(count)d cycle being prepared copies the scale without it when activated.",
                "%(count)d cycles being prepared copy the scale without it when activated.",
                len(drafts),
            )
            % {"count": len(drafts)}
        )
    if copies:
        points.append(
            ngettext(
                "%(count)d active cycle keeps it in its own copy: its reviews do not change.",
                "%(count)d active cycles keep it in their own copy: their reviews do not change.",
                len(copies),
            )
            % {"count": len(copies)}
        )
    if not drafts and not copies:
        points.append(_("No cycle is being prepared or active: the scale is copied by cycles activated later."))
    return confirm_page(
        request,
        title=_("Remove level %(value)d from the rating scale") % names,
        points=points,
        button=_("Remove level %(value)d") % names,
        action=reverse("reviews:rating_level_remove", kwargs={"org_slug": request.organization.slug}),
        back=reverse("reviews:rating_scale", kwargs={"org_slug": request.organization.slug}),
        back_label=_("Back to the rating scale"),
        hidden=[("value", top.value)],
    )


@org_view(MANAGE_SCALE)
@require_http_methods(["GET", "POST"])
def rating_level_remove(request):
    """Remove the top level of the scale after a page saying which level goes and which cycles it reaches.

    The confirmation names the level it showed (``value``): if the scale changed meanwhile nothing is removed.
    """
    organization = request.organization
    levels = scales.organization_levels(organization_id=organization.pk)
    if len(levels) <= services_config.LEVELS_MIN:
        messages.error(request, _("A scale has at least %(min)d levels.") % {"min": services_config.LEVELS_MIN})
    elif not confirmed(request):
        return _level_remove_page(request, levels)
    elif request.POST.get("value") != str(levels[-1].value):
        messages.error(request, _("The scale was changed by someone else meanwhile. Here it is as it is now."))
    else:
        try:
            level = services_config.scale_level_remove(organization=organization)
        except ValidationError as error:
            errors_as_messages(request, error)
        else:
            messages.success(request, _("Level %(value)d has been removed.") % {"value": level.value})
    return redirect("reviews:rating_scale", org_slug=organization.slug)


# --- a cycle's outcome bands -----------------------------------------------------------------------------------


def _cycle(request, cycle_id) -> Cycle:
    return get_or_404(selectors_config.cycles_for_bands(organization=request.organization), cycle_id)


def _band_forms(request, bands, data=None) -> dict:
    return {
        f"band-{band.position}": BandForm(
            data,
            prefix=f"band-{band.position}",
            organization=request.organization,
            lowest=number == 0,
            initial=BandForm.initial_for(band),
        )
        for number, band in enumerate(bands)
    }


def _bands_page(request, cycle, bands, band_forms, add_form):
    levels = selectors_config.scale_of(cycle=cycle)
    context = {
        "cycle": cycle,
        "rows": [(band, band_forms[f"band-{band.position}"]) for band in bands],
        "add_form": add_form,
        "may_edit": can(request.employee, EDIT_BANDS, cycle),
        "may_add": len(bands) < services_config.BANDS_MAX,
        "may_remove": len(bands) > services_config.BANDS_MIN,
        "top": bands[-1] if bands else None,
        "bands_min": services_config.BANDS_MIN,
        "bands_max": services_config.BANDS_MAX,
        "levels": levels,
        "low": levels[0].value if levels else None,
        "high": levels[-1].value if levels else None,
    }
    return render(request, "reviews/bands.html", context)


def _to_bands(cycle):
    return redirect("reviews:outcome_bands", org_slug=cycle.organization.slug, cycle_id=cycle.pk)


@org_view(MANAGE_SCALE)
@require_http_methods(["GET", "POST"])
def outcome_bands(request, cycle_id):
    """A cycle's bands: GET shows them (as forms while they may change), POST saves them all."""
    cycle = _cycle(request, cycle_id)
    bands = scales.cycle_bands(cycle=cycle)
    band_forms = _band_forms(request, bands, request.POST if request.method == "POST" else None)
    if request.method == "POST" and all([form.is_valid() for form in band_forms.values()]):
        texts = {band.position: band_forms[f"band-{band.position}"].cleaned_data for band in bands}
        try:
            services_config.bands_save(cycle=cycle, texts=texts)
        except ValidationError as error:
            if not is_about_fields(error):
                errors_as_messages(request, error)
                return _to_bands(cycle)
            _errors_onto_prefixed(band_forms, error)
        else:
            messages.success(request, _("The outcome bands of %(name)s have been saved.") % {"name": cycle.name})
            return _to_bands(cycle)
    return _bands_page(request, cycle, bands, band_forms, BandForm(prefix=NEW, organization=request.organization))


@org_view(MANAGE_SCALE)
@require_POST
def outcome_band_add(request, cycle_id):
    """Add a band on top of the cycle's bands; the form's errors show on the bands page (200)."""
    cycle = _cycle(request, cycle_id)
    form = BandForm(request.POST, prefix=NEW, organization=request.organization)
    if form.is_valid():
        try:
            band = services_config.band_add(cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            if not is_about_fields(error):
                errors_as_messages(request, error)
                return _to_bands(cycle)
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The band %(name)s has been added.") % {"name": band.local_name})
            return _to_bands(cycle)
    bands = scales.cycle_bands(cycle=cycle)
    return _bands_page(request, cycle, bands, _band_forms(request, bands), form)


def _band_remove_page(request, cycle, bands):
    """What removing the top band does: which band goes, in which cycle, and how many draft reviews move down."""
    top, below = bands[-1], bands[-2]
    names = {"name": top.local_name, "below": below.local_name, "cycle": cycle.name}
    count = draft_reviews_in(cycle=cycle, band=top)
    points = [
        _("“%(name)s” is removed from the outcome bands of %(cycle)s; “%(below)s” becomes the highest band.") % names,
        ngettext(
            "Only %(cycle)s is affected: %(count)d draft review in it falls to “%(below)s”.",
            "Only %(cycle)s is affected: %(count)d draft reviews in it fall to “%(below)s”.",
            count,
        )
        % {**names, "count": count},
    ]
    url_kwargs = {"org_slug": request.organization.slug, "cycle_id": cycle.pk}
    return confirm_page(
        request,
        title=_("Remove the band “%(name)s” of %(cycle)s") % names,
        points=points,
        button=_("Remove “%(name)s”") % names,
        action=reverse("reviews:outcome_band_remove", kwargs=url_kwargs),
        back=reverse("reviews:outcome_bands", kwargs=url_kwargs),
        back_label=_("Back to the outcome bands"),
        hidden=[("position", top.position)],
    )


@org_view(MANAGE_SCALE)
@require_http_methods(["GET", "POST"])
def outcome_band_remove(request, cycle_id):
    """Remove the cycle's top band after a page saying which band goes and how many draft reviews move down.

    The confirmation names the band it showed (``position``): if the bands changed meanwhile nothing is removed.
    """
    cycle = _cycle(request, cycle_id)
    bands = scales.cycle_bands(cycle=cycle)
    if not can(request.employee, EDIT_BANDS, cycle):
        if cycle.status not in BANDS_EDITABLE:
            messages.error(request, _("This cycle is closed: its outcome bands no longer change."))
        else:
            messages.error(
                request,
                _(
                    "A review of this cycle has been shared with an employee, so its outcome bands no longer "
                    "change: that would change an outcome people have seen."
                ),
            )
        return _to_bands(cycle)
    if len(bands) <= services_config.BANDS_MIN:
        messages.error(request, _("A cycle has at least %(min)d outcome bands.") % {"min": services_config.BANDS_MIN})
        return _to_bands(cycle)
    if not confirmed(request):
        return _band_remove_page(request, cycle, bands)
    if request.POST.get("position") != str(bands[-1].position):
        messages.error(request, _("The bands were changed by someone else meanwhile. Here they are as they are now."))
        return _to_bands(cycle)
    try:
        band = services_config.band_remove(cycle=cycle)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("The band %(name)s has been removed.") % {"name": band.local_name})
    return _to_bands(cycle)


# --- the published rule ----------------------------------------------------------------------------------------


@org_view(READ_RULE)
@require_GET
def outcome_rule(request):
    """How ratings become an outcome, for the person's active cycles, with an example on their own expectations."""
    cycle_rules, expectations = selectors_config.outcome_rule(employee=request.employee)
    context = {"cycle_rules": cycle_rules, "expectations": expectations, "levels": []}
    if not cycle_rules:
        context["levels"] = scales.organization_levels(organization_id=request.organization.pk)
    return render(request, "reviews/rule.html", context)


# --- HR's list of a cycle's reviews ----------------------------------------------------------------------------


@org_view(VIEW_CYCLE_REVIEWS)
@require_GET
def cycle_reviews(request, cycle_id):
    """The cycle's reviews: counts per state, the assessment conversations without one, and a page of the list."""
    cycle = get_or_404(Cycle.objects.filter(organization=request.organization), cycle_id)
    form = ReviewFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    counts = selectors_config.review_counts(cycle=cycle)
    page = selectors_config.cycle_reviews(cycle=cycle, state=state, page=request.GET.get("page"))
    context = {
        "cycle": cycle,
        "form": form,
        "state": state,
        "counts": counts,
        "states": [(value, label, counts[value]) for value, label in ReviewState.choices],
        "without_review": selectors_config.conversations_without_review(cycle=cycle),
        "page": page,
    }
    template = "reviews/cycle_reviews.html#list" if request.htmx else "reviews/cycle_reviews.html"
    return render(request, template, context)
