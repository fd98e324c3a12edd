from __future__ import annotations

from django.urls import path

from missionsafety.field import views

app_name = "field"
urlpatterns = [
    path("field/conflicts/", views.conflicts, name="conflicts"),
    path("field/conflicts/<int:pk>/", views.conflict_detail, name="conflict"),
    path(
        "deployments/<int:deployment_pk>/field-package/",
        views.package,
        name="package",
    ),
]
