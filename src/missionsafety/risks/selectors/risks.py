"""Reading one risk and what hangs below it: assessments, controls, decisions, consultations, attachments."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from missionsafety.core.selectors import get_visible
from missionsafety.deployments.models import Party
from missionsafety.risks.models import (
    Assessment,
    Consultation,
    Control,
    Decision,
    Risk,
    RiskAttachment,
)
from missionsafety.risks.selectors.listing import risk_base


def risk_get(*, user: Any, pk: Any) -> Risk:
    """One risk the user may see (404 otherwise), with what its page needs."""
    # Rarely set relations are prefetched (no query when empty): joining all
    # of them made PostgreSQL spend longer planning the query than running it.
    return get_visible(
        risk_base()
        .select_related("deployment__matrix")
        .prefetch_related(
            "source_hazard",
            "copied_from__deployment",
            Prefetch(
                "deployment__parties",
                queryset=Party.objects.select_related("organisation"),
            ),
        ),
        user,
        pk=pk,
    )


def risk_controls(*, risk: Risk) -> list[Control]:
    controls = list(
        risk.controls.select_related("owner_party__organisation", "implementer")
    )
    return controls


def risk_assessments(*, risk: Risk) -> list[Assessment]:
    return list(risk.assessments.select_related("assessor").order_by("-sequence"))


def risk_decisions(*, risk: Risk) -> list[Decision]:
    return list(
        risk.decisions.select_related(
            "decided_by", "decided_for", "escalated_to", "assessment"
        )
        .prefetch_related(
            Prefetch(
                "parties_consulted",
                queryset=Party.objects.select_related("organisation"),
            ),
            Prefetch(
                "consultations",
                queryset=Consultation.objects.select_related(
                    "party__organisation", "answered_by", "assessment", "risk"
                ),
            ),
        )
        .order_by("-decided_at", "-pk")
    )


def risk_consultations(*, risk: Risk) -> list[Consultation]:
    """Every request about the risk, on any assessment, newest first."""
    return list(
        risk.consultations.select_related(
            "party__organisation", "answered_by", "requested_by", "assessment"
        ).order_by("-requested_at", "party_id")
    )


def consultation_get(*, user: Any, pk: Any) -> Consultation:
    """One consultation request the user may see (404 otherwise)."""
    return get_visible(
        Consultation.objects.select_related(
            "risk__deployment",
            "risk__current_assessment",
            "assessment",
            "party__organisation",
            "answered_by",
            "requested_by",
        ),
        user,
        pk=pk,
    )


def control_get(*, user: Any, pk: Any) -> Control:
    return get_visible(
        Control.objects.select_related(
            "risk",
            "risk__deployment",
            "owner_party__organisation",
            "implementer",
            "deployment",
        ).prefetch_related(
            Prefetch(
                "deployment__parties",
                queryset=Party.objects.select_related("organisation"),
            )
        ),
        user,
        pk=pk,
    )


def risk_attachments(*, risk: Risk) -> list[RiskAttachment]:
    """The files of a risk and its controls, oldest first."""
    return list(risk.attachments.select_related("control").order_by("pk"))


def attachment_get(*, user: Any, pk: Any) -> RiskAttachment:
    """One attachment of a risk the user may see (404 otherwise)."""
    return get_visible(RiskAttachment.objects.select_related("risk"), user, pk=pk)
