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
    path(
        "deployments/<int:deployment_pk>/risk-picture.pdf",
        views.risk_picture_pdf,
        name="risk_picture_pdf",
    ),
    path(
        "deployments/<int:deployment_pk>/worksheets.pdf",
        views.register_worksheets_pdf,
        name="worksheets_pdf",
    ),
    path(
        "risks/<int:pk>/worksheet.pdf", views.risk_worksheet_pdf, name="worksheet_pdf"
    ),
]
