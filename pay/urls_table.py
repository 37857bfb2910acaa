"""Addresses of HR's pay overview, the pay settings and each cycle's pay table; part of the "pay" namespace."""

from django.urls import path

from . import views_settings, views_table

urlpatterns = [
    path("", views_settings.index, name="index"),
    path("settings/", views_settings.settings, name="settings"),
    path("cycles/<id:cycle_id>/table/", views_table.pay_table, name="pay_table"),
    path("cycles/<id:cycle_id>/table/edit/", views_table.pay_table_edit, name="pay_table_edit"),
    path("cycles/<id:cycle_id>/table/publish/", views_table.pay_table_publish, name="pay_table_publish"),
    path("cycles/<id:cycle_id>/table/discard/", views_table.pay_table_discard, name="pay_table_discard"),
]
