from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts import views as account_views
from config.health import healthz
from cycles import views_calendar as cycle_calendar
from home import urls as home_urls
from home import views as home_views
from organizations import urls as organization_urls
from organizations import views as organization_views
from organizations import views_invitations

urlpatterns = [
    path("", organization_views.start, name="home"),
    path("healthz", healthz, name="healthz"),
    # A login's address never changes by itself (accounts.views.closed): allauth's email pages,
    # adding, choosing and confirming addresses, answer 404 before allauth's own routes.
    path("accounts/email/", account_views.closed),
    # allauth's own landing page is the email page; the profile is where a person manages their login here.
    path("accounts/", RedirectView.as_view(pattern_name="profile")),
    re_path(r"^accounts/confirm-email/", account_views.closed),
    path("accounts/", include("allauth.urls")),
    path("account/profile/", home_views.profile, name="profile"),
    path("language/", account_views.language_set, name="language_set"),
    path("invite/<str:token>/", views_invitations.invitation_accept_view, name="invitation_accept"),
    path("o/", organization_views.start, name="organization_choose"),
    # Helder's operators (superusers): organisations and their first HR admin.
    path("platform/", include("organizations.urls_platform")),
    # The home page belongs to home (it gathers every app's cards) but keeps its name organizations:home, so its
    # patterns join the organizations namespace here, where importing both is allowed.
    path(
        "o/<slug:org_slug>/",
        include(([*home_urls.urlpatterns, *organization_urls.urlpatterns], organization_urls.app_name)),
    ),
    path("o/<slug:org_slug>/expectations/", include("expectations.urls")),
    path("o/<slug:org_slug>/cycles/", include("cycles.urls")),
    path("o/<slug:org_slug>/reviews/", include("reviews.urls")),
    path("o/<slug:org_slug>/pay/", include("pay.urls")),
    path("o/<slug:org_slug>/calibration/", include("calibration.urls")),
    path("calendar/<str:token>.ics", cycle_calendar.calendar_feed, name="calendar_feed"),
]
