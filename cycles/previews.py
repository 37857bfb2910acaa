"""What a step that asks first would do in the cycle calendar, counted for its confirmation page, in fixed queries.

Activating a cycle and adding its newcomers (cycles.views_cycles), removing a reminder rule (views_reminders), and
the sentences cycles adds to organizations' confirmation pages (deactivating a person, deleting a team: registered
with organizations.extensions in CyclesConfig.ready). Each counts what the service would do, the way the service
decides it, so the page says what will happen; none writes.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import OPEN_STATES, CalendarFeed, Conversation, Cycle, CycleStatus, Reminder, ReminderStatus
from .selectors_reminders import HIDDEN_ANCHORS
from .services import people_in_scope


@dataclass(frozen=True)
class Activation:
    moments: int  # the cycle's moments
    in_scope: int  # the active people the cycle is for
    conversations: int  # the conversations services.cycle_activate would create
    people: int  # the people who would get at least one of them
    closed_windows: int  # moments whose window has closed already: their new conversations are overdue at once
    rules: int  # the cycle's reminder rules that are switched on


def activation(*, cycle: Cycle) -> Activation:
    """What services.cycle_activate would create now: one conversation per person in scope per moment, less those
    that exist. Five queries, whatever the number of people."""
    moments = list(cycle.moments.values_list("closes_on", flat=True))
    people = people_in_scope(cycle)
    in_scope = people.count()
    existing = Conversation.objects.filter(
        organization_id=cycle.organization_id, moment__cycle=cycle, employee__in=people
    ).count()
    lacking = people.annotate(have=Count("conversations", filter=Q(conversations__moment__cycle=cycle))).filter(
        have__lt=len(moments)
    )
    today = timezone.localdate()
    return Activation(
        moments=len(moments),
        in_scope=in_scope,
        conversations=len(moments) * in_scope - existing,
        people=lacking.count(),
        closed_windows=sum(1 for closes_on in moments if closes_on < today),
        rules=cycle.reminder_rules.filter(enabled=True).exclude(anchor__in=HIDDEN_ANCHORS).count(),
    )


def planned_reminders(*, rule) -> tuple[int, bool]:
    """How many planned reminders cycles.reminder_rules.reminder_rule_delete removes with ``rule``, and whether the
    rule is kept (switched off) because reminders it sent or skipped stay in the log. One query."""
    counts = Reminder.objects.filter(organization_id=rule.organization_id, rule=rule).aggregate(
        planned=Count("pk", filter=Q(status=ReminderStatus.PLANNED)),
        other=Count("pk", filter=~Q(status=ReminderStatus.PLANNED)),
    )
    return counts["planned"], counts["other"] > 0


# --- Sentences on organizations' confirmation pages ---------------------------------------------------------------


def organizations_step_note(step: str, subject) -> list[str]:
    """What deactivating ``subject`` (a person) or deleting it (a team) does to the cycle calendar, with counts."""
    if step == "person_deactivate":
        return _deactivate_notes(subject)
    if step == "team_delete":
        return _team_notes(subject)
    return []


def _deactivate_notes(person) -> list[str]:
    """Their open conversations stay but nobody is reminded of them (cycles.wanted: nobody inactive gets a reminder,
    and a deactivated manager is not reminded), and cycles.receivers.feed_retire deletes their calendar address.
    Three queries."""
    names = {"name": person.full_name}
    open_count = Conversation.objects.filter(
        organization_id=person.organization_id,
        employee=person,
        state__in=OPEN_STATES,
        moment__cycle__status=CycleStatus.ACTIVE,
    ).count()
    planned = Reminder.objects.filter(
        organization_id=person.organization_id, recipient=person, status=ReminderStatus.PLANNED
    ).count()
    notes = []
    if open_count:
        notes.append(
            ngettext(
                "%(name)s has %(count)d open conversation in an active cycle; it is kept, but no reminders go out "
                "about it.",
                "%(name)s has %(count)d open conversations in active cycles; they are kept, but no reminders go out "
                "about them.",
                open_count,
            )
            % {**names, "count": open_count}
        )
    else:
        notes.append(_("%(name)s has no open conversations in an active cycle.") % names)
    if planned:
        notes.append(
            ngettext(
                "%(count)d planned reminder to %(name)s will not be sent.",
                "%(count)d planned reminders to %(name)s will not be sent.",
                planned,
            )
            % {**names, "count": planned}
        )
    if CalendarFeed.objects.filter(organization_id=person.organization_id, employee=person).exists():
        notes.append(
            _("The calendar address of %(name)s stops working for good; if they are reactivated, they get a new one.")
            % names
        )
    return notes


def _team_notes(team) -> list[str]:
    """The cycles aimed at the team lose it (the team is taken off their list); one aimed at it alone is then for
    nobody new, though the conversations it created stay. Two queries."""
    aimed = Cycle.objects.filter(organization_id=team.organization_id, teams=team)
    counts = {
        "total": aimed.count(),
        # Counted apart from the filter on this team, which would leave only its own row of the join to count.
        "alone": Cycle.objects.filter(pk__in=aimed.values("pk")).annotate(n=Count("teams")).filter(n=1).count(),
    }
    if not counts["total"]:
        return []
    notes = [
        ngettext(
            "%(count)d cycle is for this team; the team is taken off it, and the conversations it created stay.",
            "%(count)d cycles are for this team; the team is taken off them, and the conversations they created stay.",
            counts["total"],
        )
        % {"count": counts["total"]}
    ]
    if counts["alone"]:
        notes.append(
            ngettext(
                "%(count)d of them is for this team only and then has nobody in its scope.",
                "%(count)d of them are for this team only and then have nobody in their scope.",
                counts["alone"],
            )
            % {"count": counts["alone"]}
        )
    return notes
