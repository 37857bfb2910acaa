"""Addresses of the review workflow (see reviews/urls.py): start from a conversation, then one review and its steps."""

from django.urls import path

from . import views_reviews as views

urlpatterns = [
    path("conversations/<id:conversation_id>/review/", views.review_start, name="review_start"),
    path("reviews/<id:review_id>/", views.review, name="review"),
    path("reviews/<id:review_id>/outcome/", views.review_outcome, name="review_outcome"),
    path("reviews/<id:review_id>/comment/", views.review_comment, name="review_comment"),
    path("reviews/<id:review_id>/back-to-draft/", views.review_unshare, name="review_unshare"),
    path("reviews/<id:review_id>/share/", views.review_share, name="review_share"),
    path("reviews/<id:review_id>/sign/", views.review_sign, name="review_sign"),
    path("reviews/<id:review_id>/finalise/", views.review_finalise, name="review_finalise"),
    path("reviews/<id:review_id>/reopen/", views.review_reopen, name="review_reopen"),
]
