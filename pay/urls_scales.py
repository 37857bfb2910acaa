"""Addresses of pay's scales pages; part of the "pay" namespace."""

from django.urls import path

from . import views_scales

urlpatterns = [
    path("scales/", views_scales.scales, name="scales"),
    path("scales/new/", views_scales.salary_table_new, name="salary_table_new"),
    path("scales/import/", views_scales.scale_import, name="scale_import"),
    path("scales/<id:salary_table_id>/", views_scales.salary_table, name="salary_table"),
    path("scales/<id:salary_table_id>/scales/new/", views_scales.scale_add, name="scale_add"),
    path("scales/<id:salary_table_id>/scales/<id:scale_id>/", views_scales.scale_edit, name="scale_edit"),
]
