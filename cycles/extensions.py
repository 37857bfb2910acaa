"""What higher apps add to cycles' pages, so that cycles never imports them.

Four hooks, each filled from an app's ``AppConfig.ready`` (reviews does it in
reviews/hooks.py):

- panels on a conversation's page (:func:`register_panel`), below;
- sections on a manager's team grid (:func:`register_grid_section`);
- links on HR's cycle page (:func:`register_cycle_link`);
- sentences on a conversation step's confirmation page (:func:`register_step_note`: what marking it held or
  cancelling it does to the higher app's rows, with counts).

Panels. The conversation page is the conversation sheet both people prepare with. Cycles
shows what it owns (the moment's purpose, the preparation notes, the date and
this conversation's agreements); a higher app adds its own sections ("panels")
by registering a callable in its ``AppConfig.ready``::

    extensions.register_panel("reviews.observations", observations_panel, order=30)

A panel is called with the request (the door has set ``request.employee`` and
the organisation's scope) and the conversation (loaded by
``selectors.conversations_detailed``), and answers None (nothing to show this
person) or ``(template name, context dict)``. The page includes that template
with the page's own context plus ``panel``, the panel's dict. A panel decides
itself who sees what, and runs a fixed number of queries whatever the number of
rows, so the page's query count stays flat. Panels run only when the page is
rendered as a whole, not for the htmx fragment of the conversation card.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.http import HttpRequest
from django.urls import reverse

from .models import Conversation

Panel = Callable[[HttpRequest, Conversation], "tuple[str, dict] | None"]


@dataclass(frozen=True)
class Registered:
    key: str
    panel: Panel
    order: int


@dataclass(frozen=True)
class Shown:
    """One panel as the page renders it: ``{% include shown.template with panel=shown.context %}``."""

    key: str
    template: str
    context: dict


_panels: dict[str, Registered] = {}


def register_panel(key: str, panel: Panel, *, order: int = 100) -> None:
    """Add ``panel`` to every conversation page, at ``order`` (lower first). Registering a key again replaces it."""
    _panels[key] = Registered(key=key, panel=panel, order=order)


def registered() -> list[Registered]:
    """The registered panels in page order."""
    return sorted(_panels.values(), key=lambda item: (item.order, item.key))


def conversation_panels(request: HttpRequest, conversation: Conversation) -> list[Shown]:
    """The panels this person sees on ``conversation``'s page, in order."""
    shown = []
    for item in registered():
        result = item.panel(request, conversation)
        if result is not None:
            template, context = result
            shown.append(Shown(key=item.key, template=template, context=context))
    return shown


class Panels:
    """The page's panels, worked out on first use: a fragment that does not show them costs no query."""

    def __init__(self, request: HttpRequest, conversation: Conversation):
        self.request, self.conversation = request, conversation

    @cached_property
    def shown(self) -> list[Shown]:
        return conversation_panels(self.request, self.conversation)

    def __iter__(self):
        return iter(self.shown)

    def __bool__(self):
        return bool(self.shown)

    def __len__(self):
        return len(self.shown)


# --- Sections on the team grid ----------------------------------------------------------------------------------
#
# The team grid is where a manager should see, say, which of their reports still lack evidence before the
# assessment. A section is a callable ``section(request, *, manager, cycle, reports)`` returning a GridSection or
# None (nothing to show, or not for this person). ``reports`` are the Employees the grid shows, already loaded: a
# section reads what it needs for all of them at once, in a fixed number of queries, so the grid's query count
# stays the same for 3 reports or 300.


@dataclass(frozen=True)
class GridSection:
    """What a section adds: a template included below the cycle's table, and its variables (as ``section``)."""

    template: str
    context: dict = field(default_factory=dict)


_grid_sections: list[Callable] = []


def register_grid_section(section: Callable) -> None:
    """Add ``section`` to every team grid, below each cycle's table (once, however often ``ready`` runs)."""
    if section not in _grid_sections:
        _grid_sections.append(section)


def grid_sections(request, *, manager, cycle, reports) -> list[GridSection]:
    """What every registered section shows for ``manager``'s ``reports`` in ``cycle``, in registration order."""
    shown = []
    for section in _grid_sections:
        result = section(request, manager=manager, cycle=cycle, reports=reports)
        if result is not None:
            shown.append(result)
    return shown


# --- Links on the cycle page ------------------------------------------------------------------------------------
#
# A label and the name of a URL that takes ``org_slug`` and ``cycle_id``, behind the same door as the cycle page
# (HR): reviews adds the cycle's outcome bands and its list of reviews.


@dataclass(frozen=True)
class CycleLink:
    label: str  # a lazy translation
    url_name: str  # reversed with org_slug and cycle_id


_cycle_links: list[CycleLink] = []


def register_cycle_link(label, url_name: str) -> None:
    """Show a link to ``url_name`` labelled ``label`` on every cycle page; registering it twice adds it once."""
    if all(existing.url_name != url_name for existing in _cycle_links):
        _cycle_links.append(CycleLink(label, url_name))


def cycle_links(cycle) -> list[tuple[str, str]]:
    """``(label, address)`` of each registered link for ``cycle``, in the order they were registered."""
    kwargs = {"org_slug": cycle.organization.slug, "cycle_id": cycle.pk}
    return [(link.label, reverse(link.url_name, kwargs=kwargs)) for link in _cycle_links]


# --- Notes on a conversation's confirmation pages -----------------------------------------------------------------
#
# Cancelling, restoring and marking a conversation held each ask first, on a page saying what will happen to whom.
# What a higher app keeps for the conversation changes with it (reviews: observations held for it are released
# when it is held or cancelled, and held back again when it is restored), so that app adds its own lines: a
# callable ``note(conversation, step)`` (step: "cancel", "hold" or "restore") returning translated sentences,
# with counts, in a fixed number of queries.

STEPS = ("cancel", "hold", "restore")

_step_notes: list[Callable] = []


def register_step_note(note: Callable) -> None:
    """Add ``note``'s sentences to every conversation confirmation page (once, however often ``ready`` runs)."""
    if note not in _step_notes:
        _step_notes.append(note)


def step_notes(conversation: Conversation, step: str) -> list[str]:
    """What every registered note says about taking ``step`` on ``conversation``, in registration order."""
    return [sentence for note in _step_notes for sentence in note(conversation, step)]
