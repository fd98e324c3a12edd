from __future__ import annotations

from django.urls import path

from missionsafety.risks import views, views_desk

app_name = "risks"
urlpatterns = [
    path("deployments/<int:deployment_pk>/risks/", views.register, name="register"),
    path(
        "deployments/<int:deployment_pk>/risks/new/",
        views.risk_create,
        name="create",
    ),
    path(
        "deployments/<int:deployment_pk>/risks/start/",
        views.register_start,
        name="start",
    ),
    path(
        "deployments/<int:deployment_pk>/risks/bulk/",
        views_desk.register_bulk,
        name="bulk",
    ),
    path(
        "deployments/<int:deployment_pk>/risks/import/",
        views_desk.register_import,
        name="import",
    ),
    path(
        "deployments/<int:deployment_pk>/risks/import/template.xlsx",
        views_desk.register_import_template,
        name="import_template",
    ),
    path(
        "deployments/<int:deployment_pk>/risks/import/<uuid:token>/",
        views_desk.register_import_preview,
        name="import_preview",
    ),
    path(
        "risks/<int:pk>/attachments/new/",
        views_desk.attachment_add,
        name="attachment_add",
    ),
    path(
        "risks/attachments/<int:pk>/",
        views_desk.attachment_download,
        name="attachment",
    ),
    path("risks/<int:pk>/", views.risk_detail, name="detail"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="edit"),
    path("risks/<int:pk>/assess/", views.risk_assess, name="assess"),
    path("risks/<int:pk>/decide/", views.risk_decide, name="decide"),
    path("risks/<int:pk>/consult/", views.risk_consult, name="consult"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("risks/<int:pk>/status/", views.risk_status, name="status"),
    path("risks/<int:pk>/controls/new/", views.control_add, name="control_add"),
    path("controls/<int:pk>/edit/", views.control_edit, name="control_edit"),
    path("awaiting/", views.awaiting, name="awaiting"),
    path("library/", views.library, name="library"),
    path("matrices/", views.matrices, name="matrices"),
    path("matrices/<int:pk>/", views.matrix_detail, name="matrix"),
]
