"""The REST API at ``/api/v1/``: one router per app, one error language."""
# Endpoint modules (``<app>/api.py``) must not use "from __future__ import
# annotations": django-ninja reads their annotations at import time. This module
# holds no endpoints.

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from missionsafety.core.api import (
    NOT_ALLOWED,
    NOT_FOUND,
    UNAUTHENTICATED,
    OrjsonRenderer,
    Session,
    TextParser,
)
from missionsafety.core.exceptions import ConflictError, NotAllowed
from missionsafety.core.services import field_errors
from missionsafety.organisations.auth import BearerToken

# A personal token or the browser's session (CSRF checked on writes).
AUTH: list[APIKeyCookie | HttpBearer] = [BearerToken(), Session()]

api = NinjaAPI(
    title="Mission Safety API",
    version="1",
    description=(
        "Shared safety-risk management for deployed units. Authenticate with a "
        "personal token (`Authorization: Bearer <token>`, made with "
        "`missionsafety token USERNAME`) or a browser session. Errors: 401 "
        "unauthenticated, 403 not allowed (with the authority required), 404 not "
        "found or not visible to you, 409 edit conflict (send the current "
        "`version`), 422 invalid input (with field names)."
    ),
    auth=AUTH,
    parser=TextParser(),
    renderer=OrjsonRenderer(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = field_errors(exc)
    detail = [
        {"loc": ["body", field], "msg": message, "type": "value_error"}
        for field, messages in errors.items()
        for message in messages
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": exc.message, "current_version": exc.current_version},
        status=409,
    )


@api.exception_handler(NotAllowed)
def _not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, **exc.details}, status=403
    )


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or str(NOT_ALLOWED)}, status=403
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": str(UNAUTHENTICATED)},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _add_routers() -> None:
    from missionsafety.deployments.api import router as deployments
    from missionsafety.evaluations.api import router as evaluations
    from missionsafety.feedback.api import router as feedback
    from missionsafety.field.api import router as field
    from missionsafety.lessons.api import router as lessons
    from missionsafety.occurrences.api import router as occurrences
    from missionsafety.organisations.api import router as organisations
    from missionsafety.reports.api import router as reports
    from missionsafety.risks.api import router as risks

    api.add_router("", organisations)
    api.add_router("", deployments)
    api.add_router("", risks)
    api.add_router("", occurrences)
    api.add_router("", feedback)
    api.add_router("", lessons)
    api.add_router("", evaluations)
    api.add_router("", reports)
    api.add_router("", field)


_add_routers()
