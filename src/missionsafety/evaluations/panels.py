"""Sections this app adds to the deployment page and the overview."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from missionsafety.deployments.models import Deployment, Phase
from missionsafety.evaluations import selectors, services
from missionsafety.evaluations.models import Agreement, Evaluation


def deployment_panel(request: HttpRequest, deployment: Deployment) -> dict[str, Any]:
    agreement = services.current_agreement(deployment)
    in_force = Agreement.objects.filter(
        deployment=deployment, status=Agreement.Status.IN_FORCE
    ).first()
    moments = Evaluation.objects.filter(deployment=deployment)
    upcoming = list(
        moments.filter(
            status=Evaluation.Status.SCHEDULED, due_date__gte=timezone.localdate()
        )
        .select_related("template")
        .order_by("due_date")[:3]
    )
    gate = (
        services.gate_status(deployment)
        if deployment.phase in (Phase.PREPARATION, Phase.READINESS)
        else None
    )
    return {
        "deployment": deployment,
        "agreement": agreement,
        "in_force": in_force,
        "unsigned": selectors.agreement_matrix(agreement)["unsigned"]
        if agreement is not None and agreement.status == Agreement.Status.IN_SIGNATURE
        else [],
        "counts": selectors.compliance(moments),
        "upcoming": upcoming,
        "gate": gate,
    }


def dashboard_panel(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    rows = selectors.compliance_by_deployment(user=request.user)
    if not rows:
        return None
    return {"rows": rows[:10], "totals": selectors.totals(rows)}
