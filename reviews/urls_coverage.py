"""Addresses of evidence coverage (views in views_coverage); part of the "reviews" namespace."""

from django.urls import path

from . import views_coverage as views

urlpatterns = [
    path("team/<id:cycle_id>/evidence/", views.team_coverage, name="team_coverage"),
]
