"""Template context for every page: the navigation and the user's standing."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from missionsafety.core.permissions import is_auditor, is_read_only

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


def field_texts() -> dict[str, str]:
    """What the page script (core/field.js) says, in the user's language."""
    return {
        "waiting": gettext("Waiting to be sent (%(count)s)"),
        "login": gettext("Log in again to send (%(count)s)"),
        "refused": gettext("Returned with errors (%(count)s)"),
        "refusedOne": gettext("The server refused this report."),
        "queued": gettext(
            "No connection: your report is kept in the outbox on this device "
            "and will be sent when the link is back."
        ),
        "openOutbox": gettext("Open the outbox"),
        "another": gettext("Write another report"),
        "restored": gettext("Your draft from this device is back."),
        "returned": gettext(
            "This report came back from the server. Correct it and send it again:"
        ),
        "maybeSent": gettext(
            "It may have been sent already; sending it again will not make a "
            "second one."
        ),
        "discard": gettext("Discard draft"),
        "sending": gettext("Sending… %(count)s%%"),
        "photoSize": gettext("Photo made smaller for the link: %(count)s KB"),
        "logout": gettext(
            "%(count)s report(s) in your outbox have not been sent yet. Log out "
            "and delete them from this device?"
        ),
    }
