from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "missionsafety.lessons"
    label = "lessons"
    verbose_name = _("Lessons")

    def ready(self) -> None:
        from missionsafety.core.panels import register_panel

        register_panel(
            slot="risk_new",
            order=50,
            template="lessons/_risk_new_panel.html",
            context=_risk_new_panel,
        )
        register_panel(
            slot="risk",
            order=50,
            template="lessons/_risk_panel.html",
            context=_risk_panel,
            # Suggestions from every deployment's lessons and observations (the
            # search index is written in the same transaction as they are).
            kept=True,
            also=LESSON_SOURCES,
        )
        register_panel(
            slot="deployment",
            order=60,
            template="lessons/_deployment_panel.html",
            context=_deployment_panel,
            # Lessons of earlier rotations: any lesson, party or deployment.
            kept=True,
            also=("lessons.Lesson", "deployments.Party", "deployments.Deployment"),
        )
        register_panel(
            slot="field_actions",
            order=20,
            template="lessons/_field_action.html",
            context=_field_action,
        )
        from missionsafety.core.field import register_field_pages

        register_field_pages("lessons", _field_pages)
        register_panel(
            slot="organisation",
            order=50,
            template="lessons/_organisation_panel.html",
            context=_organisation_panel,
        )


def _labels() -> dict[str, str]:
    from missionsafety.lessons.views.search_pages import _labels

    return _labels()


def _risk_new_panel(request: Any, deployment: Any) -> dict[str, Any] | None:
    """Before the user types: what earlier deployments in this theatre learned,
    for the categories of the deployment's risks so far."""
    from missionsafety.lessons import selectors

    hits = selectors.form_suggestions(
        user=request.user,
        deployment=deployment,
        text=" ".join(
            request.GET.get(k, "")[:300] for k in ("title", "hazard")
        ).strip(),
        categories=[c for c in request.GET.getlist("category")[:5] if c],
    )
    return {"hits": hits, "labels": _labels(), "deployment": deployment}


# What suggestions and earlier lessons are drawn from, in every deployment.
LESSON_SOURCES = (
    "lessons.Lesson",
    "lessons.Observation",
    "deployments.Party",
    "deployments.Deployment",
)


def _risk_panel(request: Any, risk: Any) -> dict[str, Any] | None:
    from missionsafety.deployments.visibility import can
    from missionsafety.lessons import selectors
    from missionsafety.lessons.services import PARTICIPANT_ROLES

    uses = selectors.risk_uses(user=request.user, risk=risk)
    taken = {
        f"lesson:{u.lesson_id}" if u.lesson_id else f"observation:{u.observation_id}"
        for u in uses
    }
    return {
        "risk": risk,
        "uses": uses,
        "taken": taken,
        "hits": selectors.risk_suggestions(user=request.user, risk=risk),
        "labels": _labels(),
        "can_use": can(request.user, risk.deployment, *PARTICIPANT_ROLES),
    }


def _deployment_panel(request: Any, deployment: Any) -> dict[str, Any] | None:
    from missionsafety.deployments.visibility import can
    from missionsafety.lessons import selectors
    from missionsafety.lessons.services import REVIEW_ROLES

    return {
        "deployment": deployment,
        "review": selectors.deployment_review_panel(
            user=request.user, deployment=deployment
        ),
        "overdue": selectors.overdue_lessons(user=request.user, deployment=deployment),
        "observation_count": selectors.observation_list(
            user=request.user, deployment=deployment
        ).count(),
        "can_review": can(request.user, deployment, *REVIEW_ROLES),
    }


def _organisation_panel(request: Any, organisation: Any) -> dict[str, Any] | None:
    from missionsafety.lessons import selectors

    overdue = selectors.overdue_lessons(user=request.user, organisation=organisation)
    return {"overdue": overdue} if overdue else None


def _may_observe(user: Any, deployment: Any) -> bool:
    from missionsafety.deployments.visibility import can
    from missionsafety.lessons.services import PARTICIPANT_ROLES
    from missionsafety.organisations.scope import is_read_only

    return not is_read_only(user) and can(user, deployment, *PARTICIPANT_ROLES)


def _observation_url(deployment: Any) -> str:
    from django.urls import reverse

    return f"{reverse('lessons:observation_new')}?deployment={deployment.pk}"


def _field_action(request: Any, deployment: Any) -> dict[str, Any] | None:
    if not _may_observe(request.user, deployment):
        return None
    return {"url": _observation_url(deployment)}


def _field_pages(user: Any) -> list[str]:
    """The observation form of each deployment the user is out on."""
    from missionsafety.deployments.selectors import field_deployments

    return [
        _observation_url(d)
        for d in field_deployments(user=user)
        if _may_observe(user, d)
    ]
