"""Rules of reviews: the lists of one's own reviews and of the reviews a manager writes (see reviews/rules.py).

Every member may read the list of their own reviews (it holds only what has been shared with them, as
SEE_REVIEW lets them open). The list of reviews one writes is for managers and HR, who are the people
reviews.rules_reviews.START_REVIEW lets write one; the list holds only the viewer's own.
"""

import rules

from organizations.permissions import is_hr_admin, is_manager

SEE_TEAM_REVIEWS = "reviews.see_team_reviews"

rules.add_rule(SEE_TEAM_REVIEWS, is_manager | is_hr_admin)
