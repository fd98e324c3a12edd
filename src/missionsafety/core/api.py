"""API plumbing shared by every app: authentication, errors, common schemas."""

from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
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


# A reference to a stored object: a positive 64-bit integer, as the databases
# store keys (a larger one would fail in SQL instead of answering 422).
MAX_ID = 2**63 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]

# Beyond any list the product holds, and far below the 2^63 that databases take
# as an OFFSET (a larger one is refused with 422 instead of failing in SQL).
MAX_OFFSET = 1_000_000_000


class Paging(LimitOffsetPagination):
    """``?limit=&offset=`` with an offset the database can take."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
