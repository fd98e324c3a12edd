"""Decisions on a risk: accept, reject or escalate, with the authority for it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change
from missionsafety.core.events import publish
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.deployments.visibility import require
from missionsafety.organisations.scope import require_writer
from missionsafety.risks import authority
from missionsafety.risks.models import (
    Assessment,
    Decision,
    Risk,
)
from missionsafety.risks.services.common import (
    S,
    locked_risk,
    move_status,
    save_risk,
)
from missionsafety.risks.services.consultations import consultation_state

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


def _on_line(actor: Any, risk: Risk, requirement: authority.Requirement) -> Any:
    """The actor's organisation on the line, or a refusal naming the holders."""
    organisation = authority.line_organisation(actor, requirement, risk.deployment)
    if organisation is None:
        authority.holders_of(requirement, risk.deployment)
        raise NotAllowed(
            authority.off_line_message(requirement), **requirement.as_details()
        )
    return organisation


@transaction.atomic
def decision_accept(
    *,
    actor: Any,
    risk: Risk,
    assessment: Assessment | None,
    consultation_note: str = "",
    conditions: str = "",
    valid_until: datetime.date | None = None,
    rationale: str = "",
    decided_at: datetime.datetime | None = None,
) -> Decision:
    """Accept the residual risk of the current assessment, with the authority for it.

    Refused (NotAllowed, with the authority required and who holds it) without
    that authority; refused while a party the rule names has not answered the
    consultation (unless ``consultation_note`` records, naming each of them, a
    consultation held outside the system); an objection must be named in the
    rationale. The decision keeps the answers it rests on.
    ``decided_at`` records an acceptance made earlier (imports, demo data): its
    validity then counts from that day, and may already have run out.
    """
    require_writer(actor)
    risk = locked_risk(risk)
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
    state = consultation_state(
        risk=risk, rule=requirement.rule, organisation=organisation
    )
    # Every problem at once, so that the form shows them together.
    errors: dict[str, str] = {}
    note = (consultation_note or "").strip()
    missing = [row.party for row in state if not row.answered]
    if missing:
        names = ", ".join(p.organisation.short_name for p in missing)
        if not note:
            errors["consultation_note"] = _(
                "These parties have not answered the consultation "
                "(%(rule)s): %(parties)s. Accept once they have, or "
                "record who you consulted outside the system, when and how."
            ) % {
                "rule": authority.consultation_hint(requirement.rule),
                "parties": names,
            }
        unnamed = [
            p.organisation.short_name
            for p in missing
            if p.organisation.short_name.lower() not in note.lower()
        ]
        if unnamed and note:
            errors["consultation_note"] = _(
                "Name each party you consulted outside the system, with "
                "when and how; not named: %(parties)s."
            ) % {"parties": ", ".join(unnamed)}
    objections = [row for row in state if row.objects and not row.own]
    unanswered = [
        row.party.organisation.short_name
        for row in objections
        if row.party.organisation.short_name.lower() not in (rationale or "").lower()
    ]
    if unanswered:
        errors["rationale"] = _(
            "%(parties)s objected. Say in the rationale why you accept "
            "nevertheless, naming the objection you answer."
        ) % {"parties": ", ".join(unanswered)}
    answers = [
        row.consultation
        for row in state
        if row.consultation is not None and row.consultation.is_answered
    ]
    consulted = [row.party for row in state if row.answered] + missing
    now = timezone.now()
    if decided_at is not None and decided_at > now:
        errors["decided_at"] = _("A decision cannot be dated in the future.")
    today = timezone.localdate(decided_at or now)
    latest = today + datetime.timedelta(days=requirement.rule.validity_days)
    valid_until = valid_until or latest
    if valid_until > latest:
        errors["valid_until"] = _(
            "An acceptance of a %(level)s risk is valid for at most %(days)s "
            "days (until %(date)s)."
        ) % {
            "level": requirement.level,
            "days": requirement.rule.validity_days,
            "date": latest.isoformat(),
        }
    elif valid_until < today:
        errors["valid_until"] = _("The validity lies in the past.")
    if errors:
        raise ValidationError(errors)
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
                decided_at=decided_at or now,
                consultation_note=note,
                consultation_record=[
                    {
                        "party": row.party.organisation.short_name,
                        "answer": "own party" if row.own else None,
                    }
                    if row.consultation is None or not row.consultation.is_answered
                    else row.consultation.as_record()
                    for row in state
                    if row.answered
                ],
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"assessment": _("This assessment has already been accepted.")}
        ) from exc
    decision.parties_consulted.set(consulted)
    decision.consultations.set(answers)
    before = {"status": risk.status, "stop_flag": risk.stop_flag}
    move_status(risk, S.ACCEPTED)
    risk.accepted_decision = decision
    risk.acceptance_expires_on = valid_until
    risk.stop_flag = False
    risk.escalated_to = None
    risk.escalation_echelon = None
    save_risk(
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
    after = {
        "status": risk.status,
        "stop_flag": risk.stop_flag,
        "decision": decision.pk,
        "assessment": assessment.sequence,
        "level": decision.level,
        "authority": requirement.text,
        "decided_for": organisation.short_name,
        "parties_consulted": sorted(str(p.organisation) for p in consulted),
        "answers": {c.party.organisation.short_name: c.answer for c in answers},
        "consultation_note": note,
        "conditions": conditions,
        "valid_until": valid_until,
    }
    if decided_at is not None:
        after["decided_at"] = decided_at
    record_change(actor=actor, obj=risk, action="accept", before=before, after=after)
    publish("risk.accepted", risk=risk, decision=decision, actor=actor)
    return decision


@transaction.atomic
def decision_reject(
    *, actor: Any, risk: Risk, assessment: Assessment | None, rationale: str
) -> Decision:
    """Send the risk back for re-work, with the reason."""
    require(actor, risk.deployment, "commander")
    risk = locked_risk(risk)
    assessment = _decision_checks(risk, assessment)
    if not (rationale or "").strip():
        raise ValidationError({"rationale": _("Say why the risk goes back.")})
    requirement = _requirement(risk)
    organisation = _on_line(actor, risk, requirement)
    decision = _decision(
        risk=risk,
        assessment=assessment,
        outcome=Decision.Outcome.REJECT,
        actor=actor,
        requirement=requirement,
        decided_for=organisation,
        rationale=rationale.strip(),
    )
    move_status(risk, S.REJECTED)
    risk.escalated_to = None
    risk.escalation_echelon = None
    save_risk(risk, ["status", "escalated_to", "escalation_echelon"])
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
    risk = locked_risk(risk)
    assessment = _decision_checks(risk, assessment)
    requirement = _requirement(risk)
    own = authority.deciding_organisation(actor, requirement, risk.deployment)
    member = own or _on_line(actor, risk, requirement)
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
        decided_for=member,
        rationale=rationale.strip(),
        escalated_to=target,
    )
    before = {
        "escalated_to": str(risk.escalated_to) if risk.escalated_to else None,
        "escalation_echelon": risk.escalation_echelon,
    }
    risk.escalated_to = target
    risk.escalation_echelon = echelon
    save_risk(risk, ["escalated_to", "escalation_echelon"])
    record_change(
        actor=actor,
        obj=risk,
        action="escalate",
        before=before,
        after={
            "decision": decision.pk,
            "escalated_to": str(target) if target else None,
            "escalation_echelon": echelon,
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
