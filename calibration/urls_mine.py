"""Addresses of a manager's own outcomes beside the organisation's (views in views_mine); part of "calibration"."""

from django.urls import path

from . import views_mine as views

urlpatterns = [
    path("my-team/", views.mine, name="mine"),
]
