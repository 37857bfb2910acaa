"""Read queries of the conversation sheet and the self-reflection: each a fixed number of queries, whatever the rows.

The sheet (reviews.views_sheet) shows, next to what cycles shows of a conversation,
the expectations that apply to the person, the observations since their previous
held conversation, the self-reflection and the previous conversation's agreements.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from cycles.models import Conversation, ConversationState
from expectations.selectors import applicable_expectations

from .models import VISIBLE_TO_EMPLOYEE, Observation, Review, SelfReflection

SHEET_OBSERVATIONS = 50  # the newest this many; the full list is one link away


def previous_held(*, conversation: Conversation) -> Conversation | None:
    """The person's conversation held last before this one (before now, when this one is not held). One query.

    Kept on ``conversation`` (the sheet asks twice: the agreements and the date observations count from).
    """
    if hasattr(conversation, "_previous_held"):
        return conversation._previous_held
    before = conversation.held_at if conversation.state == ConversationState.HELD and conversation.held_at else None
    rows = Conversation.objects.filter(
        organization_id=conversation.organization_id,
        employee_id=conversation.employee_id,
        state=ConversationState.HELD,
        held_at__isnull=False,
    ).exclude(pk=conversation.pk)
    if before is not None:
        rows = rows.filter(held_at__lt=before)
    conversation._previous_held = rows.select_related("moment").order_by("-held_at", "-pk").first()
    return conversation._previous_held


@dataclass
class SheetObservations:
    rows: list  # the newest SHEET_OBSERVATIONS, with author and expectation wording fetched
    more: bool  # there are more than the rows shown
    since: datetime.date | None  # the date they count from (the previous held conversation), None: all of them


def sheet_observations(*, conversation: Conversation, all_of_them: bool) -> SheetObservations:
    """The observations of the conversation's person since their previous held conversation, newest first.

    ``all_of_them`` (the manager, HR): also those held for a conversation that
    has not taken place; otherwise (the person) only those visible to them
    (models.VISIBLE_TO_EMPLOYEE). Observations held for this very conversation
    are included whatever their date. One query (the previous conversation
    aside): the newest SHEET_OBSERVATIONS and whether there are more.
    """
    previous = previous_held(conversation=conversation)
    since = timezone.localdate(previous.held_at) if previous is not None else None
    rows = Observation.objects.filter(
        organization_id=conversation.organization_id, employee_id=conversation.employee_id
    )
    if since is not None:
        rows = rows.filter(Q(observed_on__gte=since) | Q(held_for=conversation))
    if not all_of_them:
        rows = rows.filter(VISIBLE_TO_EMPLOYEE)
    rows = list(
        rows.select_related("author", "expectation__current_version", "held_for").order_by("-observed_on", "-pk")[
            : SHEET_OBSERVATIONS + 1
        ]
    )
    return SheetObservations(rows=rows[:SHEET_OBSERVATIONS], more=len(rows) > SHEET_OBSERVATIONS, since=since)


def sheet_expectations(*, conversation: Conversation) -> list:
    """The published expectations that apply to the conversation's person, with their wording (two queries)."""
    return list(applicable_expectations(employee=conversation.employee))


def reflection_of(*, conversation: Conversation) -> SelfReflection | None:
    """The conversation's self-reflection, or None when the person has not saved one. One query."""
    return SelfReflection.objects.filter(
        organization_id=conversation.organization_id, conversation_id=conversation.pk
    ).first()


def review_of(*, conversation: Conversation) -> Review | None:
    """The review of the conversation with its person, or None when none was started. One query."""
    return (
        Review.objects.filter(organization_id=conversation.organization_id, conversation_id=conversation.pk)
        .select_related("employee")  # reviews.rules_reviews asks who the person's manager is
        .first()
    )
