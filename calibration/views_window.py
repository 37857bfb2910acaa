"""HR's calibration window of a cycle: its state and the flags' thresholds, opening and closing it, moving an outcome.

Opening and closing ask first (core.confirm), saying what happens to whom with counts; the step is taken on a POST
with ``confirm=yes``. A refusal about the whole step (a closed cycle, a window already open) is a message on the
window page the view redirects to; a refusal about a field shows at that field with status 200, nothing saved.
Every page is a fixed number of queries whatever the number of reviews and moves.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.confirm import NAMES_SHOWN, confirm_page, confirmed
from core.forms import errors_as_messages, errors_onto_form, is_about_fields
from core.urls import get_or_404
from cycles.models import Cycle
from organizations.tenancy import org_view
from reviews import selectors_reviews

from . import selectors_moves, services_moves, services_window
from .distribution import bands_of
from .forms_moves import MoveForm
from .forms_window import ThresholdsForm
from .guards import window_state
from .models import Window
from .rules import CALIBRATE


def _cycle(request, cycle_id) -> Cycle:
    return get_or_404(Cycle.objects.filter(organization=request.organization).select_related("organization"), cycle_id)


def window_url(cycle) -> str:
    return reverse("calibration:window", kwargs={"org_slug": cycle.organization.slug, "cycle_id": cycle.pk})


@org_view(CALIBRATE)
@require_http_methods(["GET", "POST"])
def window(request, cycle_id):
    """The window's state, what it affects now, the moves of the cycle (a page of 50); POST saves the thresholds."""
    cycle = _cycle(request, cycle_id)
    calibration = services_window.calibration_of(cycle=cycle)
    form = ThresholdsForm(
        request.POST if request.method == "POST" else None, initial=ThresholdsForm.initial_for(calibration)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_window.thresholds_save(cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The thresholds of the calibration flags have been saved."))
            return redirect(window_url(cycle))
    context = {
        "cycle": cycle,
        "calibration": calibration,
        "form": form,
        "drafts": selectors_moves.drafts_of(cycle=cycle),
        "moves": selectors_moves.moves_of_cycle(cycle=cycle, page=request.GET.get("page")),
        "not_openable": services_window.not_openable(cycle=cycle, calibration=calibration),
        "may_close": calibration.window == Window.OPEN,
    }
    return render(request, "calibration/window_page.html", context)


def _open_points(cycle) -> tuple[list[str], list[str], int]:
    """What opening does, with counts; the managers it concerns (at most NAMES_SHOWN names) and how many there are."""
    drafts = selectors_moves.drafts_of(cycle=cycle)
    count, managers = drafts["reviews"], drafts["managers"]
    if count:
        points = [
            ngettext(
                "While the window is open, the %(count)d review still in draft cannot be shared.",
                "While the window is open, the %(count)d reviews still in draft cannot be shared.",
                count,
            )
            % {"count": count},
            ngettext(
                "%(count)d manager is affected: instead of the Share button, they read that HR is calibrating.",
                "%(count)d managers are affected: instead of the Share button, they read that HR is calibrating.",
                managers,
            )
            % {"count": managers},
        ]
    else:
        points = [
            _(
                "No review of this cycle is in draft now; a review started while the window is open cannot be "
                "shared until it closes."
            )
        ]
    points += [
        _("HR can move a proposed outcome to another outcome of this cycle, with a reason the manager reads."),
        _("Reviews already shared, signed or finalised stay as they are."),
    ]
    names = selectors_moves.managers_of_drafts(cycle=cycle, limit=NAMES_SHOWN) if managers else []
    return points, names, managers


def _close_points(cycle, calibration) -> list[str]:
    moved = selectors_moves.move_counts(cycle=cycle, since=calibration.opened_at)["since"]
    drafts = selectors_moves.drafts_of(cycle=cycle)["reviews"]
    return [
        ngettext(
            "Managers can share their reviews again: %(count)d review is still in draft.",
            "Managers can share their reviews again: %(count)d reviews are still in draft.",
            drafts,
        )
        % {"count": drafts},
        ngettext(
            "HR moved %(count)d outcome while the window was open; its manager reads why on the review and on "
            "their own page.",
            "HR moved %(count)d outcomes while the window was open; the managers read why on the review and on "
            "their own page.",
            moved,
        )
        % {"count": moved},
        _("HR can no longer move outcomes, until the window is opened again."),
    ]


@org_view(CALIBRATE)
@require_http_methods(["GET", "POST"])
def window_open(request, cycle_id):
    """Open the window, after a page saying whose reviews wait and for what."""
    cycle = _cycle(request, cycle_id)
    calibration = services_window.calibration_of(cycle=cycle)
    if why := services_window.not_openable(cycle=cycle, calibration=calibration):
        messages.error(request, why)
        return redirect(window_url(cycle))
    if not confirmed(request):
        points, names, total = _open_points(cycle)
        return confirm_page(
            request,
            title=_("Open the calibration window of %(cycle)s") % {"cycle": cycle.name},
            points=points,
            names=names,
            names_total=total,
            names_heading=_("Managers with reviews in draft"),
            button=_("Open the calibration window"),
            back=window_url(cycle),
            back_label=_("Back to the calibration window"),
            danger=False,
        )
    try:
        services_window.window_open(cycle=cycle, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("The calibration window is open: reviews of this cycle cannot be shared."))
    return redirect(window_url(cycle))


@org_view(CALIBRATE)
@require_http_methods(["GET", "POST"])
def window_close(request, cycle_id):
    """Close the window, after a page saying what changes for the managers and how many outcomes HR moved."""
    cycle = _cycle(request, cycle_id)
    calibration = services_window.calibration_of(cycle=cycle)
    if why := services_window.not_closable(calibration):
        messages.error(request, why)
        return redirect(window_url(cycle))
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Close the calibration window of %(cycle)s") % {"cycle": cycle.name},
            points=_close_points(cycle, calibration),
            button=_("Close the calibration window"),
            back=window_url(cycle),
            back_label=_("Back to the calibration window"),
            danger=False,
        )
    try:
        services_window.window_close(cycle=cycle, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(request, _("The calibration window is closed: managers can share their reviews again."))
    return redirect(window_url(cycle))


# --- moving an outcome ------------------------------------------------------------------------------------------


@org_view(CALIBRATE)
@require_http_methods(["GET", "POST"])
def move(request, cycle_id, review_id):
    """Move a review's outcome to another band of its cycle, with a reason (GET the form, POST the move).

    The review must be of this cycle (else 404). When the outcome cannot be moved now (no window, a review no
    longer a draft...), the page says why instead of showing the form. A refusal about the move as a whole (the
    review or the window changed meanwhile) comes back as a message on this page, showing the review as it is now.
    """
    cycle = _cycle(request, cycle_id)
    review = get_or_404(
        selectors_reviews.reviews_detailed(organization=request.organization).filter(cycle=cycle), review_id
    )
    bands = bands_of(cycle=cycle)
    form = MoveForm(request.POST if request.method == "POST" else None, bands=bands, current=review.band_id)
    if request.method == "POST" and form.is_valid():
        try:
            services_moves.outcome_move(
                review=review,
                to_band_id=form.cleaned_data["to_band"],
                reason=form.cleaned_data["reason"],
                shown_band_id=form.shown_band_id(),
                actor=request.employee,
            )
        except ValidationError as error:
            if not is_about_fields(error):
                errors_as_messages(request, error)
                return redirect(request.path)
            errors_onto_form(form, error)
        else:
            review.refresh_from_db(fields=["band"])
            messages.success(
                request,
                _("The outcome of %(name)s is now “%(band)s”; the manager reads your reason.")
                % {"name": review.employee.full_name, "band": review.band.local_name},
            )
            return redirect(review.get_absolute_url())
    refused = services_moves.not_movable(review=review, window=window_state(review=review))
    context = {"cycle": cycle, "review": review, "refused": refused, "form": None if refused else form}
    return render(request, "calibration/move_form.html", context)
