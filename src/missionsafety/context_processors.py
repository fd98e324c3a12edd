"""The navigation bar: one link per app, shown once the app's view exists."""

from __future__ import annotations

import functools
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

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


@functools.cache
def _links(prefix: str, urlconf: str) -> list[tuple[str, Any, str]]:
    """(url, label, audience) of the links whose view exists: the same for every
    request under one script prefix and URL configuration."""
    links = []
    for name, label, audience in NAV:
        try:
            links.append((reverse(name), label, audience))
        except NoReverseMatch:
            continue
    return links


def forget_links(**_kwargs: Any) -> None:
    _links.cache_clear()


setting_changed.connect(forget_links)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation links, the unread count and whether the reader may
    change anything (the page frame, ``core.frame``, shows the first two)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    auditor = user.is_superuser or is_auditor(user)
    path = request.path
    items = [
        {
            "url": url,
            "label": label,
            "active": path == url if url == "/" else path.startswith(url),
        }
        for url, label, audience in _links(get_script_prefix(), settings.ROOT_URLCONF)
        if audience != "auditor" or auditor
    ]
    return {
        "nav_items": items,
        "unread_count": _unread_count(request),
        "read_only": is_read_only(user),
    }
