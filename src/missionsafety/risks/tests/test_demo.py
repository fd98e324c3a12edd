"""The risk demo is written through the services, so it is audited like real work."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.demo import DemoContext
from missionsafety.deployments import demo as deployments_demo
from missionsafety.organisations import demo as organisations_demo
from missionsafety.risks import demo as risks_demo
from missionsafety.risks.models import Risk


@pytest.fixture
def risk_demo(db: Any) -> DemoContext:
    ctx = DemoContext()
    for module in (organisations_demo, deployments_demo, risks_demo):
        module.load(ctx)
    return ctx


def test_the_expired_acceptance_has_the_audit_record_of_its_decision(
    risk_demo: DemoContext,
) -> None:
    expired = Risk.objects.select_related("accepted_decision").get(
        deployment__code="EFP-LTU-R12",
        status=Risk.Status.ACCEPTED,
        acceptance_expires_on__lt=risk_demo.today,
    )
    decision = expired.accepted_decision
    assert decision is not None
    assert decision.valid_until == risk_demo.days(-6)
    assert timezone.localdate(decision.decided_at) == risk_demo.days(-96)

    record = ChangeRecord.objects.get(
        object_id=str(expired.pk), action="accept", after__decision=decision.pk
    )
    after = record.after or {}
    assert after["valid_until"] == risk_demo.days(-6).isoformat()
    decided_at = datetime.datetime.fromisoformat(after["decided_at"])
    assert timezone.localdate(decided_at) == risk_demo.days(-96)


def test_demo_commander_of_42_blj_decides_only_where_42_blj_is_on_the_line(
    risk_demo: DemoContext, api_for: Any
) -> None:
    from missionsafety.deployments.models import Deployment
    from missionsafety.risks import authority

    bn = risk_demo.user("bn.commander")
    api = api_for(bn)
    checked = refused = 0
    for deployment in Deployment.objects.visible_to(bn).exclude(code="EFP-LTU-R12"):
        risks = Risk.objects.filter(deployment=deployment).exclude(residual_level="")
        for risk in risks.select_related("deployment", "escalated_to"):
            requirement = authority.requirement_for(risk)
            assert requirement is not None
            assert authority.deciding_organisation(bn, requirement, deployment) is None
            holders = authority.holders_of(requirement, deployment)
            assert not any("(42 BLJ)" in h for h in holders), risk
            checked += 1
            if risk.status == Risk.Status.AWAITING_DECISION:
                for outcome in ("accept", "reject", "escalate"):
                    response = api.post(
                        f"/api/v1/risks/{risk.pk}/decisions",
                        {
                            "outcome": outcome,
                            "assessment_id": risk.current_assessment_id,
                            "rationale": "Niet op mijn lijn.",
                        },
                        content_type="application/json",
                    )
                    assert response.status_code == 403, (risk, outcome)
                refused += 1
    assert checked and refused
    # On R12, where 42 BLJ is the deployed unit, it decides at battalion level.
    medium = Risk.objects.filter(
        deployment__code="EFP-LTU-R12", residual_level="M"
    ).select_related("deployment")[0]
    requirement = authority.requirement_for(medium)
    assert requirement is not None
    assert authority.deciding_organisation(bn, requirement, medium.deployment)


def test_demo_brigade_acceptance_after_consultation(
    risk_demo: DemoContext, django_capture_on_commit_callbacks: Any
) -> None:
    """R13 in readiness: the winter-driving H risk awaits the brigade commander."""
    from missionsafety.core.exceptions import ValidationError
    from missionsafety.feedback.models import Notification
    from missionsafety.risks import services

    risk = Risk.objects.select_related("deployment").get(
        deployment__code="EFP-LTU-R13",
        title="Onvoldoende CV90-bestuurders met winterrijervaring",
    )
    assert risk.status == Risk.Status.AWAITING_DECISION
    commander = risk_demo.user("bde13.commander")
    with pytest.raises(ValidationError) as exc:
        services.decision_accept(
            actor=commander, risk=risk, assessment=risk.current_assessment
        )
    assert "Staf CLAS" in str(exc.value)
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.consultation_request(actor=commander, risk=risk)
    assert {c.party.organisation.short_name for c in asked} == {"13 LBR", "Staf CLAS"}
    for username in ("clas.safety", "bde13.safety"):
        note = Notification.objects.get(
            recipient=risk_demo.user(username), kind="consultation_requested"
        )
        consultation = next(c for c in asked if c.pk == note.subject_id)
        services.consultation_answer(
            actor=risk_demo.user(username), consultation=consultation, answer="agree"
        )
    risk = Risk.objects.select_related("deployment").get(pk=risk.pk)
    decision = services.decision_accept(
        actor=commander, risk=risk, assessment=risk.current_assessment
    )
    assert decision.decided_for is not None
    assert decision.decided_for.short_name == "13 LBR"
    assert {c.party.organisation.short_name for c in decision.consultations.all()} == {
        "13 LBR",
        "Staf CLAS",
    }
