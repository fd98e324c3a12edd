from __future__ import annotations

from django.urls import path

from missionsafety.evaluations import views

app_name = "evaluations"
D = "deployments/<int:deployment_pk>/"
urlpatterns = [
    path(f"{D}agreement/", views.agreement, name="agreement"),
    path(f"{D}agreement/setup/", views.agreement_setup, name="agreement_setup"),
    path(f"{D}agreement/edit/", views.agreement_edit, name="agreement_edit"),
    path(f"{D}agreement/submit/", views.agreement_submit, name="agreement_submit"),
    path(f"{D}agreement/sign/", views.agreement_sign, name="agreement_sign"),
    path(
        f"{D}agreement/v<int:number>/",
        views.agreement_version,
        name="agreement_version",
    ),
    path(f"{D}agreement/v<int:number>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path(f"{D}evaluations/", views.deployment_evaluations, name="deployment"),
    path(f"{D}evaluations/schedule/", views.schedule, name="schedule"),
    path(f"{D}evaluations/new/", views.evaluation_new, name="new"),
    path(f"{D}gate/", views.gate, name="gate"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="detail"),
    path("evaluations/<int:pk>/hold/", views.evaluation_hold, name="hold"),
    path("evaluations/<int:pk>/report/", views.evaluation_report, name="report"),
    path("evaluations/<int:pk>/skip/", views.evaluation_skip, name="skip"),
    path("evaluations/<int:pk>/close/", views.evaluation_close, name="close"),
    path("evaluations/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path(
        "evaluations/findings/<int:pk>/action/",
        views.finding_action,
        name="finding_action",
    ),
    path("evaluations/compliance/", views.compliance, name="compliance"),
    path("evaluations/calendar/", views.calendar, name="calendar"),
    path(
        "evaluations/calendar/<int:pk>/revoke/",
        views.calendar_revoke,
        name="calendar_revoke",
    ),
]
