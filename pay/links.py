"""pay's links on a person's page (organizations.extensions): HR's placement, and what the outcomes mean for them.

Registered from pay/hooks.py. Without queries of its own: the rule reads the organisation's setting for managers
once per request and keeps it on the organisation object (pay.rules.organization_lets_managers_see).
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from organizations.extensions import PersonLink
from organizations.permissions import can

from .rules import MANAGE_PAY, SEE_OUTCOMES_OF


def _address(name, person, **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": person.organization.slug, **kwargs})


def person_links(*, viewer, person) -> list[PersonLink]:
    """For HR: the person's salary scale and step; for whoever may read them: what the outcomes mean for the person
    (one's own page for oneself)."""
    if viewer is None:
        return []
    if person.pk == viewer.pk:
        return [PersonLink(label=_("What my outcome means"), url=_address("pay:mine", person))]
    links = []
    if can(viewer, MANAGE_PAY):
        try:  # pay:placement_edit arrives with the placements' pages; until then there is no link to make
            url = _address("pay:placement_edit", person, employee_id=person.pk)
        except NoReverseMatch:
            pass
        else:
            links.append(PersonLink(label=_("Salary scale and step"), url=url))
    if can(viewer, SEE_OUTCOMES_OF, person):
        url = _address("pay:person_outcomes", person, employee_id=person.pk)
        links.append(PersonLink(label=_("What the outcomes mean"), url=url))
    return links
