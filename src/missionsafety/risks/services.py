"""Every write to the risk register: matrices, risks, assessments, controls,
decisions and the starts of a register from the library or an earlier one."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change, snapshot
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.core.i18n import pick
from missionsafety.core.permissions import require, require_writer
from missionsafety.core.services import update_versioned
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.risks import authority
from missionsafety.risks.models import (
    AcceptanceRule,
    Assessment,
    Control,
    Decision,
    Hazard,
    HazardCategory,
    Risk,
    RiskMatrix,
)

EDIT_ROLES = ("safety_officer", "commander", "contributor")
ASSESS_ROLES = ("safety_officer", "commander")
S = Risk.Status


# -- matrices -------------------------------------------------------------


def matrix_validate(matrix: RiskMatrix) -> None:
    """Refuse a matrix whose cells do not cover every probability × severity."""
    errors: dict[str, str] = {}
    levels = set(matrix.level_codes)
    if not matrix.probability_codes:
        errors["probabilities"] = _("Give at least one probability level.")
    if not matrix.severity_codes:
        errors["severities"] = _("Give at least one severity level.")
    if not levels:
        errors["levels"] = _("Give at least one risk level.")
    for severity in matrix.severity_codes:
        row = (matrix.cells or {}).get(severity) or {}
        for probability in matrix.probability_codes:
            if row.get(probability) not in levels:
                errors["cells"] = _(
                    "Cell %(s)s × %(p)s has no known risk level; every cell needs "
                    "one of %(levels)s."
                ) % {
                    "s": severity,
                    "p": probability,
                    "levels": ", ".join(matrix.level_codes),
                }
                break
    if errors:
        raise ValidationError(errors)


def matrix_refuse_if_in_use(matrix: RiskMatrix) -> None:
    if matrix.pk and matrix.in_use:
        raise ValidationError(
            {
                "__all__": _(
                    "This matrix is used by a deployment and can no longer be "
                    "changed. Make a new revision instead."
                )
            }
        )


def _require_admin(actor: Any) -> None:
    if not (getattr(actor, "is_superuser", False) or getattr(actor, "is_staff", False)):
        raise NotAllowed(_("Only administrators change risk matrices."))


@transaction.atomic
def matrix_update(
    *, actor: Any, matrix: RiskMatrix, version: int | None, **changes: Any
) -> RiskMatrix:
    """Change a matrix that no deployment uses yet."""
    _require_admin(actor)
    matrix_refuse_if_in_use(matrix)
    for name, value in changes.items():
        setattr(matrix, name, value)
    matrix_validate(matrix)
    matrix.refresh_from_db(fields=list(changes))
    return update_versioned(obj=matrix, actor=actor, version=version, changes=changes)


@transaction.atomic
def rule_update(*, actor: Any, rule: AcceptanceRule, **changes: Any) -> AcceptanceRule:
    """Change an acceptance rule of a matrix that no deployment uses yet."""
    _require_admin(actor)
    matrix_refuse_if_in_use(rule.matrix)
    before = snapshot(rule)
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    record_change(
        actor=actor, obj=rule, action="update", before=before, after=snapshot(rule)
    )
    return rule


@transaction.atomic
def matrix_new_revision(*, actor: Any, matrix: RiskMatrix) -> RiskMatrix:
    """Copy a matrix and its rules as the next revision, free to edit."""
    _require_admin(actor)
    latest = RiskMatrix.objects.filter(code=matrix.code).aggregate(m=Max("revision"))[
        "m"
    ]
    copy = RiskMatrix.objects.create(
        code=matrix.code,
        revision=(latest or 0) + 1,
        name=matrix.name,
        description=matrix.description,
        probabilities=matrix.probabilities,
        severities=matrix.severities,
        levels=matrix.levels,
        cells=matrix.cells,
        is_default=False,
    )
    for rule in matrix.rules.all():
        AcceptanceRule.objects.create(
            matrix=copy,
            level=rule.level,
            chain=rule.chain,
            min_echelon=rule.min_echelon,
            authority=rule.authority,
            consult=rule.consult,
            validity_days=rule.validity_days,
        )
    record_change(actor=actor, obj=copy, action="new_revision", after=snapshot(copy))
    return copy


# -- risks ----------------------------------------------------------------


def _check_party(deployment: Deployment, party: Party | None, field: str) -> None:
    if party is None:
        raise ValidationError({field: _("Choose a party of this deployment.")})
    if party.deployment_id != deployment.pk:
        raise ValidationError(
            {
                field: _("%(org)s is not a party to this deployment.")
                % {"org": party.organisation}
            }
        )


def _check_phases(phases: Iterable[str]) -> list[str]:
    phases = list(phases or [])
    unknown = [p for p in phases if p not in Phase.values]
    if unknown:
        raise ValidationError(
            {"phases": _("Unknown phase: %(p)s.") % {"p": ", ".join(unknown)}}
        )
    return sorted(set(phases), key=Phase.values.index)


def _next_number(deployment: Deployment) -> int:
    # Lock the deployment row so two new risks cannot take the same number.
    Deployment.objects.select_for_update().filter(pk=deployment.pk).first()
    last = Risk.objects.filter(deployment=deployment).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


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
    _check_party(deployment, owner_party, "owner_party")
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the risk a title.")})
    if not (hazard or "").strip():
        raise ValidationError({"hazard": _("Describe the hazard.")})
    risk = Risk(
        deployment=deployment,
        number=_next_number(deployment),
        title=title.strip(),
        hazard=hazard.strip(),
        cause=cause or "",
        consequence=consequence or "",
        category=category,
        activity=activity or "",
        phases=_check_phases(phases),
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
        _check_party(risk.deployment, changes["owner_party"], "owner_party")
    if "phases" in changes:
        changes["phases"] = _check_phases(changes["phases"])
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


def _save_risk(risk: Risk, fields: list[str]) -> None:
    """Save service-kept fields and bump the version (edits based on it go stale)."""
    Risk.objects.filter(pk=risk.pk).update(
        **{f: getattr(risk, risk._meta.get_field(f).attname) for f in fields},
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    risk.version += 1


def _move(risk: Risk, to: str) -> None:
    if to not in Risk.TRANSITIONS[risk.status]:
        raise ValidationError(
            {
                "status": _("A risk that is %(current)s cannot become %(target)s.")
                % {
                    "current": S(risk.status).label,
                    "target": S(to).label,
                }
            }
        )
    risk.status = to


def _locked(risk: Risk) -> Risk:
    fresh = (
        Risk.objects.select_for_update(of=("self",))
        .select_related("deployment", "deployment__matrix", "escalated_to")
        .get(pk=risk.pk)
    )
    return fresh


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
    risk = _locked(risk)
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
    _move(risk, S.AWAITING_DECISION if needs_decision else S.ASSESSED)
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
    _save_risk(
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
    risk = _locked(risk)
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
    _move(risk, to_status)
    _save_risk(risk, ["status"])
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


# -- controls -------------------------------------------------------------


def _check_due(deployment: Deployment, due: datetime.date | None) -> None:
    if due is not None and due < deployment.start_date:
        raise ValidationError(
            {
                "due_date": _(
                    "The due date lies before the start of the deployment (%(start)s)."
                )
                % {"start": deployment.start_date.isoformat()}
            }
        )


@transaction.atomic
def control_add(
    *,
    actor: Any,
    risk: Risk,
    description: str,
    kind: str,
    owner_party: Party | None,
    implementer: Any = None,
    due_date: datetime.date | None = None,
) -> Control:
    """Add a control, owned by any party of the deployment."""
    deployment = risk.deployment
    require(actor, deployment, *EDIT_ROLES)
    _check_party(deployment, owner_party, "owner_party")
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the control.")})
    if kind not in Control.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of control.")})
    _check_due(deployment, due_date)
    control = Control.objects.create(
        risk=risk,
        deployment=deployment,
        description=description.strip(),
        kind=kind,
        owner_party=owner_party,
        implementer=implementer,
        due_date=due_date,
    )
    record_change(actor=actor, obj=control, action="create", after=snapshot(control))
    return control


@transaction.atomic
def control_update(
    *, actor: Any, control: Control, version: int | None, **changes: Any
) -> Control:
    """Change a control; a status change follows the control's status machine."""
    deployment = control.deployment
    require(actor, deployment, *EDIT_ROLES)
    allowed = {
        "description",
        "kind",
        "owner_party",
        "implementer",
        "due_date",
        "status",
        "status_note",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            {f: _("This field cannot be changed here.") for f in sorted(unknown)}
        )
    if "owner_party" in changes:
        _check_party(deployment, changes["owner_party"], "owner_party")
    if "due_date" in changes:
        _check_due(deployment, changes["due_date"])
    if "kind" in changes and changes["kind"] not in Control.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of control.")})
    status_changed = False
    if "status" in changes and changes["status"] != control.status:
        target = changes["status"]
        if target not in Control.TRANSITIONS.get(control.status, set()):
            raise ValidationError(
                {
                    "status": _(
                        "A control that is %(current)s cannot become %(target)s."
                    )
                    % {
                        "current": Control.Status(control.status).label,
                        "target": Control.Status(target).label
                        if target in Control.Status.values
                        else target,
                    }
                }
            )
        changes["status_changed_at"] = timezone.now()
        status_changed = True
    control = update_versioned(
        obj=control, actor=actor, version=version, changes=changes
    )
    if status_changed:
        publish("control.status_changed", control=control, actor=actor)
    return control


# -- decisions ------------------------------------------------------------


def _decision_checks(risk: Risk, assessment: Assessment | None) -> Assessment:
    if risk.status != S.AWAITING_DECISION:
        raise ValidationError(
            {
                "__all__": _("This risk does not await a decision (it is %(status)s).")
                % {"status": S(risk.status).label}
            }
        )
    current = risk.current_assessment_id
    if assessment is None or current is None or assessment.pk != current:
        raise ValidationError(
            {
                "assessment": _(
                    "This assessment has been superseded; decide on the current one "
                    "(no. %(seq)s)."
                )
                % {
                    "seq": risk.current_assessment.sequence
                    if risk.current_assessment
                    else "—"
                }
            }
        )
    return assessment


def _requirement(risk: Risk) -> authority.Requirement:
    requirement = authority.requirement_for(risk)
    if requirement is None:
        raise ValidationError(
            {
                "__all__": _(
                    "The matrix has no acceptance rule for level %(level)s in this "
                    "phase; ask an administrator to add one."
                )
                % {"level": risk.residual_level or "—"}
            }
        )
    return requirement


def _decision(
    *,
    risk: Risk,
    assessment: Assessment,
    outcome: str,
    actor: Any,
    requirement: authority.Requirement,
    decided_for: Any,
    rationale: str,
    **extra: Any,
) -> Decision:
    held = (
        _("commander %(org)s") % {"org": decided_for.short_name}
        if decided_for is not None
        else ""
    )
    return Decision.objects.create(
        risk=risk,
        assessment=assessment,
        deployment=risk.deployment,
        outcome=outcome,
        decided_by=actor,
        decided_for=decided_for,
        level=assessment.residual_level,
        authority_required=requirement.as_record(),
        authority_held=held,
        rationale=rationale,
        **extra,
    )


def _commander_org(actor: Any, risk: Risk) -> Any:
    from missionsafety.core.permissions import acting_parties, current_memberships

    commands = [m for m in current_memberships(actor) if m.role == "commander"]
    parties = {p.organisation_id for p in acting_parties(actor, risk.deployment)}
    for membership in sorted(commands, key=lambda m: -m.organisation.echelon):
        scope = set(membership.organisation.ancestor_ids)
        if parties & scope:
            return membership.organisation
    return commands[0].organisation if commands else None


@transaction.atomic
def decision_accept(
    *,
    actor: Any,
    risk: Risk,
    assessment: Assessment | None,
    parties_consulted: Iterable[Party] = (),
    conditions: str = "",
    valid_until: datetime.date | None = None,
    rationale: str = "",
) -> Decision:
    """Accept the residual risk of the current assessment, with the authority for it.

    Refused (NotAllowed, with the authority required and who holds it) without
    that authority; refused while a party the rule names was not consulted.
    """
    require_writer(actor)
    risk = _locked(risk)
    assessment = _decision_checks(risk, assessment)
    if Decision.objects.filter(assessment=assessment, outcome="accept").exists():
        raise ValidationError(
            {"assessment": _("This assessment has already been accepted.")}
        )
    requirement = _requirement(risk)
    organisation = authority.deciding_organisation(actor, requirement, risk.deployment)
    if organisation is None:
        authority.holders_of(requirement, risk.deployment)
        raise NotAllowed(
            authority.refusal_message(requirement), **requirement.as_details()
        )
    consulted = list(parties_consulted)
    for party in consulted:
        _check_party(risk.deployment, party, "parties_consulted")
    # The decider's own party counts as consulted: its organisation, or the unit
    # above it below formation level (a company deciding for its battalion).
    own = {
        p.pk
        for p in risk.deployment.party_list
        if p.organisation_id == organisation.pk
        or (
            p.organisation_id in organisation.ancestor_ids
            and p.organisation.echelon < authority.FORMATION
        )
    }
    done = {p.pk for p in consulted} | own
    missing = [
        p
        for p in authority.required_consultation(risk, requirement.rule)
        if p.pk not in done
    ]
    if missing:
        raise ValidationError(
            {
                "parties_consulted": _(
                    "Consult these parties before accepting (%(rule)s): %(parties)s."
                )
                % {
                    "rule": authority.consultation_hint(requirement.rule),
                    "parties": ", ".join(str(p.organisation) for p in missing),
                }
            }
        )
    today = timezone.localdate()
    latest = today + datetime.timedelta(days=requirement.rule.validity_days)
    valid_until = valid_until or latest
    if valid_until > latest:
        raise ValidationError(
            {
                "valid_until": _(
                    "An acceptance of a %(level)s risk is valid for at most %(days)s "
                    "days (until %(date)s)."
                )
                % {
                    "level": requirement.level,
                    "days": requirement.rule.validity_days,
                    "date": latest.isoformat(),
                }
            }
        )
    if valid_until < today:
        raise ValidationError({"valid_until": _("The validity lies in the past.")})
    if not (rationale or "").strip():
        rationale = conditions or _("Accepted.")
    try:
        with transaction.atomic():
            decision = _decision(
                risk=risk,
                assessment=assessment,
                outcome=Decision.Outcome.ACCEPT,
                actor=actor,
                requirement=requirement,
                decided_for=organisation,
                rationale=rationale,
                conditions=conditions or "",
                valid_until=valid_until,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"assessment": _("This assessment has already been accepted.")}
        ) from exc
    decision.parties_consulted.set(consulted)
    before = {"status": risk.status, "stop_flag": risk.stop_flag}
    _move(risk, S.ACCEPTED)
    risk.accepted_decision = decision
    risk.acceptance_expires_on = valid_until
    risk.stop_flag = False
    risk.escalated_to = None
    risk.escalation_echelon = None
    _save_risk(
        risk,
        [
            "status",
            "accepted_decision",
            "acceptance_expires_on",
            "stop_flag",
            "escalated_to",
            "escalation_echelon",
        ],
    )
    record_change(
        actor=actor,
        obj=risk,
        action="accept",
        before=before,
        after={
            "decision": decision.pk,
            "assessment": assessment.sequence,
            "level": decision.level,
            "authority": requirement.text,
            "decided_for": organisation.short_name,
            "parties_consulted": sorted(str(p.organisation) for p in consulted),
            "conditions": conditions,
            "valid_until": valid_until,
        },
    )
    publish("risk.accepted", risk=risk, decision=decision, actor=actor)
    return decision


@transaction.atomic
def decision_reject(
    *, actor: Any, risk: Risk, assessment: Assessment | None, rationale: str
) -> Decision:
    """Send the risk back for re-work, with the reason."""
    require(actor, risk.deployment, "commander")
    risk = _locked(risk)
    assessment = _decision_checks(risk, assessment)
    if not (rationale or "").strip():
        raise ValidationError({"rationale": _("Say why the risk goes back.")})
    requirement = _requirement(risk)
    decision = _decision(
        risk=risk,
        assessment=assessment,
        outcome=Decision.Outcome.REJECT,
        actor=actor,
        requirement=requirement,
        decided_for=_commander_org(actor, risk),
        rationale=rationale.strip(),
    )
    _move(risk, S.REJECTED)
    risk.escalated_to = None
    risk.escalation_echelon = None
    _save_risk(risk, ["status", "escalated_to", "escalation_echelon"])
    record_change(
        actor=actor,
        obj=risk,
        action="reject",
        before={"status": S.AWAITING_DECISION},
        after={"decision": decision.pk, "status": risk.status, "rationale": rationale},
    )
    publish("risk.rejected", risk=risk, decision=decision, actor=actor)
    return decision


@transaction.atomic
def decision_escalate(
    *, actor: Any, risk: Risk, assessment: Assessment | None, rationale: str = ""
) -> Decision:
    """Pass the decision up: to the level required when the actor lacks it, else
    to the next level of the chain. The risk then awaits that level."""
    require(actor, risk.deployment, "commander")
    risk = _locked(risk)
    assessment = _decision_checks(risk, assessment)
    requirement = _requirement(risk)
    own = authority.deciding_organisation(actor, requirement, risk.deployment)
    if own is not None and requirement.echelon >= authority.DEFENCE:
        raise ValidationError(
            {"__all__": _("There is no higher level to escalate to; decide here.")}
        )
    echelon, target = authority.escalation_target(
        requirement, risk.deployment, actor_holds=own is not None
    )
    if not (rationale or "").strip():
        rationale = _("Escalated to the level that can decide.")
    decision = _decision(
        risk=risk,
        assessment=assessment,
        outcome=Decision.Outcome.ESCALATE,
        actor=actor,
        requirement=requirement,
        decided_for=own or _commander_org(actor, risk),
        rationale=rationale.strip(),
        escalated_to=target,
    )
    before = {
        "escalated_to": risk.escalated_to_id,
        "escalation_echelon": risk.escalation_echelon,
    }
    risk.escalated_to = target
    risk.escalation_echelon = echelon
    _save_risk(risk, ["escalated_to", "escalation_echelon"])
    record_change(
        actor=actor,
        obj=risk,
        action="escalate",
        before=before,
        after={
            "decision": decision.pk,
            "escalated_to": str(target) if target else None,
            "echelon": echelon,
            "rationale": rationale,
        },
    )
    publish("risk.escalated", risk=risk, decision=decision, actor=actor)
    return decision


def decide(*, outcome: str, **kwargs: Any) -> Decision:
    """One entry for pages and the API: accept, reject or escalate."""
    if outcome == Decision.Outcome.ACCEPT:
        return decision_accept(**kwargs)
    common = {k: kwargs[k] for k in ("actor", "risk", "assessment") if k in kwargs}
    if outcome == Decision.Outcome.REJECT:
        return decision_reject(rationale=kwargs.get("rationale", ""), **common)
    if outcome == Decision.Outcome.ESCALATE:
        return decision_escalate(rationale=kwargs.get("rationale", ""), **common)
    raise ValidationError({"outcome": _("Choose accept, reject or escalate.")})


# -- starting a register --------------------------------------------------


@transaction.atomic
def register_from_library(
    *,
    actor: Any,
    deployment: Deployment,
    hazards: Iterable[Hazard],
    owner_party: Party | None,
) -> list[Risk]:
    """New unassessed risks from library hazards, their typical controls planned.

    Hazards already in the register (by library origin) are skipped.
    """
    require(actor, deployment, *EDIT_ROLES)
    _check_party(deployment, owner_party, "owner_party")
    hazards = list(hazards)
    if not hazards:
        raise ValidationError({"hazards": _("Pick at least one hazard.")})
    present = set(
        Risk.objects.filter(deployment=deployment, source_hazard__isnull=False)
        .exclude(status=S.CLOSED)
        .values_list("source_hazard_id", flat=True)
    )
    created = []
    for hazard in hazards:
        if hazard.pk in present:
            continue
        created.append(
            risk_create(
                actor=actor,
                deployment=deployment,
                title=hazard.name,
                hazard=pick({"nl": hazard.description_nl, "en": hazard.description_en})
                or hazard.name,
                cause=pick(hazard.typical_cause),
                consequence=pick(hazard.typical_consequence),
                category=hazard.category,
                owner_party=owner_party,
                source_hazard=hazard,
                controls=[
                    {
                        "description": pick(c),
                        "kind": c.get("kind", Control.Kind.ADMINISTRATE),
                        "owner_party": owner_party,
                    }
                    for c in hazard.typical_controls
                ],
            )
        )
    return created


def _party_map(source: Deployment, target: Deployment) -> dict[int, Party]:
    """Map each party of the earlier deployment to one of the new (same
    organisation, else same party role)."""
    by_org = {p.organisation_id: p for p in target.party_list}
    by_role = {p.role: p for p in target.party_list}
    mapping: dict[int, Party] = {}
    for party in source.party_list:
        match = by_org.get(party.organisation_id) or by_role.get(party.role)
        if match is not None:
            mapping[party.pk] = match
    return mapping


@transaction.atomic
def register_copy(
    *,
    actor: Any,
    deployment: Deployment,
    source: Deployment,
    owner_party: Party | None,
    risks: Iterable[Risk] | None = None,
) -> list[Risk]:
    """Copy risks and controls of an earlier register as new, unassessed items."""
    require(actor, deployment, *EDIT_ROLES)
    _check_party(deployment, owner_party, "owner_party")
    if source.pk == deployment.pk:
        raise ValidationError({"source": _("Choose another deployment to copy from.")})
    chosen = (
        list(risks)
        if risks is not None
        else list(
            Risk.objects.filter(deployment=source)
            .select_related("category")
            .prefetch_related("controls")
        )
    )
    if not chosen:
        raise ValidationError({"source": _("That register has no risks to copy.")})
    mapping = _party_map(source, deployment)
    created = []
    for old in chosen:
        if old.deployment_id != source.pk:
            raise ValidationError({"risks": _("Pick risks of the chosen register.")})
        created.append(
            risk_create(
                actor=actor,
                deployment=deployment,
                title=old.title,
                hazard=old.hazard,
                cause=old.cause,
                consequence=old.consequence,
                category=old.category,
                activity=old.activity,
                phases=old.phases,
                owner_party=mapping.get(old.owner_party_id, owner_party),
                source_hazard=old.source_hazard,
                copied_from=old,
                controls=[
                    {
                        "description": c.description,
                        "kind": c.kind,
                        "owner_party": mapping.get(c.owner_party_id, owner_party),
                    }
                    for c in old.controls.all()
                ],
            )
        )
    return created


# -- kept for other apps --------------------------------------------------


@transaction.atomic
def risk_require_reassessment(
    *, risk: Risk, actor: Any, reason: str, source: Any = None
) -> Risk:
    """Mark a risk as needing reassessment (e.g. after a serious occurrence)."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
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
