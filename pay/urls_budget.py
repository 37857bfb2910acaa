"""Addresses of pay's budget pages and the payroll export; part of the "pay" namespace."""

from django.urls import path

from . import views_budget, views_export

urlpatterns = [
    path("cycles/<id:cycle_id>/budget/", views_budget.budget, name="budget"),
    path("cycles/<id:cycle_id>/budget/teams/<id:team_id>/", views_budget.team_budget, name="team_budget"),
    path("cycles/<id:cycle_id>/export/", views_export.export, name="export"),
    path("cycles/<id:cycle_id>/export.csv", views_export.export_csv, name="export_csv"),
    path("cycles/<id:cycle_id>/export.xlsx", views_export.export_xlsx, name="export_xlsx"),
]
