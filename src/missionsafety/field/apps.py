from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "missionsafety.field"
    label = "field"
    verbose_name = _("Field instance")

    def ready(self) -> None:
        from missionsafety.core.panels import register_panel

        register_panel(
            slot="deployment",
            order=90,
            template="field/_deployment_panel.html",
            context=_deployment_panel,
        )


def _deployment_panel(request: Any, deployment: Any) -> dict[str, Any] | None:
    from missionsafety.field import selectors

    return selectors.deployment_panel(user=request.user, deployment=deployment)
