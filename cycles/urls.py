from django.urls import path

from . import (
    views_calendar,
    views_conversations,
    views_cycles,
    views_newcomers,
    views_overdue,
    views_progress,
    views_reminders,
)

app_name = "cycles"

# <id:…> is core.urls.IdConverter: a positive bigint reaches the view, anything else answers 404.

urlpatterns = [
    # HR: cycles, moments, activation, progress.
    path("", views_cycles.cycle_list, name="cycle_list"),
    path("new/", views_cycles.cycle_create, name="cycle_create"),
    path("moments/<id:moment_id>/edit/", views_cycles.moment_edit, name="moment_edit"),
    path("moments/<id:moment_id>/delete/", views_cycles.moment_delete, name="moment_delete"),
    path("moments/<id:moment_id>/move/", views_cycles.moment_move, name="moment_move"),
    # Managers: their reports × moments; everyone: their own conversations.
    path("team/", views_conversations.team_grid, name="team_grid"),
    path("conversations/<id:conversation_id>/", views_conversations.conversation_detail, name="conversation_detail"),
    path(
        "conversations/<id:conversation_id>/schedule/",
        views_conversations.conversation_schedule,
        name="conversation_schedule",
    ),
    path(
        "conversations/<id:conversation_id>/cancel/",
        views_conversations.conversation_cancel,
        name="conversation_cancel",
    ),
    path(
        "conversations/<id:conversation_id>/restore/",
        views_conversations.conversation_restore,
        name="conversation_restore",
    ),
    path("conversations/<id:conversation_id>/hold/", views_conversations.conversation_hold, name="conversation_hold"),
    path(
        "conversations/<id:conversation_id>/agreements/",
        views_conversations.conversation_agreements,
        name="conversation_agreements",
    ),
    # Everyone: my year and the calendar feed address.
    path("my-year/", views_calendar.my_year, name="my_year"),
    path("my-year/feed/regenerate/", views_calendar.feed_regenerate, name="feed_regenerate"),
    path("<id:cycle_id>/", views_cycles.cycle_detail, name="cycle_detail"),
    path("<id:cycle_id>/edit/", views_cycles.cycle_edit, name="cycle_edit"),
    path("<id:cycle_id>/activate/", views_cycles.cycle_activate, name="cycle_activate"),
    path("<id:cycle_id>/newcomers/", views_newcomers.newcomers_add, name="newcomers_add"),  # ?person=<id>: one
    path("<id:cycle_id>/moments/new/", views_cycles.moment_create, name="moment_create"),
    path("<id:cycle_id>/progress/", views_progress.cycle_progress, name="cycle_progress"),
    path("<id:cycle_id>/progress/teams/", views_progress.cycle_progress_teams, name="cycle_progress_teams"),
    path("<id:cycle_id>/progress/overdue/", views_progress.cycle_progress_overdue, name="cycle_progress_overdue"),
    # HR: the overdue list (?moment=, ?page=), reminding a manager of one conversation, or all of the list.
    path("<id:cycle_id>/overdue/", views_overdue.overdue_list, name="overdue_list"),
    path("<id:cycle_id>/overdue/remind-all/", views_overdue.overdue_remind_all, name="overdue_remind_all"),
    path("conversations/<id:conversation_id>/remind/", views_overdue.overdue_remind, name="overdue_remind"),
    # HR: a cycle's reminder rules and what was sent, is planned, failed or was missed.
    path("<id:cycle_id>/reminders/", views_reminders.reminders, name="reminders"),
    path("<id:cycle_id>/reminders/rules/new/", views_reminders.reminder_rule_create, name="reminder_rule_create"),
    path(
        "<id:cycle_id>/reminders/rules/<id:rule_id>/",
        views_reminders.reminder_rule_edit,
        name="reminder_rule_edit",
    ),
    path(
        "<id:cycle_id>/reminders/rules/<id:rule_id>/delete/",
        views_reminders.reminder_rule_delete,
        name="reminder_rule_delete",
    ),
    path(
        "<id:cycle_id>/reminders/<id:reminder_id>/resend/",
        views_reminders.reminder_resend,
        name="reminder_resend",
    ),
]
