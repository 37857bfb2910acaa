"""Addresses of "What my outcome means" and the same page about someone else (views in views_mine); part of "pay"."""

from django.urls import path

from . import views_mine as views

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("people/<id:employee_id>/", views.person_outcomes, name="person_outcomes"),
]
