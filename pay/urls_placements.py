"""Addresses of HR's placements pages; part of the "pay" namespace (pay/urls.py includes them)."""

from django.urls import path

from . import views_placements

urlpatterns = [
    path("placements/", views_placements.placements, name="placements"),
    path("placements/<id:employee_id>/", views_placements.placement_edit, name="placement_edit"),
]
