"""The organisations' side of accounts.languages: the language of the organisations a login may open."""

from django_scopes import scopes_disabled

from .models import OPEN_MEMBERSHIP, Employee


def organizations_language(user) -> str | None:
    """The language every organisation ``user`` may open speaks, or None when they differ or there are none.

    One query, asked when someone logs in (accounts.languages.on_login); its answer is kept in the session.
    """
    with scopes_disabled():
        spoken = set(
            Employee.objects.filter(OPEN_MEMBERSHIP, user=user)
            .order_by()
            .values_list("organization__language", flat=True)
            .distinct()[:2]
        )
    return spoken.pop() if len(spoken) == 1 else None
