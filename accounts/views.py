"""The login's own pages: the interface language, and allauth's pages that Helder closes.

The pages that need an organisation (the profile, which lists a person's
organisations, and accepting an invitation) live above accounts, in home and
organizations, so that accounts imports no higher app.
"""

from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import languages
from .forms import LanguageForm


@require_POST
def language_set(request):
    """Switch the interface language: on the profile when logged in (or at the next login), in a cookie always."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        else:
            languages.remember_choice(request, language)  # saved on the profile at login (languages.on_login)
        languages.set_cookie(response, request, language)
    return response


def closed(request, *args, **kwargs):
    """Pages of allauth that Helder does not offer, answered with 404.

    People are matched to logins by email address, so a login's address never
    changes by itself: HR changes a person's address, and the new address
    accepts an invitation (organizations.logins.email_owner).
    """
    raise Http404
