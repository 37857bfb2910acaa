"""What reviews adds to a conversation's confirmation pages (cycles.extensions.register_step_note).

Observations a manager holds for a conversation stay hidden from the employee until it is held or cancelled
(reviews.models.VISIBLE_TO_EMPLOYEE): so cancelling or holding it shows them to the person, and restoring a
cancelled one hides them again. The page says how many, in one query.
"""

from django.utils.translation import ngettext

from .models import Observation


def conversation_step_note(conversation, step: str) -> list[str]:
    """The sentences about the observations held for ``conversation`` when ``step`` is taken; none if there are none."""
    count = Observation.objects.filter(organization_id=conversation.organization_id, held_for=conversation).count()
    if not count:
        return []
    name = {"count": count, "name": conversation.employee.full_name}
    if step == "restore":
        return [
            ngettext(
                "%(count)d observation held for this conversation is hidden from %(name)s again until it is held.",
                "%(count)d observations held for this conversation are hidden from %(name)s again until it is held.",
                count,
            )
            % name
        ]
    return [
        ngettext(
            "%(count)d observation held for this conversation becomes visible to %(name)s.",
            "%(count)d observations held for this conversation become visible to %(name)s.",
            count,
        )
        % name
    ]
