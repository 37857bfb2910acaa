"""Everyone's own year: "my year" (every moment of one of their cycles and its conversation) and the calendar feed.

"My year" shows the current cycle (cycles.selectors_year.current_cycle) and links to the person's other cycles.

The feed address (``/calendar/<token>.ics``) sits outside the organisation
area: calendar programs fetch it without logging in, so the long random token
is the only key. An unknown, replaced or deactivated person's token answers 404;
deactivation retires the address for good (cycles.receivers), so reactivating
the person gives them a new one rather than reviving the old. What the feed
holds, and why no location, is in cycles.ical.

Calendar programs poll the address again and again, and building a manager's
feed (their own and their reports' conversations) costs far more than finding
out whether it changed: the body is kept (core.cache) under a key that changes
with its conversations and their windows' moves (selectors.feed_fingerprint)
and the person's language. What that key does not see (a renamed person or
cycle) shows within ``FEED_CACHE_SECONDS`` (300 by default, as long as the response lets a
calendar program keep it; 0 turns it off, as the test settings do).
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_scopes import scope

from core.cache import remembered
from core.confirm import confirm_page, confirmed
from organizations.tenancy import org_view

from . import ical, selectors, selectors_year, services
from .models import Cycle

FEED_MAX_AGE = 300  # seconds; calendar programs poll far less often anyway


def _feed_url(request, feed):
    return request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": feed.token}))


def subscribe_url(feed_url: str) -> str:
    """The feed's address with the webcal scheme, which calendar apps open as "subscribe to this calendar"."""
    return "webcal://" + feed_url.split("://", 1)[1]


@org_view()
@require_GET
def my_year(request):
    """The moments of one of the person's cycles with their conversations: the current cycle, or ``?cycle=<id>``,
    another cycle they have conversations in (anything else is 404); and their calendar address."""
    cycles = selectors_year.cycles_of_person(employee=request.employee)
    try:
        cycle = selectors_year.chosen_cycle(cycles, request.GET.get("cycle"))
    except Cycle.DoesNotExist:
        raise Http404 from None
    conversations = list(selectors.my_year(employee=request.employee, cycle=cycle)) if cycle else []
    feed_url = _feed_url(request, services.feed_for(employee=request.employee))
    context = {
        "cycle": cycle,
        "cycle_links": selectors_year.cycle_links(cycles, cycle),
        "conversations": conversations,
        "feed_url": feed_url,
        "subscribe_url": subscribe_url(feed_url),
    }
    return render(request, "cycles/my_year.html", context)


@org_view()
@require_http_methods(["GET", "POST"])
def feed_regenerate(request):
    """Give the person a new calendar address, after a page saying that the old one stops working everywhere."""
    back = reverse("cycles:my_year", kwargs={"org_slug": request.organization.slug})
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Make a new calendar address"),
            points=[
                _(
                    "Your calendar address now stops working in every calendar that subscribed to it: "
                    "their Helder conversations disappear there."
                ),
                _("To see your conversations again, subscribe with the new address on “My year”."),
                _("Do this when the address may have reached someone else; it cannot be undone."),
            ],
            button=_("Make a new address"),
            back=back,
            back_label=_("Back to my year"),
        )
    services.feed_regenerate(employee=request.employee)
    messages.success(
        request, _("Your calendar has a new address. The old one no longer works: subscribe again with the new one.")
    )
    return redirect(back)


def _feed_body(employee) -> bytes:
    conversations = list(selectors.feed_conversations(employee=employee))
    return ical.build_feed(
        employee=employee, conversations=conversations, moment_sequences=selectors.moment_sequences(conversations)
    )


@require_GET
def calendar_feed(request, token):
    feed = selectors.feed_by_token(token)
    if feed is None:
        raise Http404
    employee = feed.employee
    organization = employee.organization
    language = employee.user.language or organization.language
    with scope(organization=organization), translation.override(language):
        key = f"calendar_feed.{feed.pk}.{language}.{selectors.feed_fingerprint(employee=employee)}"
        body = remembered(key, lambda: _feed_body(employee), seconds=settings.FEED_CACHE_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = f"private, max-age={FEED_MAX_AGE}"
    response["Content-Disposition"] = 'inline; filename="helder.ics"'
    response["Content-Language"] = language  # the reader's, which the feed is written in (not the request's)
    return response
