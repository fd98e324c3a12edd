"""Request ids: one per request, on the response, in the logs and the audit trail."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("missionsafety.request")


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
        log.info(
            "%s %s %s",
            request.method,
            request.get_full_path()[:200],
            response.status_code,
            extra={"request_id": request_id},
        )
        return response


def _forget_request_id(**kwargs: object) -> None:
    _request_id.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="missionsafety-request-id")
