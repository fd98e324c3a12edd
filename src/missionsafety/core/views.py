"""Page helpers: turn service errors into form errors, render HTMX partials."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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
        rows = conflict_rows(form)
        if rows:
            form.conflicts = rows  # type: ignore[attr-defined]
            form.add_error(
                None,
                _(
                    "Someone else saved this item while you were editing it. Their "
                    "values are shown beside yours; the form keeps yours. Save "
                    "again to apply your values, or adjust them first."
                ),
            )
        else:
            form.add_error(None, exc.message)
        form.is_stale = True  # type: ignore[attr-defined]  # the top message offers the current state
        if "version" in form.fields and exc.current_version is not None:
            # Only now, with the difference on the page, does the form carry
            # the new version: saving again applies this user's values
            # knowingly, never silently.
            form.data = form.data.copy()  # type: ignore[attr-defined]
            form.data["version"] = exc.current_version  # type: ignore[index]
    except NotAllowed as exc:
        form.add_error(None, exc.message)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def _shown(field: forms.Field, value: Any) -> str:
    """A field's value as the form's user reads it (labels, not keys)."""
    queryset: Any = getattr(field, "queryset", None)
    if isinstance(value, str | int) and isinstance(field, forms.ModelChoiceField):
        value = queryset.filter(pk=value).first() if str(value) else None
    if isinstance(field, forms.ModelMultipleChoiceField):
        items = list(value or [])
        ids = [i for i in items if not hasattr(i, "pk")]
        items = [i for i in items if hasattr(i, "pk")]
        if ids:
            items += list(queryset.filter(pk__in=ids))
        return ", ".join(sorted(str(i) for i in items)) or "—"
    if isinstance(field, forms.BooleanField):
        return str(_("yes") if value else _("no"))
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(field, forms.ChoiceField) and not isinstance(
        field, forms.ModelChoiceField
    ):
        labels: dict[str, Any] = {}
        for key, label in list(field.choices):  # type: ignore[arg-type]
            if isinstance(label, list | tuple):
                labels.update({str(k): v for k, v in label})
            else:
                labels[str(key)] = label
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def conflict_rows(form: forms.BaseForm) -> list[dict[str, str]]:
    """Per field where the saved item (the form's initial, read just now) and
    what the user typed differ: the label, their value and yours."""
    rows = []
    cleaned = getattr(form, "cleaned_data", {})
    for name in form.changed_data:
        # Only fields the form was filled with from the saved item.
        field = form.fields.get(name)
        if name == "version" or field is None:
            continue
        if name not in form.initial and field.initial is None:
            continue
        theirs = form.get_initial_for_field(field, name)
        yours = cleaned.get(name, form[name].data)
        rows.append(
            {
                "name": name,
                "label": str(field.label or name),
                "theirs": _shown(field, theirs),
                "yours": _shown(field, yours),
            }
        )
    return rows


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


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers: the database answers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
