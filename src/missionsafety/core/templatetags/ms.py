"""Template helpers used across the apps."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj: models.Model) -> str:
    """Link to the change history of any audited object."""
    ct = ContentType.objects.get_for_model(obj)
    return reverse("audit:history", args=[f"{ct.app_label}.{ct.model}", obj.pk])


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for filters, pages)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in changes:
        params.pop("page", None)
    encoded = urlencode(sorted(params.lists()), doseq=True)
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def hidden_errors(form: Any) -> list[str]:
    """Errors on a form's hidden fields (a superseded assessment, a stale version).

    They belong to nothing the user can see, so the form's top message says them.
    """
    if form is None or not getattr(form, "is_bound", False):
        return []
    return [str(e) for field in form.hidden_fields() for e in field.errors]


@register.filter
def field_anchor(field: Any) -> str:
    """The id of the control a link to this field should land on."""
    if field.use_fieldset and field.subwidgets:
        return f"{field.auto_id}_0"
    return str(field.id_for_label or field.auto_id)


@register.filter
def error_count(form: Any) -> int:
    """How many messages a form's error summary lists."""
    return sum(len(errors) for errors in form.errors.values())


@register.filter
def at(sequence: Any, index: int) -> Any:
    """The item at ``index`` of a list or tuple (e.g. the header of a column)."""
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return ""
