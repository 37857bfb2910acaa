from django.urls import path

from . import views_platform

app_name = "platform"

urlpatterns = [
    path("", views_platform.organization_list, name="organization_list"),
    path("new/", views_platform.organization_create, name="organization_create"),
    path("<id:organization_id>/invite/", views_platform.organization_invite, name="organization_invite"),
]
