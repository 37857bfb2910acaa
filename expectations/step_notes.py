"""What expectations adds to organizations' confirmation page for deleting a team (organizations.extensions).

An expectation aimed at teams applies to the members of those teams (selectors.applicable_expectations): deleting
a team takes it off every expectation's list, so its members no longer see those expectations, and one aimed at
that team alone then applies to nobody. Retired ones apply to nobody anyway and are not counted. Two queries.
"""

from django.db.models import Count
from django.utils.translation import ngettext

from .models import Expectation, Status


def team_delete_note(step: str, subject) -> list[str]:
    """The sentences about the expectations aimed at the team ``subject`` when it is deleted; none if there are none."""
    if step != "team_delete":
        return []
    aimed = Expectation.objects.filter(organization_id=subject.organization_id, teams=subject).exclude(
        status=Status.RETIRED
    )
    total = aimed.count()
    if not total:
        return []
    # Counted apart from the filter on this team, which would leave only its own row of the join to count.
    alone = Expectation.objects.filter(pk__in=aimed.values("pk")).annotate(n=Count("teams")).filter(n=1).count()
    notes = [
        ngettext(
            "%(count)d expectation is aimed at this team; the team is taken off it, so its members no longer see it.",
            "%(count)d expectations are aimed at this team; the team is taken off them, so its members no longer "
            "see them.",
            total,
        )
        % {"count": total}
    ]
    if alone:
        notes.append(
            ngettext(
                "%(count)d of them is aimed at this team only and then applies to nobody.",
                "%(count)d of them are aimed at this team only and then apply to nobody.",
                alone,
            )
            % {"count": alone}
        )
    return notes
