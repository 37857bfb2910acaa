"""Hooks that higher apps connect to, so that organizations never imports them.

Each signal is sent inside the service's transaction, with ``organization_id``
and ``employee_id`` as keyword arguments; a receiver that does more than a
few writes should defer its work with ``transaction.on_commit``.
"""

from django.dispatch import Signal

# A membership was deactivated: access to this organisation ends; higher apps
# retire what belongs to it (the calendar feed's address, for one).
person_deactivated = Signal()

# A membership moved to another login (HR changed the person's email address):
# whatever the old login's owner holds for it must stop showing this membership
# (the calendar feed's address, for one). Same keyword arguments.
membership_moved = Signal()

# A person's place changed in a way other apps plan around: their manager, team,
# role or active state (``fields``: a frozenset of the Employee field names that
# changed, among PERSON_FIELDS). Sent by every path that changes them: editing a
# person, deactivating and reactivating them, and the people import. A new
# membership announces the fields it was given. Receivers record what they must
# redo (the reminders of the cycles the person is in, for one) inside the
# sender's transaction and do the work after the commit.
person_changed = Signal()

PERSON_FIELDS = frozenset({"manager", "team", "role", "is_active"})
