"""What the home page shows, asked of each app: every app that has a card offers ``home_card(employee=...)``."""

from cycles import selectors as cycle_selectors
from organizations import selectors as organization_selectors
from reviews import home as reviews_home

# In the order the page shows them; each returns the template variables of its card(s).
CARDS = (cycle_selectors.home_card, organization_selectors.home_card, reviews_home.home_card)


def home_cards(*, employee) -> dict:
    """The home page's template variables for ``employee``: their membership and every app's card."""
    context = {"employee": employee}
    for card in CARDS:
        context.update(card(employee=employee))
    return context
