"""calibration's card on the home page: "The rules here" for every member, and HR's cockpit.

home.selectors asks every app's ``home_card(employee=...)``; this one answers under ``calibration_home`` and asks
nothing of the database: the rules card is a link, and HR's cockpit is loaded after the page by htmx
(calibration/templates/calibration/cockpit_home.html), so every home page stays within its 15 queries
(tests/home/test_home_query_budget.py).
"""

from organizations.models import Employee
from organizations.permissions import can

from .rules import CALIBRATE


def home_card(*, employee: Employee) -> dict:
    """``{"calibration_home": {"cockpit": whether to load HR's cockpit}}``: no query."""
    return {"calibration_home": {"cockpit": can(employee, CALIBRATE)}}
