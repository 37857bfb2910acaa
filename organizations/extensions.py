"""Links about a person that higher apps add to the person's page (organizations never imports them).

A person's page (``organizations:person_detail``) is where HR and a manager look
someone up; the apps above organizations know more about that person (reviews:
their observations). Such an app registers a provider here from its
``AppConfig.ready``; the page asks each provider for its links.

A provider is a callable ``provider(*, viewer, person)`` returning an iterable
of :class:`PersonLink`: only the links ``viewer`` may follow (it asks its own
rules), without queries, since the page calls it on every view.
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
