"""Changing the organisation's pay settings: the terms every figure, the budget and the export use."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from organizations.models import Organization

from .models import PaySettings
from .standing import settings_row


@transaction.atomic
def pay_settings_save(
    *,
    organization: Organization,
    holiday_allowance: Decimal,
    thirteenth_month: bool,
    effective_day: int,
    effective_month: int,
    managers_see_reports: bool,
) -> PaySettings:
    """Set the organisation's pay settings; refused (ValidationError per field, nothing saved) outside their limits.

    Protects: a holiday allowance from 0 to 100 % with two decimals, and an effective day that exists in that
    month every year (no 29 February: PaySettings.clean). The row is locked, so two HR admins saving at once take
    turns and the audit trail records each change. Saving the same values twice changes nothing the second time.
    """
    settings = settings_row(organization_id=organization.pk)
    values = {
        "holiday_allowance": holiday_allowance,
        "thirteenth_month": thirteenth_month,
        "effective_day": effective_day,
        "effective_month": effective_month,
        "managers_see_reports": managers_see_reports,
    }
    if all(getattr(settings, name) == value for name, value in values.items()):
        return settings
    for name, value in values.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.updated_at = timezone.now()
    settings.save()
    return settings
