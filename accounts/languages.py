"""Which language Helder speaks to a person: decided in one place, once per page, before anything is written.

For a logged-in person:

1. the language on their profile (User.language), when they chose one;
2. else their organisation's: on an organisation's pages that organisation's (the door, organizations.tenancy,
   calls :func:`activate_for_organization`); on the pages outside one (the organisation chooser, the profile, the
   password pages) the language their organisations share, looked up when they log in and kept in the session;
3. else the browser's (LocaleMiddleware: the switch's cookie, else Accept-Language).

Before login the browser decides. The language switch used before logging in is a choice too: it is saved on the
profile at login (:func:`on_login`), as the switch saves it when logged in.

The decision is taken before the page's view runs, and again the moment someone logs in, so that a message added
before a redirect ("You are logged in as …", "Your password has been changed.") is in the language of the page
that shows it. Logging out keeps the language for the next page (:class:`accounts.middleware.UserLanguageMiddleware`).

accounts sits below organizations: the organisations' language comes through a hook that organizations fills
(:func:`register_organizations_language`).
"""

from collections.abc import Callable

from django.conf import settings
from django.utils import translation

SESSION_KEY = "helder_language"  # the organisations' shared language, decided at login ("" for none)
CHOSEN_KEY = "helder_language_chosen"  # the switch used before login, saved on the profile at login

_organizations_language: Callable | None = None


def register_organizations_language(function: Callable) -> None:
    """``function(user)`` answers the language of the organisations ``user`` may open, or None when they differ."""
    global _organizations_language
    _organizations_language = function


def organizations_language(user) -> str | None:
    return _organizations_language(user) if _organizations_language is not None else None


def activate(request, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language


def for_logged_in(request) -> str | None:
    """The language of ``request``'s logged-in person outside an organisation's pages, or None: the browser's.

    A session from before this rule gets its organisations' language on its first request (one query, once).
    """
    if request.user.language:
        return request.user.language
    session = getattr(request, "session", None)
    if session is None:
        return None
    if SESSION_KEY not in session:
        session[SESSION_KEY] = organizations_language(request.user) or ""
    return session[SESSION_KEY] or None


def activate_for_organization(request, organization) -> None:
    """On ``organization``'s pages: the person's profile language, else the organisation's."""
    activate(request, request.user.language or organization.language)


def set_cookie(response, request, language: str) -> None:
    """Remember ``language`` in this browser (LocaleMiddleware reads it before login)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )


def remember_choice(request, language: str) -> None:
    """The switch, used before login: saved on the profile of whoever logs in next in this browser session."""
    if hasattr(request, "session"):
        request.session[CHOSEN_KEY] = language


def on_login(sender, request, user, **kwargs):
    """django.contrib.auth's user_logged_in: decide the person's language now, before allauth adds its message.

    The switch used just before logging in becomes the profile's language, also over one chosen earlier: it is the
    person's latest choice, made on the page in front of them (a shared computer's earlier choice does not carry
    over: logging out flushes the session). A test client's force_login (a request without LocaleMiddleware's
    LANGUAGE_CODE) only records the decision.
    """
    session = getattr(request, "session", None)
    if session is None:
        return
    chosen = session.pop(CHOSEN_KEY, "")
    if chosen and chosen != user.language:
        user.language = chosen
        user.save(update_fields=["language"])
    session[SESSION_KEY] = organizations_language(user) or ""
    language = user.language or session[SESSION_KEY]
    if language and hasattr(request, "LANGUAGE_CODE"):
        activate(request, language)
