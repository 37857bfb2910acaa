"""Demo reviews to calibrate in Voorbeeld BV's active cycle (seed_demo; the caller disables scopes).

Each manager's reports get a draft review at their assessment conversation, written through the reviews
services, so the calibration page, the cockpit and each manager's spread have something to show: Mila de Vries
(manager@example.com) rates a level higher than the others would (lenient), one manager a level lower (severe),
the rest as they are. Ratings give a reason instead of an observation where the person has none. Running it twice
creates nothing new.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from cycles.models import Conversation, ConversationState, Cycle, CycleStatus
from organizations.demo_time import working_before
from organizations.models import Employee, Role
from reviews import scales, services_reviews
from reviews.models import Review

BASE_LEVELS = (3, 2, 3, 4, 3, 2, 3, 3)  # per person, by their position among their manager's reports
REASON = "In deze periode nog geen observatie vastgelegd; gebaseerd op het voortgangsgesprek."


def _leans(managers: list[Employee]) -> dict[int, int]:
    """Mila (manager@example.com) a level up, the next manager a level down, the others as they are."""
    ordered = sorted(managers, key=lambda manager: (manager.user.email != "manager@example.com", manager.pk))
    return {manager.pk: lean for manager, lean in zip(ordered, (1, -1), strict=False)}


def seed(organization) -> int:
    """Draft reviews with an outcome for every report of a manager in the active cycle; returns how many it made."""
    cycle = Cycle.objects.filter(organization=organization, status=CycleStatus.ACTIVE).order_by("-starts_on").first()
    if cycle is None or Review.objects.filter(organization=organization, cycle=cycle).exists():
        return 0
    levels = [level.value for level in scales.cycle_levels(cycle=cycle)]
    managers = list(Employee.objects.filter(organization=organization, role=Role.MANAGER, is_active=True))
    leans = _leans(managers)
    conversations = (
        Conversation.objects.filter(
            organization=organization,
            moment__cycle=cycle,
            moment__produces_rating=True,
            employee__manager__role=Role.MANAGER,
            employee__is_active=True,
        )
        .exclude(state=ConversationState.CANCELLED)
        .select_related("employee__manager", "moment")
        .order_by("employee__manager_id", "employee_id")
    )
    made = []
    position: dict[int, int] = {}
    for conversation in conversations:
        manager = conversation.employee.manager
        number = position[manager.pk] = position.get(manager.pk, -1) + 1
        try:
            review, new = services_reviews.review_start(conversation=conversation, actor=manager)
            if not new:
                continue
            level = BASE_LEVELS[number % len(BASE_LEVELS)] + leans.get(manager.pk, 0)
            level = min(max(level, levels[0]), levels[-1])
            ratings = {
                rating.pk: services_reviews.RatingInput(level=level, reason=REASON) for rating in review.ratings.all()
            }
            services_reviews.review_save(review=review, actor=manager, ratings=ratings)
        except ValidationError:
            continue  # a conversation this person's review cannot be started for (yet): left to the manager
        made.append(review.pk)
    # Written in working hours: the latest working quarter hour, not the moment the seed ran.
    written = working_before(timezone.now(), organization.zone)
    Review.objects.filter(pk__in=made).update(created_at=written, updated_at=written)
    return len(made)
