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
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.confirm import confirm_page, confirmed
from core.forms import errors_as_messages
from core.urls import get_or_404
from organizations.tenancy import org_view

from . import anchors, previews, services
from . import selectors_reminders as selectors
from .forms_reminders import ReminderLogForm, ReminderRuleForm
from .models import Cycle, CycleStatus, Reminder, ReminderAnchor, ReminderRule, ReminderStatus
from .rule_preview import description, digest_about, rule_previews
from .rules import MANAGE_CYCLES, NOT_CLOSED, RESENDABLE

TEMPLATE = "cycles/reminders.html"
RULE_TEMPLATE = "cycles/reminder_rule_form.html"


def get_cycle(request, cycle_id) -> Cycle:
    """One of the organisation's cycles, with its moments (what the previews of its rules read)."""
    return get_or_404(selectors.reminder_cycles(organization=request.organization), cycle_id)


def get_rule(cycle: Cycle, rule_id) -> ReminderRule:
    """One of the cycle's rules (another cycle's is a 404)."""
    return get_or_404(selectors.reminder_rules(cycle=cycle), rule_id)


def get_reminder(cycle: Cycle, reminder_id) -> Reminder:
    """One of the cycle's reminders (another cycle's is a 404)."""
    return get_or_404(selectors.reminders_detailed(cycle=cycle), reminder_id)


def previews_of(cycle: Cycle, rules, overview: selectors.ReminderOverview):
    """What each of ``rules`` sends next (cycles.rule_preview): from the planned rows once the cycle is active."""
    return rule_previews(cycle=cycle, rules=rules, overview=overview if cycle.status == CycleStatus.ACTIVE else None)


def describe(cycle: Cycle, rows) -> None:
    """Give each reminder of the log ``about`` (what it is about), ``anchor_label`` (its kind) and its times, in words.

    Worked out once per page rather than per row in the template: a row's choice label (get_FOO_display) and
    nested look-ups cost more there than the page's queries. The moments' names come from the cycle's
    moments (prefetched): the log does not join them.
    """
    # What the reminders of a higher app's anchors are about (an observation request): that app says, per page.
    described = anchors.about(rows)
    labels = {anchor.value: str(anchor.label) for anchor in ReminderAnchor}
    names = {moment.pk: moment.local_name for moment in cycle.moments.all()}
    for row in rows:
        row.anchor_label = labels.get(row.rule.anchor, row.rule.anchor)
        row.about = described.get(row.pk) or about(row, names)
        row.due_text = when(row.due_at)
        # A planned reminder that failed before waits for its next try (cycles.dispatch pushes next_try_at out).
        retried = row.status == ReminderStatus.PLANNED and row.next_try_at != row.due_at
        row.next_try_text = when(row.next_try_at) if retried else ""
        row.sent_text = when(row.sent_at) if row.sent_at else ""
        # Stored untranslated (cycles.dispatch, cycles.wanted: gettext_noop), translated when shown; an error
        # the mail server wrote is shown as it came.
        row.reason = _(row.last_error) if row.last_error else "—"


def when(moment) -> str:
    """A stored time as the page shows it: its date and time in the organisation's zone (the door activated it), in
    Helder's one style for a date with a time (DATETIME_FORMAT, config.formats: "1 December 2026, 09:00")."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def about(reminder: Reminder, names: dict[int, str]) -> str:
    """What a reminder of cycles' own anchors is about: a conversation, a moment (``names``: the cycle's moments'
    names by id) or a week of the digest."""
    if reminder.conversation_id is not None:
        conversation = reminder.conversation
        return _("%(name)s with %(person)s") % {
            "name": names.get(conversation.moment_id, ""),
            "person": conversation.employee.full_name,
        }
    if reminder.moment_id is not None:
        return names.get(reminder.moment_id, "")
    if reminder.occasion is not None:
        return digest_about(reminder.occasion)
    return "—"


def reminders_url(cycle: Cycle, status: str | None = None) -> str:
    url = reverse("cycles:reminders", kwargs={"org_slug": cycle.organization.slug, "cycle_id": cycle.pk})
    return f"{url}?{urlencode({'status': status})}" if status else url


@org_view(MANAGE_CYCLES)
@require_GET
def reminders(request, cycle_id):
    """The rules and one status tab of the log; with htmx (a tab or page link) only the log.

    Opened plainly (no tab chosen), the page shows the rules, their previews and the tabs with their counts at once,
    and the log's first tab loads just after it (htmx, the same address with ``?status=planned``); without
    JavaScript the tabs lead to the page with that tab's log in it. A tab chosen (``status`` or ``page`` in the
    address: a link followed without JavaScript, a reload, the way back after a resend) shows its log in the page.
    """
    cycle = get_cycle(request, cycle_id)
    status = ReminderLogForm(request.GET).status_or_default()
    overview = selectors.reminder_overview(cycle=cycle)
    counts = overview.counts
    partial = request.htmx and not request.htmx.boosted
    log = None
    if partial or "status" in request.GET or "page" in request.GET:
        log = selectors.reminder_log(cycle=cycle, status=status, page=request.GET.get("page"))
        describe(cycle, log.rows)
    rules = [] if partial else list(selectors.reminder_rules(cycle=cycle))
    context = {
        "cycle": cycle,
        # Each rule with what it sends next (cycles.rule_preview): the rules table and the previews read these.
        "previews": previews_of(cycle, rules, overview),
        "log": log,
        "log_url": reminders_url(cycle, status),
        "counts": counts,
        "tabs": [
            {"status": tab, "label": tab.label, "count": counts[tab], "url": reminders_url(cycle, tab)}
            for tab in selectors.REMINDER_LOG_STATUSES
        ],
        "status": status,
        # Whether this tab's rows take a resend; each row asks cycles.rules itself.
        "resend_column": status in RESENDABLE,
    }
    template = f"{TEMPLATE}#log" if partial else TEMPLATE
    return render(request, template, context)


@org_view(MANAGE_CYCLES)
@require_http_methods(["GET", "POST"])
def reminder_rule_create(request, cycle_id):
    cycle = get_cycle(request, cycle_id)
    form = ReminderRuleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_rule_save(cycle=cycle, **form.rule_fields())
        except ValidationError as error:
            form.add_service_error(error)
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
    form = ReminderRuleForm(data, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_rule_save(cycle=cycle, rule=rule, **form.rule_fields())
        except ValidationError as error:
            form.add_service_error(error)
            rule = get_rule(cycle, rule_id)  # the service set the fields before refusing; show what is stored
        else:
            messages.success(request, _("The reminder rule has been saved; its unsent reminders follow it."))
            return redirect(reminders_url(cycle))
    # What the rule as stored sends next; the form's unsaved values are not planned yet.
    (preview,) = previews_of(cycle, [rule], selectors.reminder_overview(cycle=cycle))
    return render(request, RULE_TEMPLATE, {"form": form, "cycle": cycle, "rule": rule, "preview": preview})


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
    """What cycles.reminder_rules.reminder_rule_delete does to ``rule``, with the number of planned reminders it
    removes."""
    if cycle.status not in NOT_CLOSED:
        messages.error(request, _("This cycle is closed."))
        return redirect(reminders_url(cycle))
    planned, kept = previews.planned_reminders(rule=rule)
    what = {"rule": description(rule), "count": planned}
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
        title=_("Remove the reminder rule “%(rule)s”") % what,
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
