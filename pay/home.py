"""pay's card on the home page: "What my outcome means", once a pay table is published for an active cycle.

home.selectors asks every app's ``home_card(employee=...)``; this one answers under ``pay_home`` (drawn by
pay/templates/pay/home_card.html). One query, whatever the organisation's size: the newest active cycle with a
published pay table, with the day its consequences take effect (from the organisation's pay settings, joined in
the same query; the defaults when HR never saved them).
"""

from cycles.models import Cycle, CycleStatus
from organizations.models import Employee

from .models import PaySettings, PayTable


def home_card(*, employee: Employee) -> dict:
    """``{"pay_home": {"effective_on": date}}`` when an active cycle has a published pay table, else None in it."""
    found = (
        PayTable.objects.filter(
            organization_id=employee.organization_id,
            published_at__isnull=False,
            cycle__status=CycleStatus.ACTIVE,
        )
        .order_by("-cycle__starts_on", "-cycle_id")
        .values_list(
            "cycle__ends_on",
            "organization__pay_settings__effective_month",
            "organization__pay_settings__effective_day",
        )
        .first()
    )
    if found is None:
        return {"pay_home": None}
    ends_on, month, day = found
    defaults = PaySettings()  # the defaults settings_for gives while HR has never saved the settings
    terms = PaySettings(effective_month=month or defaults.effective_month, effective_day=day or defaults.effective_day)
    return {"pay_home": {"effective_on": terms.effective_date(Cycle(ends_on=ends_on))}}
