"""Addresses of the calibration window and of moving an outcome (views in views_window); part of "calibration"."""

from django.urls import path

from . import views_window as views

urlpatterns = [
    path("cycles/<id:cycle_id>/window/", views.window, name="window"),
    path("cycles/<id:cycle_id>/window/open/", views.window_open, name="window_open"),
    path("cycles/<id:cycle_id>/window/close/", views.window_close, name="window_close"),
    path("cycles/<id:cycle_id>/reviews/<id:review_id>/move/", views.move, name="move"),
]
