"""Setting what HR has to spend on a cycle's outcomes: the total budget, or one team's.

A budget is one PayBudget row per cycle and team (no team: the total), registered with the audit trail
(pay/apps.py), so each save and each removal is an entry naming who did it.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from organizations.models import Team

from .amounts import parse_amount
from .models import PayBudget

CHANGED_MEANWHILE = _("Someone else set this budget at the same moment. Look at the budget and try again.")


@transaction.atomic
def budget_set(*, cycle: Cycle, team: Team | None = None, amount: Decimal | None) -> PayBudget | None:
    """Set ``team``'s budget for ``cycle`` (no team: the total) to ``amount``; ``None`` removes it.

    Refuses an amount that is not one (negative, more than two decimals, too large) with a ValidationError at
    ``amount``, saving nothing. Running it twice with the same amount changes nothing the second time. Two HR
    admins saving the first budget of a team at once: the row is locked when it exists, and the unique constraint
    refuses the second insert, which is answered with a message instead of an error page.
    """
    if team is not None and team.organization_id != cycle.organization_id:
        raise ValueError("the team belongs to another organisation")
    if amount is not None:
        try:
            amount = parse_amount(amount)
        except ValidationError as error:
            raise ValidationError({"amount": error.messages}) from None
    found = (
        PayBudget.objects.select_for_update()
        .filter(organization_id=cycle.organization_id, cycle=cycle, team=team)
        .first()
    )
    if amount is None:
        if found is not None:
            found.delete()
        return None
    if found is not None and found.amount == amount:
        return found
    budget = found or PayBudget(organization_id=cycle.organization_id, cycle=cycle, team=team)
    budget.amount = amount
    budget.updated_at = timezone.now()
    budget.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            budget.save()
    except IntegrityError:
        raise ValidationError(CHANGED_MEANWHILE) from None
    return budget
