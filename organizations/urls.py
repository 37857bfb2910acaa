from django.urls import path

from . import views, views_import

app_name = "organizations"

# <id:…> is core.urls.IdConverter: a positive bigint reaches the view, anything else answers 404.
# The home page (organizations:home, "") is home's: config/urls.py mounts home.urls in this namespace.
urlpatterns = [
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/import/", views_import.import_upload, name="import_upload"),
    path("people/import/<id:import_id>/", views_import.import_preview, name="import_preview"),
    path("people/import/<id:import_id>/apply/", views_import.import_apply, name="import_apply"),
    path("people/<id:employee_id>/", views.person_detail, name="person_detail"),
    path("people/<id:employee_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<id:employee_id>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<id:employee_id>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("people/<id:employee_id>/invite/", views.person_invite, name="person_invite"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<id:team_id>/edit/", views.team_edit, name="team_edit"),
    path("teams/<id:team_id>/delete/", views.team_delete, name="team_delete"),
]
