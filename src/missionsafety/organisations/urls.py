from __future__ import annotations

from django.urls import path

from missionsafety.organisations import views

app_name = "organisations"
urlpatterns = [
    path("organisations/", views.tree, name="tree"),
    path("organisations/<int:pk>/", views.detail, name="detail"),
    path("account/", views.account, name="account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
