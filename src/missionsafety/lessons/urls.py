from __future__ import annotations

from django.urls import path

from missionsafety.lessons import views

app_name = "lessons"
urlpatterns = [
    path("observations/", views.observation_list, name="observation_list"),
    path("observations/new/", views.observation_new, name="observation_new"),
    path("observations/<int:pk>/", views.observation_detail, name="observation_detail"),
    path(
        "observations/<int:pk>/edit/", views.observation_edit, name="observation_edit"
    ),
    path(
        "observations/<int:pk>/transition/",
        views.observation_transition,
        name="observation_transition",
    ),
    path(
        "observations/<int:pk>/attachments/",
        views.attachment_add,
        name="attachment_add",
    ),
    path(
        "observations/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/new/", views.lesson_new, name="lesson_new"),
    path("lessons/search/", views.search_page, name="search"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson_detail"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="lesson_edit"),
    path(
        "lessons/<int:pk>/transition/",
        views.lesson_transition,
        name="lesson_transition",
    ),
    path(
        "deployments/<int:deployment_pk>/lessons/suggest/",
        views.suggest,
        name="suggest",
    ),
    path(
        "deployments/<int:deployment_pk>/lessons/reviewed/",
        views.review_add,
        name="review_add",
    ),
    path(
        "risks/<int:risk_pk>/lessons/taken-into-account/", views.use_add, name="use_add"
    ),
]
