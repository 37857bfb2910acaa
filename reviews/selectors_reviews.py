"""Read queries of the review workflow, limited to one organisation, with the related rows the pages show."""

from django.db.models import Count, F, Prefetch, Q

from cycles.models import Conversation, ConversationState, CycleStatus
from organizations.models import Employee, Organization, Role
from organizations.selectors import history

from . import scales
from .models import Observation, Rating, Review, ReviewState
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
    and the observations they cite.
    """
    return (
        Rating.objects.filter(organization_id=review.organization_id, review=review)
        .select_related("expectation_version", "expectation", "expectation__core_value")
        .prefetch_related(Prefetch("evidence", queryset=Observation.objects.order_by("-observed_on", "-pk")))
        .order_by("expectation__core_value__order", "expectation__core_value__pk", "expectation__pk")
    )


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
        .select_related("cycle", "organization")
        .order_by("-cycle__starts_on", "-pk")
        .first()
    )
    to_do = []
    if review is not None:
        if review.state in COMMENTABLE and not review.employee_comment:
            to_do.append("comment")
        if review.state in EMPLOYEE_SIGNABLE:
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
        organization_id=employee.organization_id, manager=employee, state__in=MANAGER_SIGNABLE
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


def home_card(*, employee: Employee) -> dict:
    """This part's piece of ``employee``'s home page.

    ``own``: their shared review in an active cycle (``review``, its ``state`` label, ``to_do``: "comment",
    "sign"). ``team`` (managers and HR): ``to_write``, assessment conversations of their reports without a
    review or with one in draft, and ``to_sign``. ``organization`` (HR): ``per_state``, (state, label, count)
    for the active cycles, and ``deviating``. At most four queries.
    """
    card = {"own": _own(employee)}
    if employee.role in (Role.MANAGER, Role.HR_ADMIN):
        card["team"] = _team(employee)
    if employee.role == Role.HR_ADMIN:
        card["organization"] = _organization(employee)
    return card
