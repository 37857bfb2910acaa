"""Addresses of HR's cockpit and the two parts it loads after itself; part of the "calibration" namespace."""

from django.urls import path

from . import views_cockpit

urlpatterns = [
    path("cockpit/", views_cockpit.cockpit, name="cockpit"),
    path("cockpit/cycles/<id:cycle_id>/calibration/", views_cockpit.cockpit_calibration, name="cockpit_calibration"),
    path("cockpit/cycles/<id:cycle_id>/budget/", views_cockpit.cockpit_budget, name="cockpit_budget"),
]
