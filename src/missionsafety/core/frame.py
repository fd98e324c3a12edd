"""The kept frame: the header, menus and footer around every page.

``base.html`` is the same for every page one person reads in one language, but
for a few values: the page's title and content, the CSRF token, the path (the
language form's ``next``), which navigation link is current, the unread count,
the messages and the time printed in the print footer. Rendering it costs more
than most pages' own content (a dozen URL look-ups, static file names, texts).

So the frame (``core/_frame.html``) is rendered once per *shell key* with a
marker where each of those values goes, split at the markers and kept in the
process's memory; each request joins the pieces with its own values. The key
holds everything else the frame shows: the language, the script prefix, the
person (their id, name and staff flag) and whether the inbox link is shown.
Nothing in a shell comes from data another server could change unseen except
the person's name, which is in the key. With ``DEBUG`` on (templates edited
while the server runs) every frame is rendered afresh.

The per-request values come from the context: ``nav_items`` and
``unread_count`` from the navigation context processor, ``csrf_token``,
``messages`` and ``request`` from Django's.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import formats
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import get_language

from missionsafety.core.context_processors import field_texts

MARK = "\ue000"  # a private-use character: never in a page, untouched by escaping
SLOTS = ("title", "content", "csrf", "next", "nav", "unread", "messages", "printed")
_SPLIT = re.compile(f"{MARK}([a-z]+){MARK}")
# Shells kept per process; cleared when this many are kept (a few KB each).
MAX_SHELLS = 1000
CURRENT = mark_safe(' aria-current="page"')

_shells: dict[tuple[Any, ...], list[str]] = {}


def _marker(name: str) -> str:
    return f"{MARK}{name}{MARK}"


class _ShellRequest:
    """What the frame reads of the request, with the path as a marker."""

    def get_full_path(self) -> str:
        return _marker("next")


def _shell_key(user: Any, inbox: bool) -> tuple[Any, ...]:
    signed_in = bool(getattr(user, "is_authenticated", False))
    who = (user.pk, user.display_name, user.is_staff) if signed_in else None
    return (get_language(), get_script_prefix(), who, inbox)


def _render_shell(user: Any, inbox: bool) -> list[str]:
    """The frame with markers, split: text and slot names take turns."""
    html = render_to_string(
        "core/_frame.html",
        {
            "user": user,
            "request": _ShellRequest(),
            "csrf_token": _marker("csrf"),
            "frame": {name: _marker(name) for name in SLOTS},
            "inbox": inbox,
            "field_texts": field_texts(),
        },
    )
    return _SPLIT.split(html)


def shell(user: Any, inbox: bool) -> list[str]:
    if settings.DEBUG:
        return _render_shell(user, inbox)
    key = _shell_key(user, inbox)
    pieces = _shells.get(key)
    if pieces is None:
        pieces = _render_shell(user, inbox)
        if len(_shells) >= MAX_SHELLS:
            _shells.clear()
        _shells[key] = pieces
    return pieces


def forget_shells(**_kwargs: Any) -> None:
    _shells.clear()


# A test that changes settings (languages, URLs, static files) gets new frames.
setting_changed.connect(forget_shells)


def _nav(items: list[dict[str, Any]]) -> str:
    return "".join(
        format_html(
            '<a href="{}"{}>{}</a>',
            item["url"],
            CURRENT if item["active"] else "",
            item["label"],
        )
        for item in items
    )


def _printed() -> str:
    """What ``{% now "j M Y H:i" %}`` shows."""
    return formats.date_format(datetime.now(tz=get_current_timezone()), "j M Y H:i")


def render_frame(context: Any, title: str, content: str) -> SafeString:
    """``base.html`` around a page's title and content, for this request."""
    user = context.get("user")
    unread = context.get("unread_count")
    pieces = shell(user, unread is not None)
    messages = context.get("messages")
    request = context.get("request")
    csrf = context.get("csrf_token")
    values = {
        "title": title,
        "content": content,
        "csrf": escape(csrf) if csrf and str(csrf) != "NOTPROVIDED" else "",
        "next": escape(request.get_full_path()) if request is not None else "",
        "nav": _nav(context.get("nav_items") or []),
        "unread": format_html(' <span class="count">{}</span>', unread)
        if unread
        else "",
        "messages": render_to_string("core/_messages.html", {"messages": messages})
        if messages
        else "",
        "printed": escape(_printed()),
    }
    out = pieces[:]
    for i in range(1, len(out), 2):
        out[i] = values[out[i]]
    # Every value above is escaped or rendered by a template.
    return mark_safe("".join(out))
