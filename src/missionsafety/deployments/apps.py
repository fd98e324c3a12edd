from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class DeploymentsConfig(AppConfig):
    name = "missionsafety.deployments"
    label = "deployments"
    verbose_name = _("Deployments")

    def ready(self) -> None:
        from missionsafety.core.panels import register_panel, set_version_source
        from missionsafety.deployments.versions import models_version, panel_version

        set_version_source(panel_version, models_version)
        # An organisation's page lists the deployments it takes part in.
        register_panel(
            slot="organisation",
            order=5,
            template="deployments/_organisation_panel.html",
            context=organisation_panel,
            kept=True,
        )


def organisation_panel(
    request: HttpRequest, organisation: Any
) -> dict[str, Any] | None:
    """The deployments the organisation is a party to, as far as the user sees
    (left out when the user sees none of them)."""
    from missionsafety.deployments.selectors import deployment_list

    deployments = list(
        deployment_list(user=request.user).filter(parties__organisation=organisation)[
            :50
        ]
    )
    return {"deployments": deployments} if deployments else None
