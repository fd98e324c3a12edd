"""Pages and files for reporting without a connection (see docs/working-offline.md).

- ``/sw.js``: the service worker, rendered from a template so that it names the
  current (hashed) static files; its version changes whenever they do.
- ``/field/pages.json``: the pages this user's phone keeps for offline use.
- ``/offline/``: what a page that needs the server shows when the link is down.
- ``/outbox/``: the reports waiting on this device to be sent.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from missionsafety.core.field import field_pages
from missionsafety.core.views import AuthedRequest

# What every page needs: kept by the service worker when it is installed.
SHELL_FILES = (
    "core/site.css",
    "core/print.css",
    "core/print.js",
    "core/htmx.min.js",
    "core/forms.js",
    "core/field-db.js",
    "core/field-photos.js",
    "core/field.js",
    "core/outbox.js",
)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    files = [static(name) for name in SHELL_FILES]
    body: str = render_to_string(
        "core/sw.js",
        {
            "files_json": json.dumps(files),
            "store_url": static("core/field-db.js"),
            "pages_url": reverse("field_pages"),
            "version": "",
        },
    )
    version = hashlib.sha256(body.encode()).hexdigest()[:12]
    body = body.replace('const VERSION = "";', f'const VERSION = "{version}";', 1)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on every navigation; never cache it.
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@never_cache
@login_required
@require_GET
def field_pages_json(request: AuthedRequest) -> JsonResponse:
    """The pages to keep for offline use: the shell, then the report forms of
    the deployments this user is out on."""
    shell = [
        reverse("home"),
        reverse("outbox"),
        reverse("offline"),
        reverse("offline") + "?queued=1",
    ]
    pages = list(dict.fromkeys([*shell, *field_pages(request.user)]))
    return JsonResponse({"user": request.user.pk, "pages": pages})


@login_required
@require_GET
def offline(request: AuthedRequest) -> HttpResponse:
    """Shown by the service worker, from its copy, when the link is down."""
    return render(request, "core/offline.html", {"queued": "queued" in request.GET})


@login_required
@require_GET
def outbox(request: AuthedRequest) -> HttpResponse:
    """The list itself lives on the device; the page script fills it in."""
    texts = {
        "queued": _("waiting to be sent"),
        "login": _("waiting for you to log in again"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "open": _("Open"),
        "confirmDelete": _("Delete this report from the outbox? It has not been sent."),
        "confirmDraft": _("Delete this draft from this device?"),
        "untitled": _("(no title yet)"),
        "returned": _("came back with errors"),
        "draft": _("draft"),
    }
    return render(request, "core/outbox.html", {"outbox_texts": texts})
