from django.urls import path

from . import views_authoring, views_config, views_sharpening

app_name = "expectations"

# <id:…> is core.urls.IdConverter: a positive bigint reaches the view, anything else answers 404.

urlpatterns = [
    # Everyone: what is expected of me, and drafts open to my suggestions.
    path("mine/", views_sharpening.mine, name="mine"),
    path("sharpening/", views_sharpening.sharpening_list, name="sharpening_list"),
    # HR configuration.
    path("values/", views_config.value_list, name="value_list"),
    path("values/<id:value_id>/edit/", views_config.value_edit, name="value_edit"),
    path("values/<id:value_id>/delete/", views_config.value_delete, name="value_delete"),
    path("goals/", views_config.goal_list, name="goal_list"),
    path("goals/<id:goal_id>/edit/", views_config.goal_edit, name="goal_edit"),
    path("goals/<id:goal_id>/delete/", views_config.goal_delete, name="goal_delete"),
    path("not-counted/", views_config.not_counted_list, name="not_counted_list"),
    path("not-counted/<id:item_id>/edit/", views_config.not_counted_edit, name="not_counted_edit"),
    path("not-counted/<id:item_id>/delete/", views_config.not_counted_delete, name="not_counted_delete"),
    path("settings/", views_config.cap_settings, name="settings"),
    # Writing expectations (HR; managers propose for their team).
    path("", views_authoring.index, name="index"),
    path("new/", views_authoring.create, name="create"),
    path("coach/", views_authoring.coach, name="coach"),
    path("<id:expectation_id>/", views_authoring.detail, name="detail"),
    path("<id:expectation_id>/edit/", views_authoring.edit, name="edit"),
    path("<id:expectation_id>/versions/<id:number>/", views_authoring.version, name="version"),
    path("<id:expectation_id>/sharpen/", views_authoring.sharpen, name="sharpen"),
    path("<id:expectation_id>/draft/", views_authoring.back_to_draft, name="back_to_draft"),
    path("<id:expectation_id>/publish/", views_authoring.publish, name="publish"),
    path("<id:expectation_id>/retire/", views_authoring.retire, name="retire"),
    path("<id:expectation_id>/delete/", views_authoring.delete, name="delete"),
    # Sharpening: the audience suggests and endorses; HR or the proposing manager decides.
    path("<id:expectation_id>/sharpening/", views_sharpening.sharpening_detail, name="sharpening_detail"),
    path("<id:expectation_id>/suggest/", views_sharpening.suggest, name="suggest"),
    path("<id:expectation_id>/endorse/", views_sharpening.endorse, name="endorse"),
    path("suggestions/<id:suggestion_id>/accept/", views_sharpening.suggestion_accept, name="suggestion_accept"),
    path("suggestions/<id:suggestion_id>/decline/", views_sharpening.suggestion_decline, name="suggestion_decline"),
]
