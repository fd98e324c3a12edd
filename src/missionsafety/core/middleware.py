"""Request ids: one per request, on the response, in the logs and the audit trail."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("missionsafety.request")
# Query parameters that carry a secret (the calendar feed's token): their
# values never reach the log.
SECRET_PARAMETERS = {"token"}


def current_request_id() -> str:
    """The id of the request being served, or ``-`` outside a request."""
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class RequestIdMiddleware:
    """Take a well-formed ``X-Request-ID`` from the proxy or make one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        # Kept until the response is finished (not reset on the way out), so that
        # Django's own "Not Found" and error lines, logged after the middleware
        # chain, carry the id too.
        _request_id.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if request.path.startswith("/api/"):
            # API answers are personal: no shared or browser cache keeps them.
            patch_cache_control(response, no_store=True, private=True)
        log.info(
            "%s %s %s",
            request.method,
            loggable_path(request)[:200],
            response.status_code,
            extra={"request_id": request_id},
        )
        return response


def loggable_path(request: HttpRequest) -> str:
    """The path and query string with the values of secret parameters removed."""
    if not any(key.lower() in SECRET_PARAMETERS for key in request.GET):
        return request.get_full_path()
    pairs = [
        (key, "[removed]" if key.lower() in SECRET_PARAMETERS else value)
        for key, values in request.GET.lists()
        for value in values
    ]
    return f"{request.path}?{urlencode(pairs, safe='[]')}"


def _forget_request_id(**kwargs: object) -> None:
    _request_id.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="missionsafety-request-id")
