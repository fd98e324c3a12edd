"""Kept pages: a page's content rendered once per version of what it shows.

Like kept panels (``core.panels``), for a whole page whose content follows
only from deployments' data: the register of a deployment, a risk, the
decisions awaiting a commander, the overview. ``render_kept`` renders the page
as usual the first time and keeps its title and content (between the content
markers of ``base.html``) under the page's version and its full path; while
nothing it shows has changed, the same content is put in a freshly rendered
frame (header, unread count, messages, language menu). A POST, a page without
a version (no session) or an answer other than 200 is never kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from missionsafety.core.panels import KEEP_SECONDS, page_version, slot_also
from missionsafety.core.views import is_htmx, render_page

CONTENT_START, CONTENT_END = "<!--content-->", "<!--/content-->"
TITLE_START, TITLE_END = "<title>", " · Mission Safety</title>"


def _between(text: str, start: str, end: str) -> str | None:
    _head, found, rest = text.partition(start)
    if not found:
        return None
    inner, found, _tail = rest.partition(end)
    return inner if found else None


def render_kept(
    request: HttpRequest,
    template: str,
    context: Callable[[], dict[str, Any]],
    *,
    slot: str,
    obj: Any,
    partial: str | None = None,
    panels: bool = False,
    also: tuple[str, ...] = (),
) -> HttpResponse:
    """``render_page`` for a GET whose content may be kept; ``context`` is
    called only when the page is rendered. ``panels``: the page shows the
    slot's panels, so it depends on their ``also`` models too; ``also``:
    models whose change in any deployment the page shows."""
    also = tuple(sorted({*also, *(slot_also(slot) if panels else ())}))
    version = (
        page_version(slot, request, obj, also) if request.method == "GET" else None
    )
    if version is None:
        return render_page(request, template, context(), partial=partial)
    part = partial if partial and is_htmx(request) else ""
    key = (
        "page:"
        + hashlib.sha256(
            f"{template}|{part}|{request.get_full_path()}|{version}".encode()
        ).hexdigest()
    )
    kept = cache.get(key)
    if kept is not None:
        if part:
            return HttpResponse(kept["partial"])
        return render(request, "core/kept_page.html", {"kept": kept})
    response = render_page(request, template, context(), partial=partial)
    if response.status_code != 200:
        return response
    html = response.content.decode()
    if part:
        cache.set(key, {"partial": html}, KEEP_SECONDS)
        return response
    title = _between(html, TITLE_START, TITLE_END)
    content = _between(html, CONTENT_START, CONTENT_END)
    if title is not None and content is not None:
        cache.set(key, {"title": title, "content": content}, KEEP_SECONDS)
    return response
