"""Helpers the lesson pages share: reading numbers from a query and showing service errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest


def _int(value: Any) -> int | None:
    try:
        return int(str(value)[:12])
    except (TypeError, ValueError):
        return None


def _flash_errors(request: HttpRequest, form: Any, model: Any = None) -> None:
    for field, errors in form.errors.items():
        for error in errors:
            label = form.fields[field].label if field in form.fields else ""
            if not label and model is not None:
                # A part the service found missing: name it (it is not on the form).
                fields = {f.name: f for f in model._meta.get_fields()}
                label = getattr(fields.get(field), "verbose_name", "")
            messages.error(request, f"{label}: {error}" if label else error)
