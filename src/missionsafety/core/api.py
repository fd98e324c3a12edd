"""API plumbing shared by every app: authentication, errors, common schemas."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.session import SessionAuth

from missionsafety.organisations.services import token_authenticate


class BearerToken(HttpBearer):
    """``Authorization: Bearer ms_...`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            return None
        request.user = user
        # A token request carries no CSRF risk: it has no ambient credentials.
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return user


class Session(SessionAuth):
    """The browser's session cookie (CSRF checked on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", AnonymousUser())
        if user.is_authenticated and user.is_active:
            return user
        return None


# Error messages of the API (in the catalogue of this app).
NOT_FOUND = _("Not found.")
NOT_ALLOWED = _("Not allowed.")
UNAUTHENTICATED = _("Authentication required: a valid token or session.")

AUTH: list[APIKeyCookie | HttpBearer] = [BearerToken(), Session()]


class ErrorOut(Schema):
    detail: Any


class ConflictOut(Schema):
    detail: str
    current_version: int | None = None


def api_user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]
