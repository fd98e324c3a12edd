"""The navigation bar: one link per app, shown once the app's view exists."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from missionsafety.core.context_processors import field_texts
from missionsafety.organisations.scope import is_auditor, is_read_only

# (url name, label, who sees it). A link appears once its view exists.
NAV = [
    ("home", _("My deployments"), "all"),
    ("reports:dashboard", _("Overview"), "all"),
    ("risks:awaiting", _("Awaiting my decision"), "all"),
    ("occurrences:mine", _("Occurrences"), "all"),
    ("lessons:search", _("Lessons"), "all"),
    ("evaluations:compliance", _("Evaluations"), "all"),
    ("risks:library", _("Hazard library"), "all"),
    ("organisations:tree", _("Organisations"), "all"),
    ("audit:chain", _("Audit"), "auditor"),
]


def _unread_count(request: HttpRequest) -> int | None:
    try:
        selectors = import_module("missionsafety.feedback.selectors")
    except ImportError:
        return None
    counter = getattr(selectors, "unread_count", None)
    return counter(user=request.user) if counter else None


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    auditor = user.is_superuser or is_auditor(user)
    items = []
    path = request.path
    for name, label, audience in NAV:
        if audience == "auditor" and not auditor:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return {
        "nav_items": items,
        "unread_count": _unread_count(request),
        "read_only": is_read_only(user),
        "field_texts": field_texts(),
    }
