"""The conversation sheet's sections (panels on cycles' conversation page) and the self-reflection page.

The conversation page stays cycles' (``cycles:conversation_detail``); reviews adds
its sections through cycles.extensions (registered by reviews/hooks.py): the
guide for the moment kind, the expectations that apply, the observations
since the previous conversation, the self-reflection, the previous
conversation's agreements and, for a moment that produces a rating, the review.
Each panel decides who sees what with reviews.rules_sheet and costs a fixed
number of queries.

The self-reflection page (``reviews:reflection``) is the person's: they write it
(draft or submit) while the conversation is open. Their manager may open it to
read what was submitted (before that: "not yet submitted"); HR and the manager
get 403 for a POST, HR also for a GET (HR sees only whether it was submitted, on
the sheet); anyone who may not see the conversation gets 404. A moment that does
not ask for a self-reflection answers 200 with a message saying so, and a POST to
it saves nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import errors_as_messages, errors_onto_form, is_about_fields
from cycles.views_conversations import get_conversation
from organizations.permissions import can
from organizations.tenancy import org_view

from . import selectors_sheet as selectors
from .forms_sheet import SUBMIT, ReflectionForm
from .guides import guide_for
from .rules_reviews import SEE_REVIEW, START_REVIEW
from .rules_sheet import (
    EDIT_REFLECTION,
    READ_MANAGER_GUIDE,
    READ_REFLECTION,
    SEE_HELD_OBSERVATIONS,
    SEE_REFLECTION_STATUS,
    WRITE_REFLECTION,
)
from .services_sheet import answers_of, questions_for, reflection_save

# --- the panels on the conversation page ---------------------------------------------------------


def guide_panel(request, conversation):
    """The manager's guide for the moment kind (manager, HR); the person sees what the conversation is not for."""
    manager_view = can(request.employee, READ_MANAGER_GUIDE, conversation)
    return "reviews/sheet_guide.html", {
        "guide": guide_for(conversation.moment.kind),
        "manager_view": manager_view,
    }


def expectations_panel(request, conversation):
    """The published expectations that apply to the person: title, observable behaviour, weight."""
    return "reviews/sheet_expectations.html", {"expectations": selectors.sheet_expectations(conversation=conversation)}


def observations_panel(request, conversation):
    """The observations since the previous held conversation: the person sees those visible to them; the manager
    and HR all of them, those held for a conversation marked. The newest 50, with a link to the full list."""
    all_of_them = can(request.employee, SEE_HELD_OBSERVATIONS, conversation)
    return "reviews/sheet_observations.html", {
        "observations": selectors.sheet_observations(conversation=conversation, all_of_them=all_of_them),
        # The full list: the person's "What was seen", or the observations of the person for the others.
        "is_person": conversation.employee_id == request.employee.pk,
    }


def reflection_panel(request, conversation):
    """The self-reflection, when the moment asks for one: the person's link to write it, the manager's reading of
    it once submitted, HR's "submitted or not"."""
    if not conversation.moment.asks_reflection or not can(request.employee, SEE_REFLECTION_STATUS, conversation):
        return None
    reflection = selectors.reflection_of(conversation=conversation)
    submitted = reflection is not None and reflection.submitted_at is not None
    is_person = can(request.employee, WRITE_REFLECTION, conversation)
    return "reviews/sheet_reflection.html", {
        "reflection": reflection,
        "submitted": submitted,
        "is_person": is_person,
        "may_edit": can(request.employee, EDIT_REFLECTION, conversation),
        # The answers: the person always reads their own; the manager only what was submitted.
        "show_answers": is_person or (submitted and can(request.employee, READ_REFLECTION, conversation)),
    }


def previous_panel(request, conversation):
    """The agreements of the person's previous held conversation."""
    return "reviews/sheet_previous.html", {"previous": selectors.previous_held(conversation=conversation)}


def review_panel(request, conversation):
    """For a moment that produces a rating: the review (a link, for whoever may see it), or the button to start it
    (reviews.rules_reviews decides both)."""
    if not conversation.moment.produces_rating:
        return None
    review = selectors.review_of(conversation=conversation)
    return "reviews/sheet_review.html", {
        "review": review,
        "may_open": review is not None and can(request.employee, SEE_REVIEW, review),
        "may_start": review is None and can(request.employee, START_REVIEW, conversation),
    }


# --- the self-reflection page --------------------------------------------------------------------

TEMPLATE = "reviews/reflection.html"


def reflection_url(request, conversation) -> str:
    return reverse(
        "reviews:reflection", kwargs={"org_slug": request.organization.slug, "conversation_id": conversation.pk}
    )


def conversation_url(request, conversation) -> str:
    return reverse(
        "cycles:conversation_detail", kwargs={"org_slug": request.organization.slug, "conversation_id": conversation.pk}
    )


@org_view()
@require_http_methods(["GET", "POST"])
def reflection(request, conversation_id):
    conversation = get_conversation(request, conversation_id)  # 404 for whoever may not see the conversation
    if can(request.employee, WRITE_REFLECTION, conversation):
        return _write(request, conversation)
    if request.method == "GET" and can(request.employee, READ_REFLECTION, conversation):
        return _read(request, conversation)
    raise PermissionDenied


def _read(request, conversation):
    """The manager's reading: the submitted answers, or "not yet submitted" (a draft shows nothing of itself)."""
    reflection = selectors.reflection_of(conversation=conversation)
    submitted = reflection if reflection is not None and reflection.submitted_at else None
    context = {"conversation": conversation, "moment": conversation.moment, "person": conversation.employee}
    return render(request, TEMPLATE, {**context, "reader": True, "reflection": submitted})


def _write(request, conversation):
    moment = conversation.moment
    reflection = selectors.reflection_of(conversation=conversation)
    questions = questions_for(conversation=conversation, reflection=reflection) if moment.asks_reflection else []
    may_edit = bool(questions) and can(request.employee, EDIT_REFLECTION, conversation)
    form = ReflectionForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        initial=ReflectionForm.initial_for(answers_of(reflection)),
    )
    if request.method == "POST":
        if not may_edit:
            # The page offered no form (not asked, no questions, or the conversation is over): nothing is saved.
            messages.error(request, _("This self-reflection cannot be changed (any more)."))
            return redirect(reflection_url(request, conversation))
        if form.is_valid():
            submit = request.POST.get("action") == SUBMIT or (reflection is not None and bool(reflection.submitted_at))
            try:
                reflection_save(
                    conversation=conversation, employee=request.employee, **form.service_arguments(submit=submit)
                )
            except ValidationError as error:
                if not is_about_fields(error):
                    errors_as_messages(request, error)
                    return redirect(reflection_url(request, conversation))
                errors_onto_form(form, error)
            else:
                if submit:
                    messages.success(
                        request, _("Your self-reflection has been submitted: your manager can read it now.")
                    )
                    return redirect(conversation_url(request, conversation))
                messages.success(request, _("Your draft has been saved. Your manager sees it once you submit it."))
                return redirect(reflection_url(request, conversation))
    return render(
        request,
        TEMPLATE,
        {
            "conversation": conversation,
            "moment": moment,
            "person": conversation.employee,
            "reader": False,
            "reflection": reflection,
            "questions": questions,
            "form": form,
            "may_edit": may_edit,
        },
    )
