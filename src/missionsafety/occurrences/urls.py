from __future__ import annotations

from django.urls import path

from missionsafety.occurrences import views

app_name = "occurrences"
urlpatterns = [
    path("occurrences/", views.occurrence_mine, name="mine"),
    path(
        "deployments/<int:deployment_pk>/occurrences/",
        views.occurrence_list_view,
        name="list",
    ),
    path(
        "deployments/<int:deployment_pk>/occurrences/new/",
        views.occurrence_report,
        name="report",
    ),
    path("occurrences/<int:pk>/", views.occurrence_detail, name="detail"),
    path("occurrences/<int:pk>/edit/", views.occurrence_edit, name="edit"),
    path("occurrences/<int:pk>/triage/", views.occurrence_triage, name="triage"),
    path(
        "occurrences/<int:pk>/transition/",
        views.occurrence_transition,
        name="transition",
    ),
    path("occurrences/<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("occurrences/actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("occurrences/<int:pk>/people/new/", views.person_add, name="person_add"),
    path(
        "occurrences/people/<int:pk>/remove/",
        views.person_remove,
        name="person_remove",
    ),
    path(
        "occurrences/<int:pk>/attachments/new/",
        views.attachment_add,
        name="attachment_add",
    ),
    path(
        "occurrences/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
]
