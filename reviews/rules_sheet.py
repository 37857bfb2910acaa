"""Rules of reviews: the conversation sheet and the self-reflection (see reviews/rules.py).

Predicates take the acting Employee and a conversation (loaded by
cycles.selectors.conversations_detailed). Seeing the sheet at all is cycles'
SEE_CONVERSATION (HR, the person and their manager; 404 for anyone else).

The self-reflection is the person's own: only they write it, while the
conversation is still open (to schedule or scheduled) and only when its moment
asks for one. Their manager reads it once it is submitted, and the latest
submitted text after an edit; HR sees only whether it was submitted (it is
preparation between the two of them), so HR and the manager get 403 when they
post to it. services_sheet.reflection_save refuses the same states on the row
as it is in the database.
"""

import rules

from core.rules import field_in
from cycles.models import OPEN_STATES
from cycles.rules import is_the_person, manages_the_person
from organizations.permissions import is_hr_admin

# The conversation states in which the person may still write or change their self-reflection.
REFLECTION_OPEN = OPEN_STATES


@rules.predicate
def asks_reflection(employee, conversation):
    """The conversation's moment asks the person for a self-reflection."""
    return conversation is not None and conversation.moment.asks_reflection


is_before_the_conversation = field_in("state", REFLECTION_OPEN, "is_before_the_conversation")

WRITE_REFLECTION = "reviews.write_reflection"
EDIT_REFLECTION = "reviews.edit_reflection"
READ_REFLECTION = "reviews.read_reflection"
SEE_REFLECTION_STATUS = "reviews.see_reflection_status"
READ_MANAGER_GUIDE = "reviews.read_manager_guide"
SEE_HELD_OBSERVATIONS = "reviews.see_held_observations"

# The person's page of their own self-reflection (it answers "not asked" when the moment does not ask for one).
rules.add_rule(WRITE_REFLECTION, is_the_person)
# Saving it: the person, a moment that asks, before the conversation is held or cancelled.
rules.add_rule(EDIT_REFLECTION, is_the_person & asks_reflection & is_before_the_conversation)
# Its answers, once submitted: the person's manager.
rules.add_rule(READ_REFLECTION, manages_the_person)
# Whether it was submitted: HR too.
rules.add_rule(SEE_REFLECTION_STATUS, is_the_person | manages_the_person | is_hr_admin)
# On the sheet: the manager's guide for the moment kind, and every observation (those held for a conversation
# marked). The person sees what the conversation is (not) for, and only the observations visible to them (also
# when they are HR).
rules.add_rule(READ_MANAGER_GUIDE, manages_the_person | is_hr_admin)
rules.add_rule(SEE_HELD_OBSERVATIONS, (manages_the_person | is_hr_admin) & ~is_the_person)
