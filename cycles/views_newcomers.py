"""Adding newcomers to an active cycle: all of them (from the cycle page or after an import) or one person (from
their page), after a page saying how many conversations that creates for whom, and which moments are skipped
because their window has closed (cycles.newcomers says why).

``?person=<id>`` narrows the step to one person; the confirmation posts back to the same address, so it keeps it.
Without JavaScript: the buttons that lead here are plain POST forms, and the step is taken only on ``confirm=yes``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.confirm import NAMES_SHOWN, confirm_page, confirmed
from core.forms import errors_as_messages
from core.urls import get_or_404
from organizations.models import Employee
from organizations.permissions import can
from organizations.tenancy import org_view

from . import newcomers, selectors
from .rules import ADD_NEWCOMERS, MANAGE_CYCLES
from .selectors_reminders import HIDDEN_ANCHORS


def join_and(words) -> str:
    """``words`` as a list in a sentence: "A", "A and B", "A, B and C" (the last two joined by the translated "and")."""
    return get_text_list([str(word) for word in words], _("and"))


def moment_names(moments) -> str:
    return join_and(moment.local_name for moment in moments)


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def newcomers_add(request, cycle_id):
    cycle = get_or_404(selectors.cycles_detailed(organization=request.organization), cycle_id)
    asked = request.GET.get("person")
    person = None
    if asked is not None:
        person = get_or_404(Employee.objects.filter(organization=request.organization), asked)
    back = person.get_absolute_url() if person else cycle.get_absolute_url()
    if not can(request.employee, ADD_NEWCOMERS, cycle):
        messages.error(request, _("Newcomers are added to an active cycle only; this one is not active."))
        return redirect(back)
    offer = newcomers.cycle_offer(cycle=cycle, person=person, names=NAMES_SHOWN)
    names = {"name": cycle.name, "person": person.full_name if person else ""}
    if not offer.people:
        if person:
            refusal = _(
                "%(person)s is not a newcomer of %(name)s: they have conversations in it already, or are not in "
                "its scope."
            )
        else:
            refusal = _("Everyone in this cycle's scope already has their conversations.")
        messages.error(request, refusal % names)
        return redirect(back)
    if not confirmed(request):
        if not offer.opening:
            # The service's refusal, at the first click already (the pages do not offer the button then).
            messages.error(
                request,
                _(
                    "Every window of this cycle has closed: new conversations would be overdue at once, so none "
                    "are added."
                ),
            )
            return redirect(back)
        return confirmation(request, offer, names, back)
    try:
        created = newcomers.newcomers_add(cycle=cycle, person=person)
    except ValidationError as error:
        errors_as_messages(request, error)
        return redirect(back)
    count = ngettext("%(count)d conversation was created.", "%(count)d conversations were created.", created) % {
        "count": created
    }
    if person:
        messages.success(request, _("%(person)s has been added to %(name)s. %(count)s") % {**names, "count": count})
    else:
        messages.success(request, _("Newcomers added: %(count)s") % {"count": count})
    return redirect(back)


def each_gets(offer) -> str:
    """What each newcomer gets: said of the person by name when the step is for one person (or finds one newcomer),
    of everyone otherwise."""
    moments = {"moments": moment_names(offer.opening)}
    one = offer.names[0] if offer.people == 1 and offer.names else None
    person = offer.person.full_name if offer.person is not None else one
    if person:
        return ngettext(
            "%(person)s gets one conversation for the moment whose window has not closed: %(moments)s.",
            "%(person)s gets one conversation for each moment whose window has not closed: %(moments)s.",
            len(offer.opening),
        ) % {**moments, "person": person}
    return (
        ngettext(
            "Each gets one conversation for the moment whose window has not closed: %(moments)s.",
            "Each gets one conversation for each moment whose window has not closed: %(moments)s.",
            len(offer.opening),
        )
        % moments
    )


def confirmation(request, offer, names, back):
    """What newcomers.newcomers_add would do: the conversations, the moments, those skipped, the reminders."""
    people = ngettext("%(count)d person", "%(count)d people", offer.people) % {"count": offer.people}
    points = [
        ngettext(
            "This creates %(count)d conversation for %(people)s.",
            "This creates %(count)d conversations for %(people)s.",
            offer.conversations,
        )
        % {"count": offer.conversations, "people": people},
        each_gets(offer),
    ]
    if offer.skipped:
        points.append(
            ngettext(
                "No conversation is created for %(moments)s: its window has closed, so it would be overdue at once.",
                "No conversations are created for %(moments)s: their windows have closed, so they would be overdue "
                "at once.",
                len(offer.skipped),
            )
            % {"moments": moment_names(offer.skipped)}
        )
    rules = offer.cycle.reminder_rules.filter(enabled=True).exclude(anchor__in=HIDDEN_ANCHORS).count()
    if rules:
        points.append(
            ngettext(
                "Reminders are planned by the cycle's %(count)d reminder rule.",
                "Reminders are planned by the cycle's %(count)d reminder rules.",
                rules,
            )
            % {"count": rules}
        )
    else:
        points.append(_("The cycle has no reminder rules switched on, so no reminders are planned."))
    person = offer.person
    return confirm_page(
        request,
        title=(_("Add %(person)s to %(name)s") if person else _("Add the newcomers to %(name)s")) % names,
        points=points,
        button=(_("Add %(person)s") if person else _("Add the newcomers")) % names,
        back=back,
        back_label=(_("Back to %(name)s") % {"name": person.full_name}) if person else _("Back to the cycle"),
        names=offer.names,
        names_total=offer.people,
        names_heading=_("Who gets conversations"),
        danger=False,
    )
