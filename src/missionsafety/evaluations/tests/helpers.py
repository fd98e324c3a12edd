"""Shared set-up for the evaluations tests: a deployment in readiness and
risk state written directly with the risk models."""

from __future__ import annotations

import datetime
from typing import Any

from missionsafety.deployments import services as dep_services
from missionsafety.deployments.models import Party, Phase
from missionsafety.evaluations import services
from missionsafety.risks.models import Assessment, Decision, Risk
from missionsafety.testing import walk

R = Party.PartyRole


def readiness_deployment(w: Any) -> Any:
    """A new rotation of 42 BLJ with all four parties, walked to readiness."""
    dep = dep_services.deployment_create(
        actor=w.jfc_safety,
        name="eFP Litouwen R13",
        code="EFP-R13",
        theatre="Litouwen",
        start_date=w.today + datetime.timedelta(days=30),
        end_date=w.today + datetime.timedelta(days=210),
        parties=[
            (w.jfc, R.OPERATIONAL_COMMAND),
            (w.clas, R.FORCE_PROVIDER),
            (w.bde13, R.PARENT_BRIGADE),
            (w.bn, R.DEPLOYED_UNIT),
        ],
    )
    return walk(dep, w.jfc_safety, Phase.READINESS)


def party(dep: Any, org: Any) -> Party:
    return dep.parties.get(organisation=org)


def set_contacts(w: Any, dep: Any) -> None:
    contacts = {w.jfc: w.jfc_safety, w.clas: w.clas_safety, w.bde13: w.bde13_safety}
    for p in dep.parties.select_related("organisation"):
        dep_services.party_update(
            actor=w.jfc_safety,
            party=p,
            point_of_contact=contacts.get(p.organisation, w.bn_commander),
        )


def agreement_in_force(w: Any, dep: Any) -> Any:
    set_contacts(w, dep)
    agreement = services.agreement_setup(actor=w.jfc_safety, deployment=dep)
    agreement = services.agreement_submit(actor=w.jfc_safety, agreement=agreement)
    for org, commander in [
        (w.jfc, w.jfc_commander),
        (w.clas, w.clas_commander),
        (w.bde13, w.bde13_commander),
        (w.bn, w.bn_commander),
    ]:
        agreement = services.agreement_sign(
            actor=commander, agreement=agreement, party=party(dep, org)
        )
    return agreement


def high_risk(w: Any, dep: Any, number: int = 1) -> Risk:
    """An assessed risk with a high residual level, not (yet) accepted."""
    risk = Risk.objects.create(
        deployment=dep,
        number=number,
        title="Schietveiligheid Pabradė",
        hazard="Rikochetten bij scherpschieten",
        owner_party=party(dep, w.bn),
        status=Risk.Status.AWAITING_DECISION,
    )
    assessment = Assessment.objects.create(
        risk=risk,
        deployment=dep,
        sequence=1,
        inherent_probability="B",
        inherent_severity="I",
        inherent_level="EH",
        residual_probability="C",
        residual_severity="II",
        residual_level="H",
        residual_rank=2,
        reason=Assessment.Reason.INITIAL,
        assessor=w.bde13_safety,
    )
    Risk.objects.filter(pk=risk.pk).update(
        current_assessment=assessment,
        inherent_level="EH",
        residual_level="H",
        residual_rank=2,
    )
    risk.refresh_from_db()
    return risk


def accept(
    w: Any,
    risk: Risk,
    *,
    decided_for: Any = None,
    consulted: list[Any] | None = None,
    valid_days: int = 30,
) -> Decision:
    """Accept the risk's current assessment (as the risk services would)."""
    dep = risk.deployment
    assert risk.current_assessment is not None, "accept needs an assessed risk"
    decision = Decision.objects.create(
        risk=risk,
        assessment=risk.current_assessment,
        deployment=dep,
        outcome=Decision.Outcome.ACCEPT,
        decided_by=w.bde13_commander,
        decided_for=decided_for or w.bde13,
        level=risk.residual_level,
        authority_required={"nl": "brigadecommandant", "en": "brigade commander"},
        authority_held="Commandant 13 LBR",
        valid_until=w.today + datetime.timedelta(days=valid_days),
        rationale="Aanvaard met voorwaarden.",
    )
    decision.parties_consulted.set(
        consulted if consulted is not None else [party(dep, w.clas)]
    )
    Risk.objects.filter(pk=risk.pk).update(
        status=Risk.Status.ACCEPTED,
        accepted_decision=decision,
        acceptance_expires_on=decision.valid_until,
    )
    risk.refresh_from_db()
    return decision
