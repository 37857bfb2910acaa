"""The home page's address, ``/o/<org_slug>/``.

config/urls.py mounts these patterns in the ``organizations`` namespace, so
the page keeps its name ``organizations:home`` (Organization.get_absolute_url,
the menu, redirects after login and many tests reverse it) while organizations
itself never imports home.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
