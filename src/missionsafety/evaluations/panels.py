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
    # The live checklist reads every open risk; on a large register that is
    # seconds of work, so the deployment page shows only the board's state and
    # links to the gate page, which computes the checklist on request.
    gate = (
        _gate_headline(deployment)
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


def _gate_headline(deployment: Deployment) -> dict[str, Any]:
    """The gate's state without its checklist: held or not, go, waiver."""
    from missionsafety.evaluations.models import GateWaiver

    gate = services.latest_gate(deployment)
    held = gate is not None and gate.is_done
    return {
        "gate": gate,
        "held": held,
        "go": held
        and gate is not None
        and gate.gate_decision == Evaluation.GateDecision.GO,
        "waived": held
        and GateWaiver.objects.filter(deployment=deployment, evaluation=gate).exists(),
    }
