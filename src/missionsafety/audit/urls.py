from __future__ import annotations

from django.urls import path

from missionsafety.audit import views

app_name = "audit"
urlpatterns = [
    path("history/<str:model>/<str:pk>/", views.history, name="history"),
    path("audit/", views.chain, name="chain"),
]
