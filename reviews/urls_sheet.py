"""The self-reflection page; the conversation sheet itself is cycles' conversation page (cycles.extensions)."""

from django.urls import path

from . import views_sheet

urlpatterns = [
    path("conversations/<id:conversation_id>/reflection/", views_sheet.reflection, name="reflection"),
]
