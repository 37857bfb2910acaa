"""Rules of reviews: evidence coverage on the team grid (see reviews/rules.py).

The team grid is cycles' page (managers and HR, ``cycles.view_team_conversations``)
and lists only the viewer's own reports, so coverage follows the same door and is
asked of the viewer alone. Its links to one person's observations and to recording
one ask the observations' own rules (reviews.rules_observations), as the person's
page does.
"""

import rules

from organizations.permissions import is_hr_admin, is_manager

SEE_COVERAGE = "reviews.see_coverage"

rules.add_rule(SEE_COVERAGE, is_manager | is_hr_admin)
