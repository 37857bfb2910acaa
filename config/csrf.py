"""The page for a refused form (CSRF_FAILURE_VIEW): translated, in the site's layout, with a way back."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request, reason: str = ""):
    """403 with an explanation people can act on instead of Django's technical page.

    Most often the form sat open past a login, logout or a change of language,
    or the browser refused cookies. The way back is the page the form came from
    (the Referer, when it is this site), else the home page. Django has already
    logged ``reason`` (logger django.security.csrf); it is not shown.
    """
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return render(request, "403_csrf.html", {"back_url": back, "home_url": reverse("home")}, status=403)
