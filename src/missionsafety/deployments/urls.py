from __future__ import annotations

from django.urls import path

from missionsafety.deployments import views

app_name = "deployments"
urlpatterns = [
    path("", views.my_deployments, name="list"),
    path("new/", views.deployment_create, name="create"),
    path("<int:pk>/", views.deployment_detail, name="detail"),
    path("<int:pk>/edit/", views.deployment_edit, name="edit"),
    path("<int:pk>/phase/", views.deployment_phase, name="phase"),
    path("<int:pk>/parties/new/", views.party_add, name="party_add"),
    path(
        "<int:pk>/parties/<int:party_pk>/contact/",
        views.party_contact,
        name="party_contact",
    ),
]
