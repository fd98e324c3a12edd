"""Consultation: a request to the parties the acceptance rule names, and their
answers (agree, agree with conditions, object), on the current assessment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.audit.services import record_change
from missionsafety.core.events import publish
from missionsafety.core.exceptions import ConflictError, NotAllowed, ValidationError
from missionsafety.deployments.models import Party
from missionsafety.deployments.visibility import require
from missionsafety.organisations.models import Organisation
from missionsafety.organisations.scope import current_memberships, require_writer
from missionsafety.risks import authority
from missionsafety.risks.models import Consultation, Risk
from missionsafety.risks.services.common import S, locked_risk

ANSWER_ROLES = ("commander", "safety_officer")
A = Consultation.Answer


@dataclass
class PartyAnswer:
    """One required party's place in the consultation of the current assessment."""

    party: Party
    consultation: Consultation | None
    own: bool = False
    earlier: Consultation | None = None

    @property
    def answered(self) -> bool:
        return self.own or (
            self.consultation is not None and self.consultation.is_answered
        )

    @property
    def objects(self) -> bool:
        return self.consultation is not None and self.consultation.is_objection


def own_party_ids(organisation: Organisation | None, risk: Risk) -> set[int]:
    """Parties a decision in the organisation's name speaks for: its own party,
    or the deployed unit when a unit below it decides."""
    if organisation is None:
        return set()
    deployment = risk.deployment
    line = authority.line_of_command(deployment, authority.chain_for(deployment))
    ids = {p.pk for p in deployment.party_list if p.organisation_id == organisation.pk}
    foot = line.foot
    if line.below and foot is not None and foot.pk in organisation.ancestor_ids:
        ids |= {p.pk for p in deployment.party_list if p.organisation_id == foot.pk}
    return ids


def consultation_state(
    *,
    risk: Risk,
    rule: Any,
    organisation: Organisation | None = None,
    consultations: Iterable[Consultation] | None = None,
) -> list[PartyAnswer]:
    """Each party the rule names, with its answer on the current assessment
    (or the stale one on an earlier assessment); the decider's own counts."""
    required = authority.required_consultation(risk, rule)
    if consultations is None:
        consultations = risk.consultations.select_related(
            "party__organisation", "answered_by", "assessment"
        )
    current: dict[int, Consultation] = {}
    earlier: dict[int, Consultation] = {}
    for c in consultations:
        if c.assessment_id == risk.current_assessment_id:
            current[c.party_id] = c
        elif c.is_answered and c.party_id not in earlier:
            earlier[c.party_id] = c
    own = own_party_ids(organisation, risk)
    return [
        PartyAnswer(
            party=p,
            consultation=current.get(p.pk),
            own=p.pk in own,
            earlier=earlier.get(p.pk),
        )
        for p in required
    ]


@transaction.atomic
def consultation_request(
    *, actor: Any, risk: Risk, parties: Iterable[Party] | None = None
) -> list[Consultation]:
    """Ask parties (by default those the rule names) for their view on the
    current assessment; each gets an inbox item and e-mail. Parties already
    asked about this assessment are not asked twice."""
    require_writer(actor)
    require(actor, risk.deployment, *ANSWER_ROLES)
    risk = locked_risk(risk)
    if risk.status != S.AWAITING_DECISION or risk.current_assessment_id is None:
        raise ValidationError(
            {
                "__all__": _(
                    "Only a risk that awaits a decision goes out for consultation."
                )
            }
        )
    deployment = risk.deployment
    if parties is None:
        requirement = authority.requirement_for(risk)
        wanted = (
            authority.required_consultation(risk, requirement.rule)
            if requirement
            else []
        )
        if not wanted:
            raise ValidationError(
                {
                    "parties": _(
                        "The rule names nobody to consult for this risk; choose "
                        "the parties to ask."
                    )
                }
            )
    else:
        wanted = list(parties)
        if not wanted:
            raise ValidationError({"parties": _("Choose at least one party.")})
        outside = [p for p in wanted if p.deployment_id != deployment.pk]
        if outside:
            raise ValidationError(
                {
                    "parties": _("Not a party to this deployment: %(orgs)s.")
                    % {"orgs": ", ".join(str(p.organisation) for p in outside)}
                }
            )
    asked = set(
        Consultation.objects.filter(
            assessment_id=risk.current_assessment_id
        ).values_list("party_id", flat=True)
    )
    new = [p for p in dict.fromkeys(wanted) if p.pk not in asked]
    if not new:
        raise ConflictError(
            _("These parties have already been asked about the current assessment.")
        )
    now = timezone.now()
    created = [
        Consultation.objects.create(
            risk=risk,
            assessment_id=risk.current_assessment_id,
            deployment=deployment,
            party=p,
            requested_by=actor,
            requested_at=now,
        )
        for p in new
    ]
    record_change(
        actor=actor,
        obj=risk,
        action="consultation_request",
        after={
            "assessment": risk.current_assessment.sequence
            if risk.current_assessment
            else None,
            "parties": [p.organisation.short_name for p in new],
        },
    )
    for consultation in created:
        publish(
            "risk.consultation_requested",
            risk=risk,
            consultation=consultation,
            actor=actor,
        )
    return created


def may_answer(user: Any, consultation: Consultation) -> bool:
    """A commander or safety officer of the consulted party's organisation."""
    org_id = consultation.party.organisation_id
    return any(
        m.organisation_id == org_id and m.role in ANSWER_ROLES
        for m in current_memberships(user)
    )


@transaction.atomic
def consultation_answer(
    *, actor: Any, consultation: Consultation, answer: str, text: str = ""
) -> Consultation:
    """Record the consulted party's answer: agree, agree with conditions or
    object (the last two with their text). Once per request."""
    require_writer(actor)
    # The risk first (docs/locking.md): a reassessment holds it until it
    # commits, so an answer that waited sees the new assessment and is refused
    # as stale instead of landing on the assessment just replaced.
    locked_risk(consultation.risk)
    consultation = (
        Consultation.objects.select_for_update(of=("self",), no_key=True)
        .select_related("party__organisation", "risk", "deployment")
        .get(pk=consultation.pk)
    )
    if not may_answer(actor, consultation):
        raise NotAllowed(
            _(
                "Only a commander or safety officer of %(org)s answers this "
                "consultation."
            )
            % {"org": consultation.party.organisation.short_name},
            party=consultation.party.organisation.short_name,
        )
    if consultation.is_answered:
        raise ConflictError(
            _("%(org)s has already answered this consultation.")
            % {"org": consultation.party.organisation.short_name}
        )
    if consultation.is_stale:
        raise ConflictError(
            _(
                "The risk was reassessed after this request; the answer would be "
                "about an assessment that no longer holds. A fresh request is needed."
            )
        )
    if answer not in A.values:
        raise ValidationError(
            {"answer": _("Choose agree, agree with conditions or object.")}
        )
    text = (text or "").strip()
    if answer == A.CONDITIONS and not text:
        raise ValidationError({"text": _("State the conditions of your agreement.")})
    if answer == A.OBJECT and not text:
        raise ValidationError({"text": _("State what you object to.")})
    consultation.answer = answer
    consultation.answer_text = text
    consultation.answered_by = actor
    consultation.answered_at = timezone.now()
    consultation.save(
        update_fields=["answer", "answer_text", "answered_by", "answered_at"]
    )
    record_change(
        actor=actor,
        obj=consultation.risk,
        action="consultation_answer",
        after={
            "party": consultation.party.organisation.short_name,
            "answer": answer,
            "text": text,
        },
    )
    publish(
        "risk.consultation_answered",
        risk=consultation.risk,
        consultation=consultation,
        actor=actor,
    )
    return consultation
