"""The review pages: start it from a conversation, write it, share it, comment, sign, finalise, reopen.

Who sees a review (reviews.rules_reviews.SEE_REVIEW): HR, the manager who writes it, the person's manager, and
the person once it is shared; anyone else gets 404, also for a draft of their own. Of those who see it, a
step's role part answers 403 (the employee editing ratings, a manager finalising), and its state part is the
service's to refuse with a message naming who moved the review first. Every step that cannot simply be undone
(share, sign, finalise, reopen) asks first on a page of its own, saying what will happen: a GET shows that
page, its POST (with ``confirm=yes``) does the step, without JavaScript. The outcome is recomputed live with
htmx while the manager rates (``review_outcome``, which saves nothing).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import errors_as_messages, errors_onto_form, is_about_fields
from core.urls import get_or_404
from cycles import selectors as cycle_selectors
from cycles.rules import SEE_CONVERSATION
from organizations.permissions import can
from organizations.tenancy import org_view

from . import guards
from . import selectors_reviews as selectors
from . import services_reviews as services
from .forms_reviews import CommentForm, ReopenForm, ReviewForm
from .outcome import band_for, weighted_score
from .rules_reviews import (
    COMMENT_AS_EMPLOYEE,
    EDIT_REVIEW,
    EMPLOYEE_SIGNABLE,
    FINALISE_AS_HR,
    FINALISE_REVIEW,
    MANAGER_SIGNABLE,
    REOPEN_REVIEW,
    SEE_DEVIATION,
    SEE_REVIEW,
    SEE_REVIEW_HISTORY,
    SHARE_REVIEW,
    SIGN_AS_EMPLOYEE,
    SIGN_AS_MANAGER,
    SIGN_REVIEW,
    START_REVIEW,
    WRITE_REVIEW,
    conversation_is_held,
)

TEMPLATE = "reviews/review_detail.html"


def get_review(request, review_id):
    """The review, when the person may see it; 404 otherwise (also a draft to its employee, a foreign id)."""
    review = get_or_404(selectors.reviews_detailed(organization=request.organization), review_id)
    if not can(request.employee, SEE_REVIEW, review):
        raise Http404
    return review


def get_for(request, review_id, role_rule):
    """The review, when the person may see it (else 404) and their role may take the step (else 403)."""
    review = get_review(request, review_id)
    if not can(request.employee, role_rule, review):
        raise PermissionDenied
    return review


def review_url(review) -> str:
    return review.get_absolute_url()


def draft_form(review, ratings, data=None):
    levels, bands = selectors.scale_and_bands(cycle=review.cycle)
    evidence = list(selectors.evidence_for(review_employee=review.employee, cycle=review.cycle))
    return ReviewForm(data, review=review, ratings=ratings, levels=levels, bands=bands, evidence=evidence)


def history_for(request, review):
    """The review's history as the viewer may read it: the person from the first share on, the others all."""
    page = request.GET.get("history")
    if request.employee.pk == review.employee_id:
        return selectors.review_history_for_employee(review=review, page=page)
    return selectors.review_history(review=review, page=page)


def _sign_waits(employee, review) -> bool:
    """``employee`` would sign now (the person or the manager who writes it) but the conversation was not held."""
    signable = EMPLOYEE_SIGNABLE if employee.pk == review.employee_id else MANAGER_SIGNABLE
    signs = employee.pk in (review.employee_id, review.manager_id)
    return signs and review.state in signable and not conversation_is_held(employee, review)


def page_context(request, review, *, form=None, comment_form=None) -> dict:
    """Everything the page shows, fetched in a fixed number of queries whatever the number of ratings."""
    ratings = selectors.ratings_for(review=review, viewer=request.employee)
    levels, bands = selectors.scale_and_bands(cycle=review.cycle)
    context = {
        "review": review,
        "person": review.employee,
        "moment": review.conversation.moment,
        "ratings": ratings,
        "levels": {level.value: level for level in levels},
        "may_see_deviation": can(request.employee, SEE_DEVIATION, review),
        # The band HR gave in calibration (reviews.guards): the deviation is HR's, its reason among the notes.
        "moved_by_hr": review.deviates and guards.kept_band_id(review) == review.band_id,
        "outcome": {"score": review.score, "computed_band": review.computed_band},
        "sign_waits": _sign_waits(request.employee, review),
    }
    if can(request.employee, EDIT_REVIEW, review):
        context["form"] = form or draft_form(review, ratings)
    if can(request.employee, COMMENT_AS_EMPLOYEE, review):
        context["comment_form"] = comment_form or CommentForm(
            initial={"comment": review.employee_comment, "disagrees": review.employee_disagrees}
        )
    if can(request.employee, SEE_REVIEW_HISTORY, review):
        context["history"] = history_for(request, review)
    if can(request.employee, SHARE_REVIEW, review):
        context["share_refused"] = guards.share_refusal(review)  # shown instead of the Share button
    # The higher apps' notes (HR's moves of the outcome) are for those who write and check it, not its person.
    context["notes"] = guards.review_notes(review) if request.employee.pk != review.employee_id else []
    context["links"] = guards.review_links(review, request.employee)
    return context


@org_view()
@require_POST
def review_start(request, conversation_id):
    """The manager starts (or opens again) the review of a conversation at a moment that produces a rating."""
    conversation = get_or_404(
        cycle_selectors.conversations_detailed(organization=request.organization), conversation_id
    )
    if not can(request.employee, SEE_CONVERSATION, conversation):
        raise Http404
    if conversation.moment.produces_rating and not can(request.employee, START_REVIEW, conversation):
        raise PermissionDenied
    try:
        review, made = services.review_start(conversation=conversation, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
        return redirect(
            reverse(
                "cycles:conversation_detail",
                kwargs={"org_slug": request.organization.slug, "conversation_id": conversation.pk},
            )
        )
    if made:
        messages.success(request, _("The review has been started: rate each expectation."))
    return redirect(review_url(review))


@org_view()
@require_http_methods(["GET", "POST"])
def review(request, review_id):
    """The review; its POST saves the draft (the manager who writes it).

    ``next=share`` (the form's "Share with the employee…" button) saves first and then asks to share, so nothing
    typed since the last save is lost on the way.
    """
    review = get_review(request, review_id)
    if request.method == "GET":
        return render(request, TEMPLATE, page_context(request, review))
    if not can(request.employee, WRITE_REVIEW, review):
        raise PermissionDenied
    form = draft_form(review, selectors.ratings_of(review=review), request.POST)
    if form.is_valid():
        try:
            services.review_save(review=review, actor=request.employee, **form.service_arguments())
        except ValidationError as error:
            review.refresh_from_db()
            if not is_about_fields(error):  # no longer a draft: say who moved it
                errors_as_messages(request, error)
                return redirect(review_url(review))
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The review has been saved."))
            if request.POST.get("next") == "share":
                return redirect(
                    reverse(
                        "reviews:review_share", kwargs={"org_slug": request.organization.slug, "review_id": review.pk}
                    )
                )
            return redirect(review_url(review))
    return render(request, TEMPLATE, page_context(request, review, form=form))


@org_view()
@require_POST
def review_outcome(request, review_id):
    """The outcome the rule gives for the levels on the form as it is now (htmx, while rating); saves nothing."""
    review = get_for(request, review_id, WRITE_REVIEW)
    ratings = list(selectors.ratings_of(review=review))
    levels, bands = selectors.scale_and_bands(cycle=review.cycle)
    given = draft_form(review, ratings, request.POST).levels_given()
    on_scale = {level.value for level in levels}
    score = weighted_score(
        (given[rating.pk] if given[rating.pk] in on_scale else None, rating.weight) for rating in ratings
    )
    outcome = {"score": score, "computed_band": band_for(score, bands)}
    return render(request, "reviews/review_outcome.html", {"review": review, "outcome": outcome, "live": True})


@org_view()
@require_POST
def review_comment(request, review_id):
    review = get_for(request, review_id, COMMENT_AS_EMPLOYEE)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.review_comment(
                review=review,
                actor=request.employee,
                comment=form.cleaned_data["comment"],
                disagrees=form.cleaned_data["disagrees"],
            )
        except ValidationError as error:
            errors_as_messages(request, error)
        else:
            messages.success(request, _("Your comment has been saved."))
        return redirect(review_url(review))
    return render(request, TEMPLATE, page_context(request, review, comment_form=form))


@org_view()
@require_POST
def review_unshare(request, review_id):
    """Take the review back to draft while nobody has signed (undone by sharing again: no confirmation)."""
    review = get_for(request, review_id, WRITE_REVIEW)
    try:
        services.review_unshare(review=review, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(
            request, _("The review is a draft again; %(name)s no longer sees it.") % {"name": review.employee.full_name}
        )
    return redirect(review_url(review))


# --- the steps that ask first -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step with its own confirmation page: who may take it, what it does, what the page says."""

    role_rule: str
    title: str
    explain: str
    button: str
    done: str
    run: object  # (review, actor, form) -> None
    state_rules: tuple = ()
    form_class: type | None = None
    danger: bool = False
    blocked: object = None  # (review) -> why the step cannot be taken yet, beyond its state, or ""
    refused: object = None  # (review) -> why a higher app refuses the step for now (reviews.guards), or None


def _sign_rule(request, review) -> str:
    return SIGN_AS_EMPLOYEE if request.employee.pk == review.employee_id else SIGN_AS_MANAGER


STEPS = {
    "share": Step(
        role_rule=WRITE_REVIEW,
        state_rules=(SHARE_REVIEW,),
        title=gettext_lazy("Share the review with %(name)s"),
        explain=gettext_lazy(
            "%(name)s will see the ratings, the evidence and the outcome, may comment and sign. You can take it "
            "back to draft only until someone has signed."
        ),
        button=gettext_lazy("Share the review"),
        done=gettext_lazy("The review has been shared with %(name)s."),
        run=lambda review, actor, form: services.review_share(review=review, actor=actor),
        refused=guards.share_refusal,
    ),
    "sign": Step(
        role_rule=SIGN_REVIEW,
        state_rules=(SIGN_AS_EMPLOYEE, SIGN_AS_MANAGER),
        title=gettext_lazy("Sign the review"),
        explain=gettext_lazy(
            "By signing you confirm that you have seen and discussed this review; it does not mean that you agree. "
            "A signature cannot be withdrawn; once both have signed, HR finalises the review."
        ),
        button=gettext_lazy("Sign: seen and discussed"),
        done=gettext_lazy("You have signed the review: seen and discussed."),
        run=lambda review, actor, form: services.review_sign(review=review, actor=actor),
        blocked=lambda review: (
            services.not_held_yet()
            if review.state in EMPLOYEE_SIGNABLE | MANAGER_SIGNABLE and not conversation_is_held(None, review)
            else ""
        ),
    ),
    "finalise": Step(
        role_rule=FINALISE_AS_HR,
        state_rules=(FINALISE_REVIEW,),
        title=gettext_lazy("Finalise the review of %(name)s"),
        explain=gettext_lazy(
            "After finalising, nobody can change the review any more; only HR can reopen it, with a reason."
        ),
        button=gettext_lazy("Finalise the review"),
        done=gettext_lazy("The review of %(name)s has been finalised."),
        run=lambda review, actor, form: services.review_finalise(review=review, actor=actor),
    ),
    "reopen": Step(
        role_rule=FINALISE_AS_HR,
        state_rules=(REOPEN_REVIEW,),
        title=gettext_lazy("Reopen the review of %(name)s"),
        explain=gettext_lazy(
            "The review goes back to draft: both signatures are removed, the manager can change it and must "
            "share it again. Your reason is kept in the history."
        ),
        button=gettext_lazy("Reopen the review"),
        done=gettext_lazy("The review of %(name)s has been reopened and is a draft again."),
        run=lambda review, actor, form: services.review_reopen(
            review=review, actor=actor, reason=form.cleaned_data["reason"]
        ),
        form_class=ReopenForm,
        danger=True,
    ),
}


def _confirm_page(request, review, step: Step, form, status=200):
    name = {"name": review.employee.full_name}
    context = {
        "review": review,
        "person": review.employee,
        "title": step.title % name,
        "explain": step.explain % name,
        "button": step.button,
        "form": form,
        "danger": step.danger,
    }
    if step is STEPS["share"]:
        # What the employee will read: the ratings as saved (the share button of the form saved them first).
        ratings = selectors.ratings_for(review=review, viewer=request.employee)
        levels, _bands = selectors.scale_and_bands(cycle=review.cycle)
        context["shared_ratings"] = ratings
        context["levels"] = {level.value: level for level in levels}
        context["still_open"] = [rating for rating in ratings if services.is_incomplete(rating)]
    # Whoever signs after the employee, and HR finalising, read whether the person disagrees (and their comment).
    context["may_finalise_note"] = step is STEPS["finalise"] or (
        step is STEPS["sign"] and request.employee.pk != review.employee_id
    )
    return render(request, "reviews/review_confirm.html", context, status=status)


def _take_step(request, review_id, name):
    step = STEPS[name]
    review = get_for(request, review_id, step.role_rule)
    if request.method == "GET":
        if not any(can(request.employee, rule, review) for rule in step.state_rules):
            why = step.blocked(review) if step.blocked else ""
            messages.error(
                request, why or _("This step is not possible in the review's present state; here it is as it is now.")
            )
            return redirect(review_url(review))
        if step.refused and (why := step.refused(review)):
            messages.error(request, why)
            return redirect(review_url(review))
        form = step.form_class() if step.form_class else None
        return _confirm_page(request, review, step, form)
    form = step.form_class(request.POST) if step.form_class else None
    if request.POST.get("confirm") != "yes" or (form is not None and not form.is_valid()):
        return _confirm_page(request, review, step, form)
    try:
        step.run(review, request.employee, form)
    except ValidationError as error:
        if form is not None and is_about_fields(error):
            errors_onto_form(form, error)
            return _confirm_page(request, review, step, form)
        errors_as_messages(request, error)
    else:
        messages.success(request, step.done % {"name": review.employee.full_name})
    return redirect(review_url(review))


def _step_view(name):
    def view(request, review_id):
        return _take_step(request, review_id, name)

    view.__name__ = view.__qualname__ = f"review_{name}"
    view.__doc__ = f"The {name} step: a confirmation page (GET), then the step (POST with confirm=yes)."
    return org_view()(require_http_methods(["GET", "POST"])(view))


review_share = _step_view("share")
review_sign = _step_view("sign")
review_finalise = _step_view("finalise")
review_reopen = _step_view("reopen")
