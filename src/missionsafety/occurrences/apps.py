from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccurrencesConfig(AppConfig):
    name = "missionsafety.occurrences"
    label = "occurrences"
    verbose_name = _("Occurrences")

    def ready(self) -> None:
        from missionsafety.core.defaults import register_defaults
        from missionsafety.core.panels import register_panel

        register_defaults("occurrences", _install_defaults, order=20)

        register_panel(
            slot="deployment",
            order=30,
            template="occurrences/_trend_panel.html",
            context=_deployment_panel,
            kept=True,
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
            kept=True,
        )
        # Reporting in two taps: at the top of the home and deployment pages.
        register_panel(
            slot="field_actions",
            order=10,
            template="occurrences/_field_action.html",
            context=_field_action,
        )
        from missionsafety.core.field import register_field_pages

        register_field_pages("occurrences", _field_pages)
        from missionsafety.occurrences import panels

        register_panel(
            slot="risk",
            order=20,
            template="occurrences/_risk_panel.html",
            context=panels.risk_panel,
            kept=True,
        )


def _deployment_panel(request: Any, deployment: Any) -> dict[str, Any]:
    from django.urls import reverse

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
        # The report button sits at the top of the page (field_actions).
        "report_url": None,
    }


def _may_report(user: Any, deployment: Any) -> bool:
    from missionsafety.deployments.visibility import can
    from missionsafety.occurrences.rules import REPORTING_ROLES

    return can(user, deployment, *REPORTING_ROLES)


def _field_action(request: Any, deployment: Any) -> dict[str, Any] | None:
    from django.urls import reverse

    if not _may_report(request.user, deployment):
        return None
    return {"url": reverse("occurrences:report", args=[deployment.pk])}


def _field_pages(user: Any) -> list[str]:
    """The report forms of the deployments the user is out on."""
    from django.urls import reverse

    from missionsafety.deployments.selectors import field_deployments

    return [
        reverse("occurrences:report", args=[d.pk])
        for d in field_deployments(user=user)
        if _may_report(user, d)
    ]


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


def _install_defaults(registry: Any) -> None:
    """The shipped occurrence categories."""
    from missionsafety.occurrences.defaults import install_categories

    install_categories(registry.get_model("occurrences", "OccurrenceCategory"))
