from django.urls import include, path, re_path

from accounts import views as account_views
from config.health import healthz
from cycles import views_calendar as cycle_calendar
from organizations import views as organization_views

urlpatterns = [
    path("", organization_views.start, name="home"),
    path("healthz", healthz, name="healthz"),
    # A login's address never changes by itself (accounts.views.closed): allauth's email pages,
    # adding, choosing and confirming addresses, answer 404 before allauth's own routes.
    path("accounts/email/", account_views.closed),
    re_path(r"^accounts/confirm-email/", account_views.closed),
    path("accounts/", include("allauth.urls")),
    path("account/profile/", account_views.profile, name="profile"),
    path("language/", account_views.language_set, name="language_set"),
    path("invite/<str:token>/", account_views.invitation_accept_view, name="invitation_accept"),
    path("o/", organization_views.start, name="organization_choose"),
    path("o/<slug:org_slug>/", include("organizations.urls")),
    path("o/<slug:org_slug>/expectations/", include("expectations.urls")),
    path("o/<slug:org_slug>/cycles/", include("cycles.urls")),
    path("calendar/<str:token>.ics", cycle_calendar.calendar_feed, name="calendar_feed"),
]
