from __future__ import annotations

from django.urls import path

from missionsafety.reports import views

app_name = "reports"
urlpatterns = [
    path("overview/", views.dashboard, name="dashboard"),
    path(
        "deployments/<int:deployment_pk>/register.xlsx",
        views.register_xlsx,
        name="register_xlsx",
    ),
]
