"""Addresses of the rating scale, the outcome bands, the published rule and HR's list of a cycle's reviews."""

from django.urls import path

from . import views_config

urlpatterns = [
    path("scale/", views_config.rating_scale, name="rating_scale"),
    path("scale/levels/add/", views_config.rating_level_add, name="rating_level_add"),
    path("scale/levels/remove/", views_config.rating_level_remove, name="rating_level_remove"),
    path("cycles/<id:cycle_id>/bands/", views_config.outcome_bands, name="outcome_bands"),
    path("cycles/<id:cycle_id>/bands/add/", views_config.outcome_band_add, name="outcome_band_add"),
    path("cycles/<id:cycle_id>/bands/remove/", views_config.outcome_band_remove, name="outcome_band_remove"),
    path("rule/", views_config.outcome_rule, name="outcome_rule"),
    path("cycles/<id:cycle_id>/reviews/", views_config.cycle_reviews, name="cycle_reviews"),
]
