"""Reporting from the field: which pages a phone keeps ready for a lost link.

The service worker (``/sw.js``) keeps the application shell and the report
forms of the deployments a user is out on, so they open without a connection.
Apps say which of their forms those are; ``core`` knows no app::

    register_field_pages(lambda user: [reverse("occurrences:report", ...)])

A provider returns the URLs (path and query) of pages for this user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_providers: dict[str, Callable[[Any], list[str]]] = {}


def register_field_pages(name: str, provider: Callable[[Any], list[str]]) -> None:
    _providers[name] = provider


def field_pages(user: Any) -> list[str]:
    """Every registered page for this user, once each, in registration order."""
    seen: dict[str, None] = {}
    for name in sorted(_providers):
        for url in _providers[name](user):
            seen.setdefault(url, None)
    return list(seen)
