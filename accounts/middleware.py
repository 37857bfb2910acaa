from django.utils import translation

from . import languages


class UserLanguageMiddleware:
    """Activate a logged-in person's language (accounts.languages) before the view runs.

    Runs after LocaleMiddleware, which has already picked the cookie's or the browser's language; the profile's
    choice, else the organisations' shared language, wins over both. On an organisation's pages the door
    (organizations.tenancy) decides again with that organisation.

    Logging out keeps the language: the login page that follows, and the "You are logged out." message it
    shows, are in the language the person was reading, not suddenly the browser's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        if logged_in and (language := languages.for_logged_in(request)):
            languages.activate(request, language)
        response = self.get_response(request)
        if logged_in and not request.user.is_authenticated:
            languages.set_cookie(response, request, translation.get_language())
        return response
