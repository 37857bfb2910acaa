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
  are still to come, and ``records``: whether to offer recording one;
- ``own_state``: the state of their own review as they read it ("Your manager
  has shared it with you"), not as HR names it;
- ``team_card`` (managers, and HR who have reports): whether to show the card
  of their team's observations and reviews (its counters link to
  reviews:team_reviews); ``active_cycles`` (HR): (id, name) of the active
  cycles, so the counts per state link to the cycle's list of reviews.

reviews/templates/reviews/home_cards.html draws them. Three queries for an
employee, five for a manager, seven for HR without reports; none per row.
"""

from cycles.selectors import active_cycles
from organizations.models import Employee, Role

from . import selectors_observations, selectors_requests, selectors_reviews
from .selectors_mine import state_for_the_employee

OFFERS_RECORDING = (Role.MANAGER, Role.HR_ADMIN)  # whose home offers "Record an observation" about someone
ACTIVE_CYCLES_SHOWN = 5  # HR's home links to each active cycle's reviews; an organisation runs one or two at once


def seen_count(*, employee: Employee) -> int:
    """How many observations about ``employee`` they can read on "What was seen": one count."""
    return selectors_observations.observations_visible(viewer=employee, employee=employee).order_by().count()


def home_card(*, employee: Employee) -> dict:
    """This app's part of ``employee``'s home page, under ``reviews_home`` (see the module's docstring)."""
    records = employee.role in OFFERS_RECORDING
    team_card = employee.role == Role.MANAGER
    if employee.role == Role.HR_ADMIN:
        # HR writes reviews only of their own reports: without any, the team's card would only say "0", and its
        # two counts are not run.
        team_card = Employee.objects.filter(
            organization_id=employee.organization_id, manager=employee, is_active=True
        ).exists()
    requests = selectors_requests.home_card(employee=employee, asked_too=records)
    card = {
        "seen": seen_count(employee=employee),
        "review": selectors_reviews.home_card(employee=employee, team=team_card),
        "requests": requests,
        "records": records,
        "team_card": team_card,
    }
    if records:
        card["asked"] = requests["asked"]
    own = card["review"]["own"]
    card["own_state"] = state_for_the_employee(own["review"].state) if own["review"] else None
    if employee.role == Role.HR_ADMIN:
        card["active_cycles"] = list(
            active_cycles(organization=employee.organization).values_list("pk", "name")[:ACTIVE_CYCLES_SHOWN]
        )
    return {"reviews_home": card}
