from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccurrencesConfig(AppConfig):
    name = "missionsafety.occurrences"
    label = "occurrences"
    verbose_name = _("Occurrences")

    def ready(self) -> None:
        from missionsafety.core.panels import register_panel

        register_panel(
            slot="deployment",
            order=30,
            template="occurrences/_trend_panel.html",
            context=_deployment_panel,
        )
        # The same section in the deployment's risk picture (PDF).
        register_panel(
            slot="briefing",
            order=30,
            template="occurrences/_trend_panel.html",
            context=_deployment_panel,
        )
        register_panel(
            slot="dashboard",
            order=30,
            template="occurrences/_trend_panel.html",
            context=_dashboard_panel,
        )
        from missionsafety.occurrences import panels

        register_panel(
            slot="risk",
            order=20,
            template="occurrences/_risk_panel.html",
            context=panels.risk_panel,
        )


def _deployment_panel(request: Any, deployment: Any) -> dict[str, Any]:
    from django.urls import reverse

    from missionsafety.core.permissions import can
    from missionsafety.occurrences.rules import REPORTING_ROLES
    from missionsafety.occurrences.selectors import (
        occurrence_trend,
        occurrences_per_month_and_category,
    )

    return {
        "trend": occurrence_trend(user=request.user, deployment=deployment),
        "chart": occurrences_per_month_and_category(
            user=request.user, deployment=deployment
        ),
        "list_url": reverse("occurrences:list", args=[deployment.pk]),
        "report_url": reverse("occurrences:report", args=[deployment.pk])
        if can(request.user, deployment, *REPORTING_ROLES)
        else None,
    }


def _dashboard_panel(request: Any, obj: Any) -> dict[str, Any]:
    from django.urls import reverse

    from missionsafety.occurrences.selectors import (
        occurrence_trend,
        occurrences_per_month_and_category,
    )

    return {
        "trend": occurrence_trend(user=request.user),
        "chart": occurrences_per_month_and_category(user=request.user),
        "list_url": reverse("occurrences:mine"),
    }
