from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "missionsafety.risks"
    label = "risks"
    verbose_name = _("Risks")

    def ready(self) -> None:
        from missionsafety.core.defaults import register_defaults
        from missionsafety.core.i18n import register_shipped_texts
        from missionsafety.core.panels import register_panel
        from missionsafety.deployments.services import register_default_matrix
        from missionsafety.risks import library, trends, views

        register_shipped_texts(library.shipped_texts)
        register_defaults("risks", _install_defaults, order=10)
        register_default_matrix(_default_matrix)

        register_panel(
            slot="deployment",
            order=10,
            template="risks/_deployment_panel.html",
            context=views.deployment_panel,
            kept=True,
        )
        register_panel(
            slot="organisation",
            order=10,
            template="risks/_organisation_panel.html",
            context=views.organisation_panel,
            kept=True,
        )
        for slot, order in (("deployment", 15), ("dashboard", 20)):
            register_panel(
                slot=slot,
                order=order,
                template="risks/_trends_panel.html",
                context=trends.trend_panel,
                kept=True,
            )
        register_panel(
            slot="briefing",
            order=25,
            template="risks/_trends_panel.html",
            context=trends.briefing_trend_panel,
        )


def _install_defaults(registry: Any) -> None:
    """The shipped matrices and acceptance rules, and the hazard library."""
    from missionsafety.risks.defaults import install
    from missionsafety.risks.library import install_library

    install(registry)
    install_library(registry)


def _default_matrix() -> Any:
    """A new deployment's matrix: the default one, else the newest."""
    from missionsafety.risks.models import RiskMatrix

    return (
        RiskMatrix.objects.filter(is_default=True).order_by("-revision").first()
        or RiskMatrix.objects.order_by("-revision").first()
    )
