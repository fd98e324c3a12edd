"""Sections that apps add to pages owned by other apps, in order.

A page declares a *slot* and renders the panels registered for it; an app
registers its panel in ``AppConfig.ready()``::

    register_panel(slot="deployment", order=20,
                   template="risks/_deployment_panel.html",
                   context=lambda request, obj: {...})

The context function returns ``None`` to leave the panel out. The template gets
the context as ``panel``.

A panel registered with ``kept=True`` is rendered once and its HTML kept (in
the cache) under the page's *version* (``set_version_source``): the versions of
the deployments the page shows, the changes outside any deployment, the day,
the language and the reader's session, so it is used again only while none of
that changed; ``also`` names models whose change in any deployment the panel
shows too (e.g. lessons of earlier rotations). Keep only panels whose content
follows from those (no state that changes without a change record, such as a
search index built afterwards) and whose template uses nothing but ``panel``
and what the context processors give. Slots in use:

- ``deployment``: the deployment page (obj: the Deployment)
- ``briefing``: the deployment's risk picture PDF (obj: the Deployment)
- ``risk``: the risk page (obj: the Risk)
- ``risk_new``: the new-risk form (obj: the Deployment)
- ``dashboard``: the cross-deployment overview (obj: None)
- ``organisation``: an organisation's page (obj: the Organisation)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string

# A kept panel is also dropped after this long, whatever its version.
KEEP_SECONDS = 3600
KEPT_TEMPLATE = "core/_kept_panel.html"


@dataclass(frozen=True)
class Panel:
    slot: str
    order: int
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    kept: bool = False
    # Models (app labels) whose change anywhere the kept panel also shows.
    also: tuple[str, ...] = ()


_panels: dict[tuple[str, str], Panel] = {}
VersionSource = Callable[[str, HttpRequest, Any], str | None]
ModelsVersion = Callable[[tuple[str, ...]], str]
_version_source: list[VersionSource] = []
_models_version: list[ModelsVersion] = []


def register_panel(
    *,
    slot: str,
    order: int,
    template: str,
    context: Callable[[HttpRequest, Any], dict[str, Any] | None],
    kept: bool = False,
    also: tuple[str, ...] = (),
) -> None:
    _panels[(slot, template)] = Panel(slot, order, template, context, kept, also)


def set_version_source(source: VersionSource, models: ModelsVersion) -> None:
    """The functions that name a page's version for its kept panels, and how
    far some models have come anywhere (for ``also``); the deployments app
    sets them: it knows how far each deployment has come."""
    _version_source[:] = [source]
    _models_version[:] = [models]


# Versions asked once per request: a kept page and its panels share them.
_MEMO = "_kept_versions"


def _memo(request: HttpRequest) -> dict[Any, Any]:
    memo = getattr(request, _MEMO, None)
    if memo is None:
        memo = {}
        setattr(request, _MEMO, memo)
    return memo


def _version(slot: str, request: HttpRequest, obj: Any) -> str | None:
    if not _version_source or not getattr(settings, "KEEP_PANELS", True):
        return None
    key = (slot, getattr(obj, "pk", None))
    memo = _memo(request)
    if key not in memo:
        memo[key] = _version_source[0](slot, request, obj)
    return memo[key]


def _also_version(request: HttpRequest, also: tuple[str, ...]) -> str:
    memo = _memo(request)
    if also not in memo:
        memo[also] = _models_version[0](also)
    return memo[also]


def kept_key(kind: str, *parts: Any) -> str:
    """The cache key of something kept under these parts. Hashed: a version
    names the reader's session, which must not be readable from a shared
    cache's keys."""
    text = "|".join(str(part) for part in parts)
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def slot_also(slot: str) -> tuple[str, ...]:
    """The ``also`` models of a slot's kept panels: what a kept page showing
    them depends on besides its deployments."""
    found: set[str] = set()
    for panel in _panels.values():
        if panel.slot == slot:
            found.update(panel.also)
    return tuple(sorted(found))


def page_version(
    slot: str, request: HttpRequest, obj: Any, also: tuple[str, ...] = ()
) -> str | None:
    """The version of a page that shows ``slot``'s deployments (and ``also``
    models anywhere); ``None`` when nothing may be kept (see ``core.kept``)."""
    version = _version(slot, request, obj)
    if version is None or not also:
        return version
    return f"{version}:{_also_version(request, also)}"


def panels_for(slot: str, request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
    """The panels of a slot with their context, for ``{% include %}`` in order."""
    panels = sorted(
        (p for p in _panels.values() if p.slot == slot), key=lambda p: p.order
    )
    version = _version(slot, request, obj) if any(p.kept for p in panels) else None
    keys = {
        p.template: kept_key(
            "panel",
            p.template,
            version,
            _also_version(request, p.also) if p.also else "",
        )
        for p in panels
        if p.kept and version is not None
    }
    found = cache.get_many(list(keys.values())) if version is not None else {}
    fresh: dict[str, str] = {}
    rendered = []
    for panel in panels:
        if panel.kept and version is not None:
            key = keys[panel.template]
            html = found.get(key)
            if html is None:
                context = panel.context(request, obj)
                html = (
                    ""
                    if context is None
                    else render_to_string(
                        panel.template, {"panel": context}, request=request
                    )
                )
                fresh[key] = html
            if html:
                rendered.append({"template": KEPT_TEMPLATE, "context": {"html": html}})
            continue
        context = panel.context(request, obj)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    if fresh:
        cache.set_many(fresh, KEEP_SECONDS)
    return rendered
