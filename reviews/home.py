"""reviews' cards on the home page: what was seen, the person's review, requests to answer, and per role the rest.

home.selectors asks every app's ``home_card(employee=...)``; this one gathers
the parts of reviews under one key, ``reviews_home``, so their names never
meet another app's in the page's context:

- ``seen``: how many observations about the person they can read (one count,
  by the same rule as the "What was seen" page);
- ``review``: reviews.selectors_reviews.home_card (their review and what they
  still have to do; for managers the reviews to write and to sign; for HR the
  reviews per state in the active cycles);
- ``requests``: reviews.selectors_requests.home_card (requests waiting for
  their answer);
- ``asked`` (managers and HR): the observations they asked colleagues for that
  are still to come, and ``records``: whether to offer recording one.

reviews/templates/reviews/home_cards.html draws them. Three queries for an
employee, six for a manager, seven for HR; none per row.
"""

from organizations.models import Employee, Role

from . import selectors_observations, selectors_requests, selectors_reviews
from .models import ObservationRequest

OFFERS_RECORDING = (Role.MANAGER, Role.HR_ADMIN)  # whose home offers "Record an observation" about someone


def seen_count(*, employee: Employee) -> int:
    """How many observations about ``employee`` they can read on "What was seen": one count."""
    return selectors_observations.observations_visible(viewer=employee, employee=employee).order_by().count()


def asked_count(*, employee: Employee) -> int:
    """How many observations ``employee`` asked colleagues for are still to come (open requests): one count."""
    return ObservationRequest.objects.filter(
        organization_id=employee.organization_id, asked_by=employee, state=selectors_requests.OPEN
    ).count()


def home_card(*, employee: Employee) -> dict:
    """This app's part of ``employee``'s home page, under ``reviews_home`` (see the module's docstring)."""
    card = {
        "seen": seen_count(employee=employee),
        "review": selectors_reviews.home_card(employee=employee),
        "requests": selectors_requests.home_card(employee=employee),
        "records": employee.role in OFFERS_RECORDING,
    }
    if card["records"]:
        card["asked"] = asked_count(employee=employee)
    return {"reviews_home": card}
