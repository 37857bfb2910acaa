"""Conditional state changes: a state moves only from the states it may move from, in one UPDATE.

``UPDATE … SET status = 'published' WHERE pk = 7 AND status IN ('draft', 'sharpening')``
lets the database decide between two people acting at once: on PostgreSQL
the second UPDATE waits for the first to commit, reads the row again, no
longer finds it in a state it may move from, and changes nothing. So exactly
one of them is told it succeeded, without a lock held across the request,
and on SQLite (one writer at a time) the same holds.
"""

from collections.abc import Iterable


def move_state(rows, pk, from_states, to_state, *, field: str = "status", **fields) -> bool:
    """Move row ``pk`` of ``rows`` (a model or a queryset) from one of ``from_states`` to ``to_state``.

    ``field`` names the state field; ``fields`` are set in the same UPDATE (a
    timestamp, who did it). Returns True when this call moved the row; False
    when the row is gone or was not in one of ``from_states`` (someone else
    moved it first), and then nothing is written. Running it twice is
    harmless: the second call finds the row moved and returns False.
    """
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    if isinstance(from_states, str) or not isinstance(from_states, Iterable):
        from_states = (from_states,)
    moved = queryset.filter(pk=pk, **{f"{field}__in": list(from_states)}).update(**{field: to_state}, **fields)
    return moved == 1
