"""What pay adds to the pages of the apps below it, through the hooks they offer (called from PayConfig.ready).

cycles and organizations never import pay; each offers a registry that this function fills:

- cycles.extensions: links on HR's cycle page to the cycle's pay table, budget and payroll export;
- organizations.extensions: links on a person's page to their placement (HR) and to what the outcomes mean
  for them (HR, and their manager when the organisation's pay settings allow it) — pay.links;
- organizations.importing.extra: the people import's scale and step columns (pay.import_columns).
"""

from django.utils.translation import gettext_lazy as _

from cycles import extensions
from organizations import extensions as person_extensions

from . import import_columns, links


def register() -> None:
    extensions.register_cycle_link(_("Pay table"), "pay:pay_table")
    extensions.register_cycle_link(_("Budget"), "pay:budget")
    extensions.register_cycle_link(_("Payroll export"), "pay:export")
    person_extensions.register(links.person_links)
    import_columns.register()  # the people import's scale and step columns (organizations.importing.extra)
