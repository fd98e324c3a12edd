"""Sections other apps add to the deployment page, in order.

An app registers a panel in its ``AppConfig.ready()``::

    register_panel(order=20, template="risks/_deployment_panel.html",
                   context=lambda request, deployment: {...})

The context function returns ``None`` to leave the panel out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]


_panels: dict[str, Panel] = {}


def register_panel(
    *,
    order: int,
    template: str,
    context: Callable[[HttpRequest, Any], dict[str, Any] | None],
) -> None:
    _panels[template] = Panel(order, template, context)


def panels_for(request: HttpRequest, deployment: Any) -> list[dict[str, Any]]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.context(request, deployment)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    return rendered
