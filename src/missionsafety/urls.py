from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from missionsafety.api import api
from missionsafety.core import field_views
from missionsafety.core import views as core_views
from missionsafety.deployments.views import my_deployments

admin.site.site_header = "Mission Safety"
admin.site.site_title = "Mission Safety"

urlpatterns = [
    path("", my_deployments, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sw.js", field_views.service_worker, name="service_worker"),
    path("field/pages.json", field_views.field_pages_json, name="field_pages"),
    path("offline/", field_views.offline, name="offline"),
    path("outbox/", field_views.outbox, name="outbox"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("deployments/", include("missionsafety.deployments.urls")),
    path("", include("missionsafety.organisations.urls")),
    path("", include("missionsafety.audit.urls")),
    path("", include("missionsafety.risks.urls")),
    path("", include("missionsafety.occurrences.urls")),
    path("", include("missionsafety.feedback.urls")),
    path("", include("missionsafety.lessons.urls")),
    path("", include("missionsafety.evaluations.urls")),
    path("", include("missionsafety.reports.urls")),
    path("", include("missionsafety.field.urls")),
]
