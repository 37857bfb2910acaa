"""Links about a person that higher apps add to the person's page (organizations never imports them).

A person's page (``organizations:person_detail``) is where HR and a manager look
someone up; the apps above organizations know more about that person (reviews:
their observations). Such an app registers a provider here from its
``AppConfig.ready``; the page asks each provider for its links.

A provider is a callable ``provider(*, viewer, person)`` returning an iterable
of :class:`PersonLink`: only the links ``viewer`` may follow (it asks its own
rules), without queries where it can (the page calls it on every view): pay
reads one organisation setting for a manager.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonLink:
    label: str  # translated
    url: str


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    """Add ``provider`` to every person's page (once, however often ``ready`` runs); usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def person_links(*, viewer, person) -> list[PersonLink]:
    """Every registered provider's links about ``person`` for ``viewer``, in registration order."""
    return [link for provider in _providers for link in provider(viewer=viewer, person=person)]


# --- Notes on a confirmation page ---------------------------------------------------------------------------------
#
# Deactivating a person and deleting a team ask first, on a page saying what will happen to whom. What the higher
# apps keep for that person or team changes with it (cycles: their open conversations and reminders, their
# calendar address, the cycles aimed at the team; expectations: those aimed at the team), so each app adds its own
# sentences: a callable ``note(step, subject)`` (step: "person_deactivate" with an Employee, "team_delete" with a
# Team) returning translated sentences, with counts, in a fixed number of queries.

STEPS = ("person_deactivate", "team_delete")

_step_notes: list[Callable] = []


def register_step_note(note: Callable) -> Callable:
    """Add ``note``'s sentences to the confirmation pages of STEPS (once, however often ``ready`` runs)."""
    if note not in _step_notes:
        _step_notes.append(note)
    return note


def step_notes(step: str, subject) -> list[str]:
    """What every registered note says about taking ``step`` on ``subject``, in registration order."""
    return [sentence for note in _step_notes for sentence in note(step, subject)]
