"""Addresses of observations and "What was seen" (views in views_observations); part of the "reviews" namespace."""

from django.urls import path

from . import views_observations as views

urlpatterns = [
    path("observations/new/", views.observation_record, name="observation_record"),
    path("observations/new/<id:employee_id>/", views.observation_create, name="observation_create"),
    path("observations/coach/", views.observation_coach, name="observation_coach"),
    path("observations/<id:observation_id>/edit/", views.observation_edit, name="observation_edit"),
    path("observations/<id:observation_id>/delete/", views.observation_delete, name="observation_delete"),
    path("observations/<id:observation_id>/react/", views.observation_react, name="observation_react"),
    path("seen/", views.what_was_seen, name="what_was_seen"),
    path("people/<id:employee_id>/observations/", views.person_observations, name="person_observations"),
]
