"""What higher apps say about a review, so that reviews never imports them: refusals of sharing, notes, links.

Three registries, each filled once from a higher app's ``AppConfig.ready`` (calibration does it in
calibration/hooks.py):

- share guards (:func:`register_share_guard`): ``guard(review)`` answers a translated sentence saying why the
  review cannot be shared now, or None. review_share refuses with the first such sentence and changes nothing,
  and the review page shows that sentence instead of the Share button. Calibration refuses while HR's
  calibration window of the review's cycle is open. A guard is called inside review_share's transaction, so it
  may lock the row its answer rests on (calibration locks its window's row), and a step that changes that row
  at the same moment waits for the share or is seen by it whole;
- notes (:func:`register_review_note`): ``note(review)`` answers translated sentences about the review ("HR
  moved the outcome from … to … on …: …"). The review page shows them to everyone who reads the review but the
  person it is about: they read the outcome as it stands, not how it came about;
- links (:func:`register_review_link`): ``link(review, viewer)`` answers ``(label, address)`` pairs for what
  ``viewer`` may do with the review elsewhere (calibration: HR moves the outcome). The link asks its own rules;
- outcome keepers (:func:`register_outcome_keeper`): ``keeper(review)`` answers the id of a band someone else
  gave the review with a reason of their own (calibration: HR's latest move), or None. review_save accepts that
  band without the manager's justification: the reason is already written, and the page shows it.

Each callable runs a fixed number of queries (one, or none where it can), whatever the number of rows, so the
review page's query count stays flat. Registering the same callable twice adds it once.
"""

from collections.abc import Callable, Iterable

ShareGuard = Callable[[object], "str | None"]
ReviewNote = Callable[[object], Iterable[str]]
ReviewLink = Callable[[object, object], Iterable[tuple[str, str]]]
OutcomeKeeper = Callable[[object], "int | None"]

_share_guards: list[ShareGuard] = []
_review_notes: list[ReviewNote] = []
_review_links: list[ReviewLink] = []
_outcome_keepers: list[OutcomeKeeper] = []


def register_share_guard(guard: ShareGuard) -> ShareGuard:
    """Ask ``guard`` before every share of a review (once, however often ``ready`` runs)."""
    if guard not in _share_guards:
        _share_guards.append(guard)
    return guard


def share_refusal(review) -> str | None:
    """Why ``review`` cannot be shared now, in the reader's language: the first refusal; None when no guard refuses."""
    for guard in _share_guards:
        refusal = guard(review)
        if refusal:
            return str(refusal)
    return None


def register_review_note(note: ReviewNote) -> ReviewNote:
    """Show ``note``'s sentences on every review page (once, however often ``ready`` runs)."""
    if note not in _review_notes:
        _review_notes.append(note)
    return note


def review_notes(review) -> list[str]:
    """What every registered note says about ``review``, in registration order."""
    return [str(sentence) for note in _review_notes for sentence in note(review)]


def register_review_link(link: ReviewLink) -> ReviewLink:
    """Offer ``link``'s addresses on every review page (once, however often ``ready`` runs)."""
    if link not in _review_links:
        _review_links.append(link)
    return link


def review_links(review, viewer) -> list[tuple[str, str]]:
    """``(label, address)`` of what ``viewer`` may do with ``review`` in the higher apps, in registration order."""
    return [(str(label), address) for link in _review_links for label, address in link(review, viewer)]


def register_outcome_keeper(keeper: OutcomeKeeper) -> OutcomeKeeper:
    """Ask ``keeper`` which band another app gave a review with its own reason (once, however often ``ready`` runs)."""
    if keeper not in _outcome_keepers:
        _outcome_keepers.append(keeper)
    return keeper


def kept_band_id(review) -> int | None:
    """The band a registered keeper says was given to ``review`` with a reason (the first that says one), or None."""
    for keeper in _outcome_keepers:
        found = keeper(review)
        if found is not None:
            return found
    return None
