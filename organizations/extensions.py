"""What higher apps add to organizations' pages (organizations never imports them): links and sections about a
person, sentences on a confirmation page, sections after an import.

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


# --- Sections on a person's page and on an applied import's page ----------------------------------------------------
#
# A section is a part of a page that a higher app renders with its own template (cycles: the conversations a person
# has, and the offer to add someone who has none to an active cycle). ``lead`` sections stand right under the page's
# heading (what to do next about this person or these people), the others below the person's details. A section
# decides itself who sees it and runs a fixed number of queries whatever the size of the organisation.
#
# - person sections: a callable ``section(*, viewer, person)`` returning a Section or None (nothing to show, or not
#   to this viewer); the person's page includes each one's template with ``section`` (the Section's context) and the
#   page's own context (``person``, ``request``).
# - import sections: a callable ``section(*, viewer, people_import)`` for the page of an import that was applied,
#   called when it is shown and once when the import is applied (with a section to show, HR lands on that page
#   instead of the list of people).


@dataclass(frozen=True)
class Section:
    """A template included on the page, and its variables (as ``section``)."""

    template: str
    context: dict
    lead: bool = False


_person_sections: list[Callable] = []
_import_sections: list[Callable] = []


def register_person_section(section: Callable) -> Callable:
    """Add ``section`` to every person's page (once, however often ``ready`` runs); usable as a decorator."""
    if section not in _person_sections:
        _person_sections.append(section)
    return section


def person_sections(*, viewer, person) -> list[Section]:
    """What every registered person section shows ``viewer`` about ``person``, in registration order."""
    return [shown for section in _person_sections if (shown := section(viewer=viewer, person=person)) is not None]


def register_import_section(section: Callable) -> Callable:
    """Add ``section`` to the page of every applied people import (once, however often ``ready`` runs)."""
    if section not in _import_sections:
        _import_sections.append(section)
    return section


def import_sections(*, viewer, people_import) -> list[Section]:
    """What every registered import section shows ``viewer`` after ``people_import``, in registration order."""
    return [
        shown
        for section in _import_sections
        if (shown := section(viewer=viewer, people_import=people_import)) is not None
    ]
