"""Addresses of HR's calibration page of a cycle and its export; part of the "calibration" namespace."""

from django.urls import path

from . import views_calibration, views_export

urlpatterns = [
    path("cycles/<id:cycle_id>/", views_calibration.calibration, name="calibration"),
    path("cycles/<id:cycle_id>/export.csv", views_export.export_csv, name="export_csv"),
    path("cycles/<id:cycle_id>/export.xlsx", views_export.export_xlsx, name="export_xlsx"),
]
