"""Rules of reviews: evidence coverage on the team grid, and the links to a person's observations (see reviews/rules.py).

The team grid itself is cycles' page (managers and HR, ``cycles.view_team_conversations``)
and lists only the viewer's own reports, so coverage follows the same door:
``SEE_COVERAGE`` is asked of the viewer alone. The links about one person (on the
grid, on their page in organizations) are object rules about that person.
"""

import rules

from organizations.permissions import is_hr_admin, is_manager

from .rules import manages_person

SEE_COVERAGE = "reviews.see_coverage"
# Links about one person (an Employee): their observations, and recording one. The pages behind them
# (observations) decide for themselves; these only keep a link from showing to someone it would refuse.
LINK_PERSON_OBSERVATIONS = "reviews.link_person_observations"
LINK_RECORD_OBSERVATION = "reviews.link_record_observation"

rules.add_rule(SEE_COVERAGE, is_manager | is_hr_admin)
rules.add_rule(LINK_PERSON_OBSERVATIONS, manages_person | is_hr_admin)
rules.add_rule(LINK_RECORD_OBSERVATION, manages_person)
