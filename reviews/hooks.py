"""What reviews adds to the pages and the reminders of the apps below it, through the hooks they offer.

Called once from ReviewsConfig.ready. cycles and organizations never import
reviews; each offers a registry that this function fills:

- cycles.extensions: the conversation sheet's sections on a conversation's page
  (reviews.views_sheet), evidence coverage on the team grid, the outcome
  bands and reviews on HR's cycle page, and what holding or cancelling a
  conversation does to the observations held for it (reviews.step_notes);
- cycles.anchors: the reminders of observation requests (reviews.reminders);
- organizations.extensions: links on a person's page (reviews.views_coverage).
"""

from django.utils.translation import gettext_lazy as _

from cycles import extensions
from organizations import extensions as person_extensions

from . import reminders, step_notes, views_coverage, views_sheet

# The conversation sheet, in page order: (key, panel).
SHEET_PANELS = (
    ("reviews.guide", views_sheet.guide_panel),
    ("reviews.expectations", views_sheet.expectations_panel),
    ("reviews.observations", views_sheet.observations_panel),
    ("reviews.reflection", views_sheet.reflection_panel),
    ("reviews.previous", views_sheet.previous_panel),
    ("reviews.review", views_sheet.review_panel),
)


def register() -> None:
    for order, (key, panel) in enumerate(SHEET_PANELS, start=1):
        extensions.register_panel(key, panel, order=order * 10)
    extensions.register_grid_section(views_coverage.coverage_on_team_grid)
    extensions.register_cycle_link(_("Outcome bands"), "reviews:outcome_bands")
    extensions.register_cycle_link(_("Reviews"), "reviews:cycle_reviews")
    extensions.register_step_note(step_notes.conversation_step_note)
    person_extensions.register(views_coverage.person_links)
    reminders.register()
