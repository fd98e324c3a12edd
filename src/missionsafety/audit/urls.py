from __future__ import annotations

from django.urls import path

from missionsafety.audit import views

app_name = "audit"
urlpatterns = [
    path("history/<str:model>/<str:pk>/", views.history, name="history"),
    path("audit/", views.chain, name="chain"),
    path(
        "deployments/<int:deployment_pk>/changes/",
        views.deployment_changes,
        name="deployment",
    ),
    path(
        "deployments/<int:deployment_pk>/changes.csv",
        views.deployment_changes_csv,
        name="deployment_csv",
    ),
]
