"""Rules of pay: who configures it, and whose figures someone may read.

HR configures everything (salary scales, placements, the organisation's pay settings, each cycle's pay table,
the budget and the export). Everyone reads what the outcomes mean for themselves. Managers read it for their
reports only when the organisation's pay settings say so (``managers_see_reports``, off by default); HR reads
it for anyone. The views, the services and the templates ask these names, never the roles.
"""

import rules

from organizations.permissions import is_hr_admin, is_manager_of, is_self


@rules.predicate
def organization_lets_managers_see(employee):
    """The organisation's pay settings let managers read their reports' figures (read once per request)."""
    if employee is None:
        return False
    organization = employee.organization
    cached = getattr(organization, "_pay_managers_see_reports", None)
    if cached is None:
        from .standing import settings_for

        cached = settings_for(organization_id=organization.pk).managers_see_reports
        organization._pay_managers_see_reports = cached
    return cached


MANAGE_PAY = "pay.manage"  # scales, placements, settings, pay tables, budget and export (pages and services)
SEE_OWN_OUTCOMES = "pay.see_own_outcomes"  # "What my outcome means": every member
SEE_OUTCOMES_OF = "pay.see_outcomes_of"  # about a person: what the outcomes mean for them

rules.add_rule(MANAGE_PAY, is_hr_admin)
rules.add_rule(SEE_OWN_OUTCOMES, rules.always_allow)
rules.add_rule(SEE_OUTCOMES_OF, is_self | is_hr_admin | (is_manager_of & organization_lets_managers_see))
