"""Writes to risks, assessments and controls."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.audit.versioning import update_versioned
from missionsafety.core.events import publish
from missionsafety.core.exceptions import ValidationError
from missionsafety.core.services import check_all, require_text
from missionsafety.deployments.models import Deployment, Party
from missionsafety.deployments.visibility import require
from missionsafety.risks import authority
from missionsafety.risks.models import (
    Assessment,
    Decision,
    Hazard,
    HazardCategory,
    Risk,
)
from missionsafety.risks.services.common import (
    ASSESS_ROLES,
    EDIT_ROLES,
    S,
    check_party,
    check_phases,
    locked_risk,
    move_status,
    next_number,
    save_risk,
)
from missionsafety.risks.services.controls import control_add

# -- risks ----------------------------------------------------------------


@transaction.atomic
def risk_create(
    *,
    actor: Any,
    deployment: Deployment,
    title: str,
    hazard: str,
    owner_party: Party | None,
    cause: str = "",
    consequence: str = "",
    category: HazardCategory | None = None,
    activity: str = "",
    phases: Iterable[str] = (),
    owner: Any = None,
    source_hazard: Hazard | None = None,
    copied_from: Risk | None = None,
    controls: Iterable[dict[str, Any]] = (),
) -> Risk:
    """Record a new, unassessed risk in the deployment's register."""
    require(actor, deployment, *EDIT_ROLES)
    check_all(
        lambda: check_party(deployment, owner_party, "owner_party"),
        lambda: require_text(title, "title", _("Give the risk a title.")),
        lambda: require_text(hazard, "hazard", _("Describe the hazard.")),
    )
    risk = Risk(
        deployment=deployment,
        number=next_number(deployment),
        title=title.strip(),
        hazard=hazard.strip(),
        cause=cause or "",
        consequence=consequence or "",
        category=category,
        activity=activity or "",
        phases=check_phases(phases),
        owner_party=owner_party,
        owner=owner,
        source_hazard=source_hazard,
        copied_from=copied_from,
        status=S.IDENTIFIED,
    )
    risk.full_clean(exclude=["current_assessment", "accepted_decision"])
    risk.save()
    record_change(actor=actor, obj=risk, action="create", after=snapshot(risk))
    for spec in controls:
        control_add(actor=actor, risk=risk, **spec)
    return risk


RISK_EDITABLE = {
    "title",
    "hazard",
    "cause",
    "consequence",
    "category",
    "activity",
    "phases",
    "owner_party",
    "owner",
}


@transaction.atomic
def risk_update(*, actor: Any, risk: Risk, version: int | None, **changes: Any) -> Risk:
    """Change what a risk is about; its levels change only by a new assessment."""
    require(actor, risk.deployment, *EDIT_ROLES)
    unknown = set(changes) - RISK_EDITABLE
    if unknown:
        raise ValidationError(
            {f: _("This field cannot be changed here.") for f in sorted(unknown)}
        )
    if "owner_party" in changes:
        check_party(risk.deployment, changes["owner_party"], "owner_party")
    if "phases" in changes:
        changes["phases"] = check_phases(changes["phases"])
    for key in ("title", "hazard"):
        if key in changes and not (changes[key] or "").strip():
            raise ValidationError({key: _("This field cannot be empty.")})
    return update_versioned(
        obj=risk,
        actor=actor,
        version=version,
        changes=changes,
        exclude_from_clean=["current_assessment", "accepted_decision"],
    )


def check_levels(
    matrix: Any,
    *,
    inherent_probability: str,
    inherent_severity: str,
    residual_probability: str,
    residual_severity: str,
) -> tuple[str, str]:
    """The inherent and residual levels; refuse a residual above the inherent."""
    inherent = matrix.level_for(inherent_probability, inherent_severity)
    residual = matrix.level_for(residual_probability, residual_severity)
    if matrix.rank(residual) > matrix.rank(inherent):
        raise ValidationError(
            {
                "residual_severity": _(
                    "The residual level (%(residual)s) cannot be higher than the "
                    "inherent level (%(inherent)s): controls do not add risk."
                )
                % {"residual": residual, "inherent": inherent}
            }
        )
    return inherent, residual


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    risk: Risk,
    inherent_probability: str,
    inherent_severity: str,
    residual_probability: str,
    residual_severity: str,
    reason: str = Assessment.Reason.INITIAL,
    controls_considered: str = "",
    note: str = "",
    request_decision: bool = True,
) -> Assessment:
    """Record a new assessment; the risk then needs a (new) decision.

    A residual level above the level last accepted flags the risk *stop:
    re-approval needed* until a commander accepts it again.
    """
    require(actor, risk.deployment, *ASSESS_ROLES)
    risk = locked_risk(risk)
    if risk.status == S.CLOSED:
        raise ValidationError({"status": _("A closed risk is not assessed again.")})
    matrix = authority.matrix_of(risk.deployment)
    errors: dict[str, str] = {}
    for name, value, codes in (
        ("inherent_probability", inherent_probability, matrix.probability_codes),
        ("inherent_severity", inherent_severity, matrix.severity_codes),
        ("residual_probability", residual_probability, matrix.probability_codes),
        ("residual_severity", residual_severity, matrix.severity_codes),
    ):
        if value not in codes:
            errors[name] = _(
                "“%(value)s” is not in the matrix %(matrix)s; choose one of %(codes)s."
            ) % {"value": value, "matrix": matrix.name, "codes": ", ".join(codes)}
    if reason not in Assessment.Reason.values:
        errors["reason"] = _("Choose a reason for this assessment.")
    if errors:
        raise ValidationError(errors)
    inherent, residual = check_levels(
        matrix,
        inherent_probability=inherent_probability,
        inherent_severity=inherent_severity,
        residual_probability=residual_probability,
        residual_severity=residual_severity,
    )
    last = risk.assessments.aggregate(m=Max("sequence"))["m"] or 0
    assessment = Assessment.objects.create(
        risk=risk,
        deployment=risk.deployment,
        sequence=last + 1,
        inherent_probability=inherent_probability,
        inherent_severity=inherent_severity,
        inherent_level=inherent,
        controls_considered=controls_considered or "",
        residual_probability=residual_probability,
        residual_severity=residual_severity,
        residual_level=residual,
        residual_rank=matrix.rank(residual),
        reason=reason,
        note=note or "",
        assessor=actor,
    )
    before = {
        "status": risk.status,
        "inherent_level": risk.inherent_level,
        "residual_level": risk.residual_level,
        "stop_flag": risk.stop_flag,
    }
    stop = False
    if risk.accepted_decision_id is not None:
        accepted = Decision.objects.get(pk=risk.accepted_decision_id)
        stop = matrix.rank(residual) > matrix.rank(accepted.level)
    needs_decision = request_decision or risk.status in (
        S.AWAITING_DECISION,
        S.ACCEPTED,
        S.MONITORED,
    )
    move_status(risk, S.AWAITING_DECISION if needs_decision else S.ASSESSED)
    risk.current_assessment = assessment
    risk.inherent_level = inherent
    risk.residual_level = residual
    risk.residual_rank = matrix.rank(residual)
    risk.reassessment_required = False
    risk.reassessment_reason = ""
    risk.escalated_to = None
    risk.escalation_echelon = None
    if stop:
        risk.stop_flag = True
    save_risk(
        risk,
        [
            "status",
            "current_assessment",
            "inherent_level",
            "residual_level",
            "residual_rank",
            "reassessment_required",
            "reassessment_reason",
            "escalated_to",
            "escalation_echelon",
            "stop_flag",
        ],
    )
    record_change(
        actor=actor,
        obj=risk,
        action="assess",
        before=before,
        after={
            "assessment": assessment.pk,
            "sequence": assessment.sequence,
            "reason": reason,
            "inherent": f"{inherent_probability}/{inherent_severity} → {inherent}",
            "residual": f"{residual_probability}/{residual_severity} → {residual}",
            # The same keys as ``before``, so that every changed field has both.
            "inherent_level": inherent,
            "residual_level": residual,
            "status": risk.status,
            "stop_flag": risk.stop_flag,
        },
    )
    if stop:
        publish("risk.stop_flagged", risk=risk, assessment=assessment, actor=actor)
    if risk.status == S.AWAITING_DECISION:
        publish(
            "risk.decision_requested", risk=risk, assessment=assessment, actor=actor
        )
    return assessment


@transaction.atomic
def risk_transition(*, actor: Any, risk: Risk, to_status: str, note: str = "") -> Risk:
    """Ask for a decision, start monitoring an accepted risk, or close a risk."""
    require(actor, risk.deployment, *ASSESS_ROLES)
    risk = locked_risk(risk)
    manual = {S.AWAITING_DECISION, S.MONITORED, S.CLOSED}
    if to_status not in manual:
        raise ValidationError(
            {
                "status": _(
                    "Acceptance and rejection are decisions; record a decision instead."
                )
            }
        )
    if to_status == S.AWAITING_DECISION and risk.current_assessment_id is None:
        raise ValidationError(
            {"status": _("Assess the risk before asking for a decision.")}
        )
    before = risk.status
    move_status(risk, to_status)
    save_risk(risk, ["status"])
    record_change(
        actor=actor,
        obj=risk,
        action="status",
        before={"status": before},
        after={"status": to_status, "note": note},
    )
    if to_status == S.AWAITING_DECISION:
        publish(
            "risk.decision_requested",
            risk=risk,
            assessment=risk.current_assessment,
            actor=actor,
        )
    return risk


# -- kept for other apps --------------------------------------------------


@transaction.atomic
def risk_require_reassessment(
    *, risk: Risk, actor: Any, reason: str, source: Any = None
) -> Risk:
    """Mark a risk as needing reassessment (e.g. after a serious occurrence)."""
    risk = Risk.objects.select_for_update(no_key=True).get(pk=risk.pk)
    if risk.reassessment_required and risk.reassessment_reason == reason[:300]:
        return risk
    before = {
        "reassessment_required": risk.reassessment_required,
        "reassessment_reason": risk.reassessment_reason,
    }
    Risk.objects.filter(pk=risk.pk).update(
        reassessment_required=True, reassessment_reason=reason[:300]
    )
    risk.reassessment_required = True
    risk.reassessment_reason = reason[:300]
    record_change(
        actor=actor,
        obj=risk,
        action="require_reassessment",
        before=before,
        after={"reassessment_required": True, "reassessment_reason": reason[:300]},
    )
    publish(
        "risk.reassessment_required",
        risk=risk,
        reason=reason,
        actor=actor,
        source=source,
    )
    return risk
