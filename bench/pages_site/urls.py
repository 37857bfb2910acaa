"""Helder's URLs plus the bare page the bench compares every page with (never part of the product)."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.generic import TemplateView

from config.urls import urlpatterns as helder

urlpatterns = [
    path("bench/bare/", login_required(TemplateView.as_view(template_name="bench/bare.html")), name="bench_bare"),
    *helder,
]
