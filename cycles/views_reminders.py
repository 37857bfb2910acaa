"""HR's reminder page per cycle: the rules (add, change, remove) and what was sent, is planned, failed or was missed.

Thin views, like views_cycles: a form parses the input, one service writes
(cycles.services: the rules' from cycles.planning, a resend from cycles.dispatch) and its
ValidationError comes back as field errors, never a 500; selectors read. A rule
or a reminder is looked up within the cycle of the address, and the cycle
within the organisation, so an id of another cycle or organisation is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.confirm import confirm_page, confirmed
from core.forms import errors_as_messages, errors_onto_form
from core.urls import get_or_404
from organizations.tenancy import org_view

from . import anchors, previews, selectors, services
from .forms_reminders import ReminderLogForm, ReminderRuleForm
from .models import Cycle, Reminder, ReminderAnchor, ReminderRule
from .rules import MANAGE_CYCLES, NOT_CLOSED, RESENDABLE
from .views_cycles import get_cycle

TEMPLATE = "cycles/reminders.html"
RULE_TEMPLATE = "cycles/reminder_rule_form.html"


def get_rule(cycle: Cycle, rule_id) -> ReminderRule:
    """One of the cycle's rules (another cycle's is a 404)."""
    return get_or_404(selectors.reminder_rules(cycle=cycle), rule_id)


def get_reminder(cycle: Cycle, reminder_id) -> Reminder:
    """One of the cycle's reminders (another cycle's is a 404)."""
    return get_or_404(selectors.reminders_detailed(cycle=cycle), reminder_id)


def reminders_url(cycle: Cycle, status: str | None = None) -> str:
    url = reverse("cycles:reminders", kwargs={"org_slug": cycle.organization.slug, "cycle_id": cycle.pk})
    return f"{url}?{urlencode({'status': status})}" if status else url


def timing(rule: ReminderRule) -> str:
    """The rule's offset in words: "2 days before", "on the day", or the digest's weekday."""
    if rule.anchor == ReminderAnchor.OVERDUE_WEEKLY:
        weekday = WEEKDAYS.get(rule.offset_days, rule.offset_days)
        return _("Every %(weekday)s") % {"weekday": weekday}
    if rule.anchor == ReminderAnchor.REQUEST_MADE:
        return _("As soon as it is made")
    days = abs(rule.offset_days)
    if rule.offset_days < 0:
        return ngettext("%(count)d day before", "%(count)d days before", days) % {"count": days}
    if rule.offset_days > 0:
        return ngettext("%(count)d day after", "%(count)d days after", days) % {"count": days}
    return _("On the day")


@org_view(MANAGE_CYCLES)
@require_GET
def reminders(request, cycle_id):
    """The rules and one status tab of the log; with htmx (a tab or page link) only the log."""
    cycle = get_cycle(request, cycle_id)
    status = ReminderLogForm(request.GET).status_or_default()
    counts = selectors.reminder_counts(cycle=cycle)
    log = selectors.reminder_log(cycle=cycle, status=status, page=request.GET.get("page"))
    # What the reminders of a higher app's anchors are about (an observation request): that app says, per page.
    about = anchors.about(log.rows)
    for row in log.rows:
        row.about = about.get(row.pk)
    context = {
        "cycle": cycle,
        "rules": [(rule, timing(rule)) for rule in selectors.reminder_rules(cycle=cycle)],
        "log": log,
        "counts": counts,
        "tabs": [
            {"status": tab, "label": tab.label, "count": counts[tab], "url": reminders_url(cycle, tab)}
            for tab in selectors.REMINDER_LOG_STATUSES
        ],
        # Whether this tab's rows take a resend; each row asks cycles.rules itself.
        "resend_column": status in RESENDABLE,
    }
    template = f"{TEMPLATE}#log" if request.htmx and not request.htmx.boosted else TEMPLATE
    return render(request, template, context)


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def reminder_rule_create(request, cycle_id):
    cycle = get_cycle(request, cycle_id)
    form = ReminderRuleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_rule_save(cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The reminder rule has been added."))
            return redirect(reminders_url(cycle))
    return render(request, RULE_TEMPLATE, {"form": form, "cycle": cycle, "rule": None})


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def reminder_rule_edit(request, cycle_id, rule_id):
    cycle = get_cycle(request, cycle_id)
    rule = get_rule(cycle, rule_id)
    data = request.POST if request.method == "POST" else None
    form = ReminderRuleForm(data, initial=ReminderRuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_rule_save(cycle=cycle, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
            rule = get_rule(cycle, rule_id)  # the service set the fields before refusing; show what is stored
        else:
            messages.success(request, _("The reminder rule has been saved; its unsent reminders follow it."))
            return redirect(reminders_url(cycle))
    return render(request, RULE_TEMPLATE, {"form": form, "cycle": cycle, "rule": rule})


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def reminder_rule_delete(request, cycle_id, rule_id):
    """Remove a rule with its planned reminders, after a page saying how many (a rule that sent some is kept, off)."""
    cycle = get_cycle(request, cycle_id)
    rule = get_rule(cycle, rule_id)
    if not confirmed(request):
        return rule_delete_page(request, cycle, rule)
    try:
        services.reminder_rule_delete(rule=rule)
    except ValidationError as error:
        errors_as_messages(request, error)
        return redirect(reminders_url(cycle))
    if not selectors.reminder_rules(cycle=cycle).filter(pk=rule.pk).exists():
        messages.success(request, _("The reminder rule has been removed."))
    else:
        # A rule with history is kept, switched off, so the log can still say which rule sent what.
        messages.success(request, _("The reminder rule has been switched off; the reminders it sent stay in the log."))
    return redirect(reminders_url(cycle))


def rule_delete_page(request, cycle, rule):
    """What cycles.planning.reminder_rule_delete does to ``rule``, with the number of planned reminders it removes."""
    if cycle.status not in NOT_CLOSED:
        messages.error(request, _("This cycle is closed."))
        return redirect(reminders_url(cycle))
    planned, kept = previews.planned_reminders(rule=rule)
    what = {"anchor": rule.get_anchor_display(), "timing": timing(rule), "count": planned}
    if planned:
        points = [
            ngettext(
                "%(count)d planned reminder of this rule is removed and will not be sent.",
                "%(count)d planned reminders of this rule are removed and will not be sent.",
                planned,
            )
            % what
        ]
    else:
        points = [_("This rule has no planned reminders.")]
    if kept:
        points.append(_("The rule has sent reminders, so it is switched off rather than removed: the log keeps them."))
    points.append(_("No reminders are planned by it again; to remind people this way later, add a new rule."))
    return confirm_page(
        request,
        title=_("Remove the reminder rule “%(anchor)s, %(timing)s”") % what,
        points=points,
        button=_("Remove the rule"),
        back=reminders_url(cycle),
        back_label=_("Back to the reminders"),
    )


@org_view(MANAGE_CYCLES)
@require_POST
def reminder_resend(request, cycle_id, reminder_id):
    cycle = get_cycle(request, cycle_id)
    reminder = get_reminder(cycle, reminder_id)
    if services.reminder_resend(reminder=reminder):
        messages.success(
            request,
            _("The reminder to %(name)s is planned again and goes out within a few minutes.")
            % {"name": reminder.recipient.full_name},
        )
    else:
        messages.error(request, _("This reminder has not failed and was not missed, so it was not sent again."))
    back = reminder.status if reminder.status in selectors.REMINDER_LOG_STATUSES else None
    return redirect(reminders_url(cycle, back))
