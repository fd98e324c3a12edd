"""Token authentication for the API: ``Authorization: Bearer ms_...``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

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
