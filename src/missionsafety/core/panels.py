"""Sections that apps add to pages owned by other apps, in order.

A page declares a *slot* and renders the panels registered for it; an app
registers its panel in ``AppConfig.ready()``::

    register_panel(slot="deployment", order=20,
                   template="risks/_deployment_panel.html",
                   context=lambda request, obj: {...})

The context function returns ``None`` to leave the panel out. The template gets
the context as ``panel``. Slots in use:

- ``deployment``: the deployment page (obj: the Deployment)
- ``briefing``: the deployment's risk picture PDF (obj: the Deployment)
- ``risk``: the risk page (obj: the Risk)
- ``risk_new``: the new-risk form (obj: the Deployment)
- ``dashboard``: the cross-deployment overview (obj: None)
- ``organisation``: an organisation's page (obj: the Organisation)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    slot: str
    order: int
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]


_panels: dict[tuple[str, str], Panel] = {}


def register_panel(
    *,
    slot: str,
    order: int,
    template: str,
    context: Callable[[HttpRequest, Any], dict[str, Any] | None],
) -> None:
    _panels[(slot, template)] = Panel(slot, order, template, context)


def panels_for(slot: str, request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
    """The panels of a slot with their context, for ``{% include %}`` in order."""
    rendered = []
    for panel in sorted(
        (p for p in _panels.values() if p.slot == slot), key=lambda p: p.order
    ):
        context = panel.context(request, obj)
        if context is not None:
            rendered.append({"template": panel.template, "context": context})
    return rendered
