"""Helder's URLs plus the bench's two reference pages (never part of the product).

- ``/bench/bare/``: the bare page every page is compared with, a logged-in TemplateView of a template of its own;
- ``/bench/o/<org_slug>/empty/``: an organisation page with nothing on it, through the door (organizations.tenancy)
  and in the layout (templates/base.html with its context processors): what every organisation page costs before
  it shows anything.
"""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import TemplateView

from config.urls import urlpatterns as helder
from organizations.tenancy import org_view

urlpatterns = [
    path("bench/bare/", login_required(TemplateView.as_view(template_name="bench/bare.html")), name="bench_bare"),
    path(
        "bench/o/<slug:org_slug>/empty/",
        org_view()(TemplateView.as_view(template_name="bench/empty.html")),
        name="bench_empty",
    ),
    *helder,
]
