"""Kept pages: a page's content rendered once per version of what it shows.

Like kept panels (``core.panels``), for a whole page whose content follows
only from deployments' data: the register of a deployment, a risk, the
decisions awaiting a commander, the overview. ``render_kept`` renders the page
as usual the first time and keeps its title and content (between the content
markers of ``base.html``) under the page's version and its full path; while
nothing it shows has changed, the same content is put in a freshly rendered
frame (header, unread count, messages, language menu). A POST, a page without
a version (no session) or an answer other than 200 is never kept.

``kept_answer`` does the same for an API read's whole JSON answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from missionsafety.core.panels import (
    KEEP_SECONDS,
    kept_key,
    page_version,
    slot_also,
)
from missionsafety.core.views import is_htmx, render_page

CONTENT_START, CONTENT_END = "<!--content-->", "<!--/content-->"
TITLE_START, TITLE_END = "<title>", " · Mission Safety</title>"


@dataclass(frozen=True)
class Id:
    """An object named by its key alone: enough for a slot's version (a
    deployment's is the number of its last change record)."""

    pk: Any


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
    key = kept_key("page", template, part, request.get_full_path(), version)
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


def kept_answer(
    slot: str, obj: Callable[..., Any], also: tuple[str, ...] = ()
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view decorator for an API read (with ninja's ``decorate_view``): a GET
    answered 200 to a signed-in browser is kept under the version of what it
    shows (``obj(**url_kwargs)`` names the slot's object) and its full path;
    while nothing it shows has changed the same JSON is answered without
    reading or serialising it again. A request with a token (no session), any
    other method or answer is answered afresh."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = getattr(request, "user", None)
            if (
                request.method != "GET"
                or "Authorization" in request.headers
                or user is None
                or not user.is_authenticated
            ):
                return view(request, *args, **kwargs)
            version = page_version(slot, request, obj(**kwargs), also)
            if version is None:
                return view(request, *args, **kwargs)
            key = kept_key("answer", request.get_full_path(), version)
            kept = cache.get(key)
            if kept is not None:
                return HttpResponse(kept["body"], content_type=kept["type"])
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                cache.set(
                    key,
                    {"body": response.content, "type": response["Content-Type"]},
                    KEEP_SECONDS,
                )
            return response

        return wrapped

    return decorator
