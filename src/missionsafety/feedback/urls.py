from __future__ import annotations

from django.urls import path

from missionsafety.feedback import views

app_name = "feedback"
urlpatterns = [
    path("threads/", views.threads, name="threads"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/reply/", views.thread_reply, name="thread_reply"),
    path("threads/<int:pk>/close/", views.thread_close, name="thread_close"),
    path(
        "threads/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "deployments/<int:deployment_pk>/threads/new/",
        views.thread_new,
        name="thread_new",
    ),
    path("inbox/", views.inbox_view, name="inbox"),
    path("inbox/<int:pk>/open/", views.notification_open, name="open"),
    path("inbox/<int:pk>/read/", views.notification_read, name="read"),
    path("inbox/read-all/", views.notifications_read_all, name="read_all"),
    path("inbox/settings/", views.preferences, name="preferences"),
]
