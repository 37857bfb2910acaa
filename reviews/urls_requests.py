"""Addresses of observation requests (views in views_requests); part of the "reviews" namespace."""

from django.urls import path

from . import views_requests as views

urlpatterns = [
    path("people/<id:employee_id>/requests/new/", views.request_create, name="request_create"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<id:request_id>/answer/", views.request_answer, name="request_answer"),
    path("requests/<id:request_id>/withdraw/", views.request_withdraw, name="request_withdraw"),
]
