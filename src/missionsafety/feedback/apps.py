from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "missionsafety.feedback"
    label = "feedback"
    verbose_name = _("Feedback and notifications")

    def ready(self) -> None:
        from missionsafety.core.events import subscribe
        from missionsafety.core.panels import register_panel
        from missionsafety.feedback.handlers import SUBSCRIPTIONS
        from missionsafety.feedback.subjects import register_defaults

        for event, handler in SUBSCRIPTIONS.items():
            subscribe(event, handler, background=True)
        register_defaults()
        register_panel(
            slot="deployment",
            order=40,
            template="feedback/_threads_panel.html",
            context=_deployment_panel,
            kept=True,
        )
        # The same section in the deployment's risk picture (PDF).
        register_panel(
            slot="briefing",
            order=40,
            template="feedback/_threads_panel.html",
            context=_deployment_panel,
        )
        register_panel(
            slot="organisation",
            order=40,
            template="feedback/_threads_panel.html",
            context=_organisation_panel,
            kept=True,
        )
        from missionsafety.feedback import panels

        register_panel(
            slot="risk",
            order=30,
            template="feedback/_threads_panel.html",
            context=panels.risk_panel,
            kept=True,
        )
        register_panel(
            slot="dashboard",
            order=50,
            template="feedback/_threads_panel.html",
            context=panels.dashboard_panel,
            kept=True,
        )


def _deployment_panel(request: Any, deployment: Any) -> dict[str, Any]:
    from django.urls import reverse

    from missionsafety.deployments.visibility import acting_parties
    from missionsafety.feedback.selectors import threads_of_deployment
    from missionsafety.organisations.scope import is_read_only

    return {
        "title": _("Feedback threads"),
        "threads": threads_of_deployment(user=request.user, deployment=deployment),
        "list_url": reverse("feedback:threads") + f"?deployment={deployment.pk}",
        "new_url": reverse("feedback:thread_new", args=[deployment.pk])
        if acting_parties(request.user, deployment) and not is_read_only(request.user)
        else None,
        "empty": _(
            "No open threads. Ask another party a question about this deployment."
        ),
    }


def _organisation_panel(request: Any, organisation: Any) -> dict[str, Any] | None:
    from django.urls import reverse

    from missionsafety.feedback.selectors import overdue_threads_of_organisation

    threads = overdue_threads_of_organisation(
        user=request.user, organisation=organisation
    )
    if not threads:
        return None
    return {
        "title": _("Overdue feedback threads"),
        "threads": threads,
        "list_url": reverse("feedback:threads") + "?overdue=1",
        "new_url": None,
        "empty": "",
    }
