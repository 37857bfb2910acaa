"""pay's card on the home page: "What my outcome means", once a pay table is published for an active cycle.

home.selectors asks every app's ``home_card(employee=...)``; this one answers under ``pay_home`` (drawn by
pay/templates/pay/home_card.html). One query, whatever the organisation's size: the newest active cycle's
published pay table, with the day its consequences take effect (kept with the version when it was published).
"""

from cycles.models import CycleStatus
from organizations.models import Employee

from .models import PayTable


def home_card(*, employee: Employee) -> dict:
    """``{"pay_home": {"effective_on": date}}`` when an active cycle has a published pay table, else None in it."""
    found = (
        PayTable.objects.filter(
            organization_id=employee.organization_id,
            published_at__isnull=False,
            cycle__status=CycleStatus.ACTIVE,
        )
        .order_by("-cycle__starts_on", "-cycle_id", "-version")
        .values_list("effective_on", flat=True)
        .first()
    )
    if found is None:
        return {"pay_home": None}
    return {"pay_home": {"effective_on": found}}
