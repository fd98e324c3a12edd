"""Page helpers: turn service errors into form errors, render HTMX partials."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from missionsafety.core.exceptions import ConflictError, NotAllowed, ValidationError

if TYPE_CHECKING:
    from missionsafety.organisations.models import User

T = TypeVar("T")


class AuthedRequest(HttpRequest):
    """The request of a view behind ``login_required``: ``user`` is a real User."""

    user: User  # type: ignore[assignment]


def run_service(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Call a service; put its validation, conflict or permission error on the form."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    for message in error.messages:
                        form.add_error(target, message)
        else:
            for message in exc.messages:
                form.add_error(None, message)
    except ConflictError as exc:
        form.add_error(None, exc.message)
        form.is_stale = True  # type: ignore[attr-defined]  # the top message offers the current state
        if "version" in form.fields and exc.current_version is not None:
            form.data = form.data.copy()  # type: ignore[attr-defined]
            form.data["version"] = exc.current_version  # type: ignore[index]
    except NotAllowed as exc:
        form.add_error(None, exc.message)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def run_service_with_messages(request: HttpRequest, call: Callable[[], T]) -> T | None:
    """Call a service behind a one-button form; show its errors as messages."""
    from django.contrib import messages

    form = forms.Form(data={})
    form.is_valid()
    result = run_service(form, call)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return result


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the page, or only ``template#partial`` for an HTMX request."""
    name = f"{template}#{partial}" if partial and is_htmx(request) else template
    return render(request, name, context, status=status)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    from missionsafety.deployments.views import my_deployments

    return my_deployments(request)


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers: the database answers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
