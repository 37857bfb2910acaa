"""Building blocks for the ``rules`` predicates each app declares in its own rules.py."""

import rules


def field_in(field: str, values: frozenset, name: str) -> rules.Predicate:
    """A predicate that holds when the object's ``field`` is one of ``values`` (never when there is no object).

    The apps' state sets (``UNPUBLISHED``, ``SCHEDULABLE``, ...) are the same sets their services' conditional
    updates read, so a rule built from one refuses exactly what the service refuses.
    """

    def check(employee, obj):
        return obj is not None and getattr(obj, field) in values

    return rules.Predicate(check, name=name)
