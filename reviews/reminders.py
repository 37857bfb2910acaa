"""The reminders of observation requests, planned and sent by cycles' machinery (cycles.anchors).

Two anchors, each with rules per cycle like every reminder (HR's reminder page):

- REQUEST_MADE, "the request itself": to the colleague asked, due the moment
  the request is made (its rule's offset is 0 and its time of day does not
  apply), so a request made at 15:00 goes out with the next dispatcher tick,
  not at 09:00 the next day and never as missed. The plan request of the change
  is recorded just before the request (reviews.services_requests), so the
  planner never counts it as already past.
- REQUEST_DUE: to the colleague, the rule's offset in days before the due date
  (default two days) at its local time, while the request is open. Asked too
  close to the due date, it is not planned (its time has passed), like any
  reminder whose time had passed when the change was saved.

Only open requests of active people are planned; answering, declining or
withdrawing re-plans the cycle, which deletes the request's planned reminders,
and the dispatcher asks ``why_not`` again just before it sends.
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.email import site_url
from cycles import anchors
from cycles.anchors import Wanted, rule_key
from cycles.models import ReminderAnchor
from cycles.plan_dates import due_utc, shift_days

from .models import ObservationRequest

TEMPLATE = "reviews/request_email"
OPEN = ObservationRequest.State.OPEN

# Why a due reminder was skipped, shown to HR translated (cycles' log).
REQUEST_CLOSED = gettext_noop("The observation request has been answered, declined or withdrawn.")


def register() -> None:
    """Called from ReviewsConfig.ready: cycles plans and sends these anchors through reviews' hooks."""
    for anchor in (ReminderAnchor.REQUEST_MADE, ReminderAnchor.REQUEST_DUE):
        anchors.register(anchor, plan=plan, context=context, template=TEMPLATE, about=about, why_not=why_not)


def plan(*, cycle, rules, unplannable: list):
    """The reminders ``rules`` want for the cycle's open requests: one per rule and request, to the colleague."""
    rows = list(
        ObservationRequest.objects.filter(
            organization_id=cycle.organization_id,
            cycle_id=cycle.pk,
            state=OPEN,
            colleague__is_active=True,
            employee__is_active=True,
        ).values_list("pk", "colleague_id", "created_at", "due_on")
    )
    zone = cycle.organization.zone
    for rule in rules:
        prefix = rule_key(rule)
        for pk, colleague_id, created_at, due_on in rows:
            if rule.anchor == ReminderAnchor.REQUEST_MADE:
                try:
                    due = created_at + datetime.timedelta(days=rule.offset_days)  # 0: cycles.planning checks it
                except OverflowError:
                    due = None
            else:
                due = due_utc(shift_days(due_on, rule.offset_days), rule.time_of_day, zone)
            if due is None:
                unplannable.append(f"{prefix}:q{pk}")
                continue
            yield Wanted(f"{prefix}:e{colleague_id}:q{pk}", rule.pk, colleague_id, due, subject_id=pk)


def _request(reminder):
    return (
        ObservationRequest.objects.filter(organization_id=reminder.organization_id, pk=reminder.subject_id)
        .select_related("employee", "asked_by", "expectation_version")
        .first()
    )


def why_not(reminder) -> str | None:
    request = ObservationRequest.objects.filter(organization_id=reminder.organization_id, pk=reminder.subject_id)
    return None if request.filter(state=OPEN, employee__is_active=True).exists() else REQUEST_CLOSED


def context(reminder) -> dict | None:
    """The email's context: who asked, about whom, the expectation's wording as pinned, the due date, the link."""
    request = _request(reminder)
    if request is None or request.state != OPEN:
        return None
    path = reverse("reviews:request_answer", kwargs={"org_slug": reminder.organization.slug, "request_id": request.pk})
    return {
        "kind": reminder.rule.anchor,
        "organization": reminder.organization,
        "recipient": reminder.recipient,
        "request": request,
        "person": request.employee,
        "asked_by": request.asked_by,
        "version": request.expectation_version,
        "url": site_url(path),
    }


def about(reminders) -> dict[int, str]:
    """For HR's reminder log: the colleague and the person of each reminder's request, in one query."""
    ids = {reminder.subject_id for reminder in reminders if reminder.subject_id}
    rows = ObservationRequest.objects.filter(organization_id=reminders[0].organization_id, pk__in=ids).values_list(
        "pk", "colleague__first_name", "colleague__last_name", "employee__first_name", "employee__last_name"
    )
    names = {pk: (f"{first} {last}".strip(), f"{first2} {last2}".strip()) for pk, first, last, first2, last2 in rows}
    described = {}
    for reminder in reminders:
        if reminder.subject_id in names:
            colleague, person = names[reminder.subject_id]
            described[reminder.pk] = _("Observation request to %(colleague)s about %(person)s") % {
                "colleague": colleague,
                "person": person,
            }
    return described
