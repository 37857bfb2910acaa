"""What the home page shows, asked of each app: every app that has a card offers ``home_card(employee=...)``."""

from calibration import home as calibration_home
from cycles import selectors as cycle_selectors
from cycles import selectors_overdue as overdue_selectors
from organizations import selectors as organization_selectors
from organizations.models import Role
from pay import home as pay_home
from reviews import home as reviews_home

# In the order the page shows them; each returns the template variables of its card(s).
CARDS = (
    cycle_selectors.home_card,
    overdue_selectors.home_card,  # HR: "N conversations overdue", straight to the overdue list
    organization_selectors.home_card,
    reviews_home.home_card,
    pay_home.home_card,
    calibration_home.home_card,
)


def home_cards(*, employee) -> dict:
    """The home page's template variables for ``employee``: their membership and every app's card."""
    context = {"employee": employee}
    for card in CARDS:
        context.update(card(employee=employee))
    _reports_already_known(context, employee)
    return context


def _reports_already_known(context: dict, employee) -> None:
    """HR's list of reports without asking again when reviews' card has found they have none.

    For HR both cards ask the same question: organizations lists the active people whose manager they are
    (``reports``, read when the page draws it) and reviews asks whether there is any (``team_card``). When there
    is none the list is empty, so it is not read a second time: HR's home stays within its 15 queries
    (tests/home/test_home_query_budget.py) with pay's card on it.
    """
    reviews = context.get("reviews_home")
    if employee.role == Role.HR_ADMIN and reviews is not None and not reviews["team_card"] and "reports" in context:
        context["reports"] = []
