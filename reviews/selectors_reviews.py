"""Read queries of the review workflow, limited to one organisation, with the related rows the pages show."""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Subquery
from django.utils import formats, timezone
from django.utils.translation import ngettext

from cycles.models import Conversation, ConversationState, CycleStatus
from organizations.audit_display import readable
from organizations.audit_models import AuditEntry
from organizations.models import Employee, Organization, Role
from organizations.permissions import can
from organizations.selectors import HISTORY_PER_PAGE, history

from . import scales
from .models import Observation, Rating, Review, ReviewState
from .rules_observations import SEE_OBSERVATION
from .rules_reviews import COMMENTABLE, EMPLOYEE_SIGNABLE, MANAGER_SIGNABLE, VISIBLE_TO_EMPLOYEE
from .selectors_observations import evidence_for as observations_in_cycle


def reviews_detailed(*, organization: Organization):
    """The organisation's reviews with the person, their manager, who writes it, the moment and the bands."""
    return Review.objects.filter(organization=organization).select_related(
        "organization",
        "cycle",
        "conversation",
        "conversation__moment",
        "employee",
        "employee__manager",
        "manager",
        "band",
        "computed_band",
        "finalised_by",
    )


def ratings_of(*, review: Review):
    """The review's ratings in the order of the expectations, each with its pinned wording and the ids it cites.

    Two queries whatever the number of ratings and observations: the ratings (with version and expectation),
    and the observations they cite, with what reviews.rules_observations.SEE_OBSERVATION reads (the person, the
    author, the conversation an observation is held for).
    """
    cited = Observation.objects.select_related("employee", "author", "held_for", "held_for__moment").order_by(
        "-observed_on", "-pk"
    )
    return (
        Rating.objects.filter(organization_id=review.organization_id, review=review)
        .select_related("expectation_version", "expectation", "expectation__core_value")
        .prefetch_related(Prefetch("evidence", queryset=cited))
        .order_by("expectation__core_value__order", "expectation__core_value__pk", "expectation__pk")
    )


def _held_until(conversation) -> str:
    """The conversation an observation is held for, as the reader of a review is told: its date, or its moment."""
    if conversation.scheduled_at is not None:
        return formats.date_format(timezone.localtime(conversation.scheduled_at), "DATE_FORMAT")
    return ""


def ratings_for(*, review: Review, viewer: Employee) -> list:
    """The review's ratings as ``viewer`` reads them: ``shown`` the evidence they may see, ``held`` the rest said.

    A manager may cite an observation held until a conversation (reviews.models.VISIBLE_TO_EMPLOYEE); until that
    conversation is held, whoever may not read it (the person, above all) reads only that it exists: ``held`` is
    a list of sentences such as "1 observation held until the conversation of 12 March 2027", one per
    conversation. The same queries as ratings_of: the rule reads only what it fetched.
    """
    rows = list(ratings_of(review=review))
    for rating in rows:
        rating.shown, waiting = [], Counter()
        for observation in rating.evidence.all():
            if can(viewer, SEE_OBSERVATION, observation):
                rating.shown.append(observation)
            else:
                waiting[observation.held_for_id] += 1
        held_for = {row.held_for_id: row.held_for for row in rating.evidence.all() if row.held_for_id in waiting}
        rating.held = [_held_sentence(held_for.get(pk), count) for pk, count in waiting.items()]
    return rows


def _held_sentence(conversation, count: int) -> str:
    date = _held_until(conversation) if conversation is not None else ""
    if date:
        return ngettext(
            "%(count)s observation held until the conversation of %(date)s",
            "%(count)s observations held until the conversation of %(date)s",
            count,
        ) % {"count": count, "date": date}
    return ngettext(
        "%(count)s observation held until a conversation that has not been planned yet",
        "%(count)s observations held until a conversation that has not been planned yet",
        count,
    ) % {"count": count}


def evidence_for(*, review_employee: Employee, cycle):
    """The observations of ``review_employee`` in ``cycle`` a rating may cite: the person's, this organisation's.

    The observations part's query (reviews.selectors_observations.evidence_for), held ones included: the
    manager who writes the review sees them all.
    """
    return observations_in_cycle(review_employee=review_employee, cycle=cycle)


def scale_and_bands(*, cycle) -> tuple[list, list]:
    """The cycle's rating levels (low to high) and outcome bands (low to high): two queries."""
    return scales.cycle_levels(cycle=cycle), scales.cycle_bands(cycle=cycle)


def review_history(*, review: Review, page=None):
    """Who did what to the review and its ratings, newest first, one page (organizations.selectors.history)."""
    ratings = Rating.objects.filter(organization_id=review.organization_id, review=review)
    return history(organization=review.organization, objects=[review, ratings], page=page)


# The review's fields whose changes its person reads in the history: the steps (a state, a reopen's reason) and
# their own comment. Not the manager's drafting (ratings, evidence, summary, a deviation's justification).
EMPLOYEE_HISTORY_FIELDS = ("state", "employee_comment", "employee_disagrees", "reopen_reason")


def review_history_for_employee(*, review: Review, page=None):
    """The history as the review's person reads it: from the first time it was shared, its steps and their comment.

    What the manager did before sharing it first is their draft, not the person's business; the ratings' entries
    (levels, cited observations, held ones included) stay out, as the review itself shows the ratings as shared.
    The same page shape and query count as review_history; reads auditentry_object_idx.
    """
    review_type = ContentType.objects.get_for_model(Review)
    entries = AuditEntry.objects.filter(
        organization_id=review.organization_id, content_type=review_type, object_id=review.pk
    )
    first_shared = (
        entries.filter(changes__state__1=ReviewState.SHARED).order_by("timestamp", "pk").values("timestamp")[:1]
    )
    shown = (
        entries.filter(timestamp__gte=Subquery(first_shared), changes__has_any_keys=list(EMPLOYEE_HISTORY_FIELDS))
        .select_related("content_type", "actor_employee")
        .order_by("-timestamp", "-pk")
    )
    result = Paginator(shown, HISTORY_PER_PAGE).get_page(page)
    result.object_list = readable(result.object_list, organization=review.organization)
    return result


def review_of_conversation(*, conversation: Conversation) -> Review | None:
    return Review.objects.filter(organization_id=conversation.organization_id, conversation=conversation).first()


# --- the home page ------------------------------------------------------------------------------------------------


def _own(employee: Employee) -> dict:
    """The person's review in an active cycle once shared, and what they still have to do with it."""
    review = (
        Review.objects.filter(
            organization_id=employee.organization_id,
            employee=employee,
            cycle__status=CycleStatus.ACTIVE,
            state__in=VISIBLE_TO_EMPLOYEE,
        )
        .select_related("cycle", "organization", "conversation")
        .order_by("-cycle__starts_on", "-pk")
        .first()
    )
    to_do = []
    if review is not None:
        if review.state in COMMENTABLE and not review.employee_comment:
            to_do.append("comment")
        if review.state in EMPLOYEE_SIGNABLE and review.conversation.state == ConversationState.HELD:
            to_do.append("sign")
    return {"review": review, "state": review.get_state_display() if review else None, "to_do": to_do}


def _team(employee: Employee) -> dict:
    """How many reviews of the manager's reports are still to write (none yet, or in draft) and to sign."""
    to_write = (
        Conversation.objects.filter(
            organization_id=employee.organization_id,
            employee__manager=employee,
            employee__is_active=True,
            moment__produces_rating=True,
            moment__cycle__status=CycleStatus.ACTIVE,
        )
        .exclude(state=ConversationState.CANCELLED)
        .filter(Q(review__isnull=True) | Q(review__state=ReviewState.DRAFT))
        .count()
    )
    to_sign = Review.objects.filter(
        organization_id=employee.organization_id,
        manager=employee,
        state__in=MANAGER_SIGNABLE,
        conversation__state=ConversationState.HELD,  # signed once the conversation took place
    ).count()
    return {"to_write": to_write, "to_sign": to_sign}


def _organization(employee: Employee) -> dict:
    """Reviews per state in the active cycles, and how many deviate from the rule: one aggregate query."""
    counts = Review.objects.filter(
        organization_id=employee.organization_id, cycle__status=CycleStatus.ACTIVE
    ).aggregate(
        **{state.value: Count("pk", filter=Q(state=state)) for state in ReviewState},
        deviating=Count("pk", filter=Q(band__isnull=False) & ~Q(band=F("computed_band"))),
    )
    deviating = counts.pop("deviating")
    return {
        "per_state": [(state.value, state.label, counts[state.value]) for state in ReviewState],
        "deviating": deviating,
    }


def home_card(*, employee: Employee, team: bool | None = None) -> dict:
    """This part's piece of ``employee``'s home page.

    ``own``: their shared review in an active cycle (``review``, its ``state`` label, ``to_do``: "comment",
    "sign"). ``team`` (managers and HR): ``to_write``, assessment conversations of their reports without a
    review or with one in draft, and ``to_sign``. ``organization`` (HR): ``per_state``, (state, label, count)
    for the active cycles, and ``deviating``. At most four queries. ``team`` says whether to count the team's
    reviews (default: for managers and HR); the home page passes False for HR without reports.
    """
    card = {"own": _own(employee)}
    if team if team is not None else employee.role in (Role.MANAGER, Role.HR_ADMIN):
        card["team"] = _team(employee)
    if employee.role == Role.HR_ADMIN:
        card["organization"] = _organization(employee)
    return card
