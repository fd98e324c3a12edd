from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "missionsafety.risks"
    label = "risks"
    verbose_name = _("Risks")

    def ready(self) -> None:
        from missionsafety.core.i18n import register_shipped_texts
        from missionsafety.core.panels import register_panel
        from missionsafety.risks import library, trends, views

        register_shipped_texts(library.shipped_texts)

        register_panel(
            slot="deployment",
            order=10,
            template="risks/_deployment_panel.html",
            context=views.deployment_panel,
        )
        register_panel(
            slot="organisation",
            order=10,
            template="risks/_organisation_panel.html",
            context=views.organisation_panel,
        )
        for slot, order in (("deployment", 15), ("dashboard", 20)):
            register_panel(
                slot=slot,
                order=order,
                template="risks/_trends_panel.html",
                context=trends.trend_panel,
            )
        register_panel(
            slot="briefing",
            order=25,
            template="risks/_trends_panel.html",
            context=trends.briefing_trend_panel,
        )
