"""HR's overdue list: follow up each overdue conversation, or remind every manager of a list at once.

Thin views like views_cycles: selectors_overdue reads, services.nudges writes and refuses with a message
(never a 500). Every page is HR's (cycles.rules.MANAGE_CYCLES). Each row's button shows exactly when
``services.nudges.refusal`` lets its POST through; a POST that is refused anyway (two tabs, a conversation
held meanwhile) comes back as a message. Everything works without JavaScript: the buttons are plain forms and
the redirect lands back on the row.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.confirm import confirm_page, confirmed
from core.forms import errors_as_messages
from core.urls import get_or_404
from organizations.tenancy import org_view

from . import selectors, selectors_overdue
from .models import Cycle
from .rules import MANAGE_CYCLES
from .services import nudges


class ListForm(forms.Form):
    """Which moment's overdue conversations (none: the whole cycle) and which page; anything unknown is ignored."""

    moment = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    page = forms.IntegerField(required=False, min_value=1, max_value=10**6)

    def value(self, name):
        """The field's value, or None when it is missing or bad (a bad page keeps a good moment, and back)."""
        self.is_valid()
        return self.cleaned_data.get(name)


def get_cycle(request, cycle_id) -> Cycle:
    return get_or_404(selectors.cycles_detailed(organization=request.organization), cycle_id)


def chosen_moment(cycle: Cycle, moment_id):
    """The cycle's moment ``moment_id`` (prefetched with the cycle), or None: the whole cycle."""
    return next((moment for moment in cycle.moments.all() if moment.pk == moment_id), None)


def list_url(request, cycle: Cycle, moment=None, page=None) -> str:
    url = reverse("cycles:overdue_list", kwargs={"org_slug": request.organization.slug, "cycle_id": cycle.pk})
    query = {key: value for key, value in (("moment", moment.pk if moment else None), ("page", page)) if value}
    return f"{url}?{urlencode(query)}" if query else url


def prepare_rows(request, cycle: Cycle, rows) -> None:
    """Give each row of a page of selectors_overdue.overdue_page its links and, when it may not be reminded,
    why (``refusal``). No queries: the rows carry what ``refusal`` reads."""
    slug = request.organization.slug
    today = timezone.localdate()
    closed = nudges.cycle_refusal(cycle)
    for row in rows:
        row.url = reverse("cycles:conversation_detail", kwargs={"org_slug": slug, "conversation_id": row.pk})
        row.person_url = reverse(
            "organizations:person_detail", kwargs={"org_slug": slug, "employee_id": row.employee_id}
        )
        row.remind_url = reverse("cycles:overdue_remind", kwargs={"org_slug": slug, "conversation_id": row.pk})
        reminded = row.last_nudge if row.reminded_today else None
        row.refusal = closed or nudges.refusal(row, today=today, reminded_today=reminded)
        row.needs_contact = (
            row.refusal is not None
            and row.employee.is_active
            and not (row.employee.manager and row.employee.manager.is_active)
        )


@org_view(MANAGE_CYCLES)
@require_GET
def overdue_list(request, cycle_id):
    """The cycle's overdue conversations, or one moment's (``?moment=``), 50 a page (``?page=``), each with its
    manager, days overdue, the latest reminder and a button to remind the manager; and "remind all" with counts."""
    cycle = get_cycle(request, cycle_id)
    form = ListForm(request.GET)
    moment = chosen_moment(cycle, form.value("moment"))
    today = timezone.localdate()
    counts = selectors_overdue.overdue_counts(cycle=cycle, today=today)
    total = counts.get(moment.pk, 0) if moment else sum(counts.values())
    shown = selectors_overdue.overdue_page(cycle=cycle, moment=moment, page=form.value("page"), count=total)
    prepare_rows(request, cycle, shown.object_list)
    closed = nudges.cycle_refusal(cycle)
    preview = (
        selectors_overdue.remind_all_preview(cycle=cycle, today=today, moment=moment) if total and not closed else None
    )
    here = list_url(request, cycle, moment, shown.number if shown.number > 1 else None)
    context = {
        "cycle": cycle,
        "moment": moment,
        "filters": [
            {
                "label": _("All moments"),
                "count": sum(counts.values()),
                "url": list_url(request, cycle),
                "current": moment is None,
            }
        ]
        + [
            {
                "label": item.local_name,
                "count": counts.get(item.pk, 0),
                "url": list_url(request, cycle, item),
                "current": moment is not None and item.pk == moment.pk,
            }
            for item in cycle.moments.all()
            if counts.get(item.pk) or (moment is not None and item.pk == moment.pk)
        ],
        "overdue": shown,
        "overdue_previous": list_url(request, cycle, moment, shown.previous_page_number())
        if shown.has_previous()
        else None,
        "overdue_next": list_url(request, cycle, moment, shown.next_page_number()) if shown.has_next() else None,
        "closed": closed,
        "preview": preview,
        "remind_all_summary": remind_all_summary(preview) if preview and preview.conversations else "",
        "remind_all_url": reverse(
            "cycles:overdue_remind_all", kwargs={"org_slug": request.organization.slug, "cycle_id": cycle.pk}
        )
        + (f"?{urlencode({'moment': moment.pk})}" if moment else ""),
        "here": here,
    }
    return render(request, "cycles/overdue_list.html", context)


def _back(request, fallback: str) -> str:
    """Where a reminder's form came from (its ``next``: a page of this organisation), else ``fallback``."""
    target = request.POST.get("next", "")
    prefix = f"/o/{request.organization.slug}/"
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if safe and target.startswith(prefix) else fallback


@org_view(MANAGE_CYCLES)
@require_POST
def overdue_remind(request, conversation_id):
    """Remind the manager of one overdue conversation; back to the list (or the page it came from), at the row."""
    conversation = get_or_404(selectors.conversations_detailed(organization=request.organization), conversation_id)
    back = _back(request, list_url(request, conversation.moment.cycle))
    try:
        nudge = nudges.overdue_remind(conversation=conversation, actor=request.employee)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        messages.success(
            request,
            _("%(manager)s gets a reminder about the conversation with %(name)s within a few minutes.")
            % {"manager": nudge.manager.full_name, "name": conversation.employee.full_name},
        )
    return redirect(f"{back.split('#')[0]}#row-{conversation.pk}")


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def overdue_remind_all(request, cycle_id):
    """Remind every manager of the cycle's (``?moment=``: one moment's) overdue conversations, one email each,
    after a page saying how many managers and conversations, and which are left out and why."""
    cycle = get_cycle(request, cycle_id)
    moment = chosen_moment(cycle, ListForm(request.GET).value("moment"))
    back = list_url(request, cycle, moment)
    reason = nudges.cycle_refusal(cycle)
    if reason:
        messages.error(request, reason)
        return redirect(back)
    if not confirmed(request):
        return remind_all_page(request, cycle, moment, back)
    try:
        done = nudges.overdue_remind_all(cycle=cycle, actor=request.employee, moment=moment)
    except ValidationError as error:
        errors_as_messages(request, error)
    else:
        names = {"managers": done.managers, "count": done.conversations}
        names["conversations"] = (
            ngettext("%(count)d overdue conversation", "%(count)d overdue conversations", done.conversations) % names
        )
        messages.success(
            request,
            ngettext(
                "%(managers)d manager gets a reminder about %(conversations)s within a few minutes.",
                "%(managers)d managers get a reminder about %(conversations)s within a few minutes.",
                done.managers,
            )
            % names,
        )
    return redirect(back)


def remind_all_summary(preview) -> str:
    """The sentence saying what "remind all" sends: "3 managers each get one email listing their part of …"."""
    conversations = ngettext(
        "%(count)d overdue conversation", "%(count)d overdue conversations", preview.conversations
    ) % {"count": preview.conversations}
    return ngettext(
        "%(managers)d manager gets one email listing %(conversations)s.",
        "%(managers)d managers each get one email listing their part of %(conversations)s.",
        preview.managers,
    ) % {"managers": preview.managers, "conversations": conversations}


def remind_all_page(request, cycle: Cycle, moment, back: str):
    """The confirmation of overdue_remind_all with its counts, or back to the list when there is nobody to remind."""
    today = timezone.localdate()
    preview = selectors_overdue.remind_all_preview(cycle=cycle, today=today, moment=moment)
    if not preview.conversations:
        messages.error(request, nudges.nobody_left())
        return redirect(back)
    points = [
        remind_all_summary(preview),
        _("Each of those conversations then shows that you reminded the manager today; the audit trail records it."),
    ]
    if preview.reminded_today:
        points.append(
            ngettext(
                "%(count)d conversation was already reminded today and is left out.",
                "%(count)d conversations were already reminded today and are left out.",
                preview.reminded_today,
            )
            % {"count": preview.reminded_today}
        )
    if preview.without_manager:
        points.append(
            ngettext(
                "%(count)d person has no active manager and is left out: contact them yourself (they stay on the "
                "list).",
                "%(count)d people have no active manager and are left out: contact them yourself (they stay on the "
                "list).",
                preview.without_manager,
            )
            % {"count": preview.without_manager}
        )
    if preview.deactivated:
        points.append(
            ngettext(
                "%(count)d conversation belongs to someone who has been deactivated and is left out.",
                "%(count)d conversations belong to people who have been deactivated and are left out.",
                preview.deactivated,
            )
            % {"count": preview.deactivated}
        )
    what = {"cycle": cycle.name, "moment": moment.local_name if moment else ""}
    title = (
        _("Remind the managers of overdue conversations: %(moment)s") % what
        if moment
        else _("Remind the managers of overdue conversations: cycle %(cycle)s") % what
    )
    return confirm_page(
        request,
        title=title,
        points=points,
        button=ngettext("Remind %(count)d manager", "Remind these %(count)d managers", preview.managers)
        % {"count": preview.managers},
        back=back,
        back_label=_("Back to the overdue list"),
        names=[
            manager.full_name
            for manager in selectors_overdue.managers_to_remind(cycle=cycle, today=today, moment=moment)
        ],
        names_total=preview.managers,
        names_heading=_("Who gets a reminder"),
        danger=False,
    )
