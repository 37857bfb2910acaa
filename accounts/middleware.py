from django.utils import translation


class UserLanguageMiddleware:
    """Activate the language a logged-in person chose on their profile.

    Runs after LocaleMiddleware, which has already picked the cookie's or the
    browser's language; a saved choice wins over both. A person who never chose
    gets their organisation's language inside the organisation area (the door
    in organizations.tenancy does that).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
