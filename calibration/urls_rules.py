"""Addresses of "The rules here"; part of the "calibration" namespace."""

from django.urls import path

from . import views_rules

urlpatterns = [
    path("rules/", views_rules.rules_here, name="rules"),
]
