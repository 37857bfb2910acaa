"""Addresses of one's own reviews and of the reviews a manager writes (views in views_mine); part of "reviews"."""

from django.urls import path

from . import views_mine as views

urlpatterns = [
    path("my-reviews/", views.my_reviews, name="my_reviews"),
    path("team-reviews/", views.team_reviews, name="team_reviews"),
]
