"""HR's configuration of expectations: core values, strategic goals, what does not count, and the cap.

Each service owns its transaction and validates first; the bilingual texts
follow core.i18n (required in the organisation's language only).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.i18n import require_in_language
from organizations.models import Organization

from . import selectors
from .models import CoreValue, Expectation, NotCounted, StrategicGoal


def stripped(fields: dict) -> dict:
    """``fields`` with surrounding whitespace taken off every text, so "  " counts as empty."""
    return {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}


def _bilingual_save(row, organization: Organization, required: str, fields: dict):
    """Set ``fields`` on ``row``, require ``<required>_<org language>``, validate and save."""
    for name, value in stripped(fields).items():
        setattr(row, name, value)
    require_in_language(row, organization.language, required)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def core_value_save(*, organization: Organization, core_value: CoreValue | None = None, **fields) -> CoreValue:
    """Create or change a core value; its name in the organisation's language is required.

    Saving the same values twice changes nothing the second time.
    """
    return _bilingual_save(core_value or CoreValue(organization=organization), organization, "name", fields)


@transaction.atomic
def core_value_delete(*, core_value: CoreValue) -> None:
    """Delete a core value that no expectation uses (retired ones included: their history needs it).

    Twice: the second finds nothing.
    """
    if Expectation.objects.filter(organization_id=core_value.organization_id, core_value=core_value).exists():
        raise ValidationError(_("Expectations belong to this core value; move or delete them first."))
    core_value.delete()


@transaction.atomic
def strategic_goal_save(*, organization: Organization, goal: StrategicGoal | None = None, **fields) -> StrategicGoal:
    """Create or change a strategic goal; its title in the organisation's language is required.

    Saving the same values twice changes nothing the second time.
    """
    return _bilingual_save(goal or StrategicGoal(organization=organization), organization, "title", fields)


@transaction.atomic
def strategic_goal_delete(*, goal: StrategicGoal) -> None:
    """Delete a goal; versions that served it keep their wording and lose the link. Twice: the second finds nothing."""
    goal.delete()


@transaction.atomic
def not_counted_save(*, organization: Organization, item: NotCounted | None = None, **fields) -> NotCounted:
    """Create or change a "does not count" line; the text in the organisation's language is required.

    Saving the same values twice changes nothing the second time.
    """
    return _bilingual_save(item or NotCounted(organization=organization), organization, "text", fields)


@transaction.atomic
def not_counted_delete(*, item: NotCounted) -> None:
    item.delete()


def group_name(group) -> str:
    """How a message names a group of selectors.groups: its team, or the people without one."""
    return group.team.name if group.team else _("people without a team")


def over_cap_parts(over) -> list[str]:
    """Each group pushed over the cap, named with its head count and what it would have: "Klantenservice (9 people,
    would have 6)"."""
    return [
        ngettext(
            "%(team)s (%(people)d person, would have %(count)d)",
            "%(team)s (%(people)d people, would have %(count)d)",
            group.people,
        )
        % {"team": group_name(group), "people": group.people, "count": group.count}
        for group in over
    ]


def over_cap_message(*, over, cap: int) -> str:
    """Publishing (or widening an audience) would push these groups over the cap."""
    parts = over_cap_parts(over)
    return _(
        "This would give more than %(cap)d expectations to people in: %(teams)s. "
        "Retire an expectation for them first, narrow the audience, or raise the maximum."
    ) % {"cap": cap, "teams": "; ".join(parts)}


def lowered_cap_message(*, over, cap: int) -> str:
    """A lower cap than what already applies to these groups."""
    parts = [
        ngettext(
            "%(team)s (%(people)d person, %(count)d expectations)",
            "%(team)s (%(people)d people, %(count)d expectations)",
            group.people,
        )
        % {"team": group_name(group), "people": group.people, "count": group.count}
        for group in over
    ]
    return _(
        "More than %(cap)d published expectations already apply to people in: %(teams)s. "
        "Retire expectations for them first, or keep a higher maximum."
    ) % {"cap": cap, "teams": "; ".join(parts)}


@transaction.atomic
def organization_cap_set(*, organization: Organization, cap: int) -> Organization:
    """Change the cap (3 to 7); refused when published expectations already exceed the new one. Harmless twice."""
    if not 3 <= cap <= 7:
        raise ValidationError({"cap": _("Choose a number from 3 to 7.")})
    over = [group for group in selectors.groups(organization=organization) if group.people and group.count > cap]
    if over:
        raise ValidationError({"cap": lowered_cap_message(over=over, cap=cap)})
    Organization.objects.filter(pk=organization.pk).update(expectation_cap=cap)
    organization.expectation_cap = cap
    return organization
