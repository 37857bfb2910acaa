"""Rules of reviews: observations (see reviews/rules.py).

Who records about whom: an HR admin about anyone in the organisation, a
manager about their reports, everyone about themselves (a self-observation).
Who sees one: its author, HR, the person's manager, and the person once it is
visible to them (reviews.models.VISIBLE_TO_EMPLOYEE: not held, or held for a
conversation that has been held or cancelled). Views answer 404 to anyone else.
Its author corrects it at any time and deletes it only while it is still held;
the person it is about reacts once they can see it.
"""

import rules

from cycles.models import OPEN_STATES
from organizations.permissions import is_hr_admin, is_self

from .rules import is_about_self, manages_its_person, manages_person


def is_held(observation) -> bool:
    """Held for a conversation still to take place: the employee does not see it yet (selectors load held_for).

    The Python side of VISIBLE_TO_EMPLOYEE, for a row already loaded; the services read the query itself.
    """
    return observation.held_for_id is not None and observation.held_for.state in OPEN_STATES


@rules.predicate
def is_author(employee, observation):
    return employee is not None and observation is not None and observation.author_id == employee.pk


@rules.predicate
def is_visible_to_the_person(employee, observation):
    return observation is not None and not is_held(observation)


@rules.predicate
def is_still_held(employee, observation):
    return observation is not None and is_held(observation)


RECORD_OBSERVATION = "reviews.record_observation"  # about a person (an Employee)
SEE_PERSON_OBSERVATIONS = "reviews.see_person_observations"  # a person's observations, held ones included
SEE_OBSERVATION = "reviews.see_observation"
CORRECT_OBSERVATION = "reviews.correct_observation"
DELETE_OBSERVATION = "reviews.delete_observation"
REACT_TO_OBSERVATION = "reviews.react_to_observation"

rules.add_rule(RECORD_OBSERVATION, is_hr_admin | manages_person | is_self)
rules.add_rule(SEE_PERSON_OBSERVATIONS, is_hr_admin | manages_person)
rules.add_rule(
    SEE_OBSERVATION, is_author | is_hr_admin | manages_its_person | (is_about_self & is_visible_to_the_person)
)
rules.add_rule(CORRECT_OBSERVATION, is_author)
# Once the person can see it, it is part of the record: never deleted, only corrected (the history keeps both).
rules.add_rule(DELETE_OBSERVATION, is_author & is_still_held)
rules.add_rule(REACT_TO_OBSERVATION, is_about_self & is_visible_to_the_person)
