"""The emails of HR's reminders from the overdue list, planned and sent by the cycle's reminder machinery.

cycles' own anchor, registered through cycles.anchors like a higher app's:
HR's click (cycles.services.nudges) stores ``Nudge`` rows; the cycle's
OVERDUE_NUDGE rule plans one ``Reminder`` per click and manager from them
(``plan``), due at the click, so the next dispatcher tick sends it, at most
once and with retries, in the manager's language (cycles.dispatch); HR's
reminder log lists it (``about``). A reminder's ``subject_id`` is the click's
first nudge for that manager; the email lists every conversation of that click
for that manager that is still overdue when it goes out (``context``), and
is skipped when none is (``why_not``): held, cancelled, the window moved, the
person deactivated or moved to another manager.

``plan`` reads the nudges of the last ``PLANNED_FOR``: older ones went out or
were marked missed by the dispatcher long ago. Each call is one query.
"""

import datetime

from django.db.models import Count, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from core.email import site_url

from . import anchors
from .anchors import Wanted, rule_key
from .models import OPEN_STATES, Nudge, ReminderAnchor

TEMPLATE = "cycles/email/nudge"
PLANNED_FOR = datetime.timedelta(days=7)

# Why a due reminder was skipped, shown to HR translated (the reminder log).
NO_LONGER_OVERDUE = gettext_noop(
    "None of the conversations is still overdue: held, cancelled, its window moved, or the person has left or has "
    "another manager."
)


def register() -> None:
    """Called from CyclesConfig.ready: the anchor's hooks, and the reminders in the audit trail."""
    from organizations import audit

    from .services.nudges import AUDIT_REMIND_ALL

    anchors.register(
        ReminderAnchor.OVERDUE_NUDGE, plan=plan, context=context, template=TEMPLATE, about=about, why_not=why_not
    )
    audit.register(Nudge, fields=("conversation", "manager", "on"), deletes=False)
    audit.describe_reason(
        AUDIT_REMIND_ALL,
        lambda data: (
            ngettext(
                "overdue list: managers reminded of %(count)d conversation",
                "overdue list: managers reminded of %(count)d conversations",
                data.get("count", 0),
            )
            % {"count": data.get("count", 0)}
        ),
    )


def plan(*, cycle, rules, unplannable: list):
    """One reminder per click and manager, to the manager, due when HR clicked. The cycle has one such rule."""
    rule = min(rules, key=lambda item: item.pk)
    prefix = rule_key(rule)
    groups = (
        Nudge.objects.filter(
            organization_id=cycle.organization_id,
            cycle_id=cycle.pk,
            created_at__gte=timezone.now() - PLANNED_FOR,
            manager__is_active=True,
        )
        .values("batch", "manager_id")
        .annotate(lead=Min("pk"), due=Min("created_at"))
        .order_by()
    )
    for group in groups:
        manager_id = group["manager_id"]
        yield Wanted(
            f"{prefix}:e{manager_id}:n{group['lead']}", rule.pk, manager_id, group["due"], subject_id=group["lead"]
        )


def _still_overdue(reminder):
    """The nudges of the reminder's click for its recipient whose conversation is still overdue and still theirs."""
    organization = reminder.organization
    today = timezone.localdate(timezone=organization.zone)
    batch = Nudge.objects.filter(organization_id=organization.pk, pk=reminder.subject_id).values("batch")[:1]
    return Nudge.objects.filter(
        organization_id=organization.pk,
        batch=Subquery(batch),
        manager_id=reminder.recipient_id,
        conversation__state__in=OPEN_STATES,
        conversation__moment__closes_on__lt=today,
        conversation__employee__is_active=True,
        conversation__employee__manager_id=reminder.recipient_id,
    )


def why_not(reminder) -> str | None:
    return None if _still_overdue(reminder).exists() else NO_LONGER_OVERDUE


def context(reminder) -> dict | None:
    """The email's context: who asked, and the conversations still overdue, each with its days and link."""
    organization = reminder.organization
    today = timezone.localdate(timezone=organization.zone)
    nudges = list(
        _still_overdue(reminder)
        .select_related("sent_by", "conversation__moment", "conversation__employee")
        .order_by("conversation__moment__closes_on", "conversation__employee__sort_name", "pk")
    )
    if not nudges:
        return None
    rows = []
    for nudge in nudges:
        conversation = nudge.conversation
        path = reverse(
            "cycles:conversation_detail", kwargs={"org_slug": organization.slug, "conversation_id": conversation.pk}
        )
        days = (today - conversation.moment.closes_on).days
        rows.append({"conversation": conversation, "days": days, "url": site_url(path)})
    single = len(rows) == 1
    url = rows[0]["url"] if single else site_url(reverse("cycles:team_grid", kwargs={"org_slug": organization.slug}))
    return {
        "kind": ReminderAnchor.OVERDUE_NUDGE,
        "organization": organization,
        "recipient": reminder.recipient,
        "sent_by": nudges[0].sent_by,
        "rows": rows,
        "count": len(rows),
        "url": url,
    }


def about(reminders) -> dict[int, str]:
    """For HR's reminder log: whose conversation each reminder is about (and how many more), in one query."""
    size = (
        Nudge.objects.filter(
            organization_id=OuterRef("organization_id"), batch=OuterRef("batch"), manager_id=OuterRef("manager_id")
        )
        .values("batch")
        .annotate(size=Count("pk"))
        .values("size")[:1]
    )
    ids = {reminder.subject_id for reminder in reminders if reminder.subject_id}
    rows = (
        Nudge.objects.filter(organization_id=reminders[0].organization_id, pk__in=ids)
        .annotate(size=Subquery(size))
        .values_list("pk", "conversation__employee__first_name", "conversation__employee__last_name", "size")
    )
    texts = {}
    for pk, first, last, size in rows:
        name = f"{first} {last}".strip()
        texts[pk] = (
            ngettext(
                "Overdue conversations with %(name)s and %(count)d other",
                "Overdue conversations with %(name)s and %(count)d others",
                size - 1,
            )
            % {"name": name, "count": size - 1}
            if size and size > 1
            else _("Overdue conversation with %(name)s") % {"name": name}
        )
    return {reminder.pk: texts[reminder.subject_id] for reminder in reminders if reminder.subject_id in texts}
