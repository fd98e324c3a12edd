from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "missionsafety.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self) -> None:
        from missionsafety.audit.presentation import register_rows
        from missionsafety.core.defaults import register_defaults
        from missionsafety.core.demo import register_phase_step
        from missionsafety.core.events import subscribe
        from missionsafety.core.i18n import register_shipped_texts
        from missionsafety.core.panels import register_panel
        from missionsafety.deployments.services import (
            register_phase_guard,
            register_phase_listener,
        )
        from missionsafety.evaluations import defaults, panels, services

        register_shipped_texts(defaults.shipped_texts)
        # Process steps and evaluation templates, back after a flush.
        register_defaults("evaluations", defaults.install, order=30)
        # An agreement's cells in change records: step, party, R/A/C/I, tasks.
        register_rows(
            "cells", "evaluations.processstep", "deployments.party", None, None
        )
        register_shipped_texts(services.shipped_texts)
        register_phase_guard(services.gate_guard)
        register_phase_listener(services.on_phase_changed)
        # A demo deployment holds its readiness gate before it deploys.
        register_phase_step("deployed", services.gate_pass_for_walk)
        subscribe("occurrence.serious", services.on_serious_occurrence)
        subscribe("deployment.dates_changed", services.on_deployment_updated)
        register_panel(
            slot="deployment",
            order=40,
            template="evaluations/_deployment_panel.html",
            context=panels.deployment_panel,
            kept=True,
        )
        # The same section in the deployment's risk picture (PDF).
        register_panel(
            slot="briefing",
            order=10,
            template="evaluations/_deployment_panel.html",
            context=panels.deployment_panel,
        )
        register_panel(
            slot="dashboard",
            order=40,
            template="evaluations/_dashboard_panel.html",
            context=panels.dashboard_panel,
            kept=True,
        )
