"""Bad input gives clear errors and leaves nothing half-written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.risks import services
from missionsafety.risks.models import Assessment, Control, Decision, Risk, RiskMatrix
from missionsafety.risks.tests.factories import assess, consult, fresh, make_risk


def test_probability_outside_the_matrix_is_refused(world: Any) -> None:
    risk = make_risk(world)
    with pytest.raises(ValidationError) as exc:
        assess(world, risk, residual=("Z", "I"))
    assert "residual_probability" in exc.value.error_dict
    assert not Assessment.objects.exists()
    assert fresh(risk).status == Risk.Status.IDENTIFIED


def test_api_answers_422_with_field_names(world: Any, api_for: Any) -> None:
    risk = make_risk(world)
    response = api_for(world.bde13_safety).post(
        f"/api/v1/risks/{risk.pk}/assessments",
        {
            "inherent_probability": "A",
            "inherent_severity": "IX",
            "residual_probability": "C",
            "residual_severity": "I",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "inherent_severity"]


def test_decision_on_a_superseded_assessment_is_refused(world: Any) -> None:
    risk = make_risk(world)
    first = assess(world, risk, residual=("D", "III"))
    assess(world, fresh(risk), residual=("D", "III"), reason="periodic")
    with pytest.raises(ValidationError) as exc:
        services.decision_accept(
            actor=world.coy_commander, risk=fresh(risk), assessment=first
        )
    assert "assessment" in exc.value.error_dict
    assert not Decision.objects.exists()


def test_unauthorised_acceptance_is_refused_with_the_authority(world: Any) -> None:
    risk = make_risk(world)
    assessment = assess(world, risk)  # H
    before = ChangeRecord.objects.count()
    with pytest.raises(NotAllowed) as exc:
        services.decision_accept(
            actor=world.coy_commander, risk=fresh(risk), assessment=assessment
        )
    assert exc.value.details["level"] == "H"
    assert exc.value.details["chain"] == "operational"
    holders = exc.value.details["holders"]
    assert isinstance(holders, list) and any("NLD JFC" in h for h in holders)
    assert ChangeRecord.objects.count() == before
    assert fresh(risk).status == Risk.Status.AWAITING_DECISION


def test_second_acceptance_of_the_same_assessment_is_refused(world: Any) -> None:
    risk = make_risk(world)
    assessment = assess(world, risk, residual=("D", "III"))  # L
    services.decision_accept(
        actor=world.coy_commander, risk=fresh(risk), assessment=assessment
    )
    with pytest.raises(ValidationError):
        services.decision_accept(
            actor=world.bn_commander, risk=fresh(risk), assessment=assessment
        )
    assert Decision.objects.filter(outcome="accept").count() == 1


def test_control_owned_by_a_non_party_is_refused(world: Any) -> None:
    risk = make_risk(world)
    with pytest.raises(ValidationError) as exc:
        services.control_add(
            actor=world.bde13_safety,
            risk=risk,
            description="Koeling",
            kind="engineer",
            owner_party=world.other_party,
        )
    assert "owner_party" in exc.value.error_dict
    assert not Control.objects.exists()


def test_matrix_edit_after_use_is_refused(world: Any) -> None:
    matrix = world.dep.matrix
    world.inspector.is_staff = world.inspector.is_superuser = True
    with pytest.raises(ValidationError):
        services.matrix_update(
            actor=world.inspector, matrix=matrix, version=matrix.version, name="x"
        )
    rule = matrix.rules.first()
    with pytest.raises(ValidationError):
        services.rule_update(actor=world.inspector, rule=rule, validity_days=999)
    assert RiskMatrix.objects.get(pk=matrix.pk).name != "x"


def test_admin_offers_no_change_of_a_used_matrix(world: Any, client: Any) -> None:
    from missionsafety.organisations.models import User

    admin = User.objects.create_superuser("root", "r@x.nl", "pw-123456789")
    client.force_login(admin)
    url = f"/admin/risks/riskmatrix/{world.dep.matrix_id}/change/"
    response = client.post(url, {"name": "changed"})
    assert RiskMatrix.objects.get(pk=world.dep.matrix_id).name != "changed"
    assert response.status_code in (200, 403)


def test_consultation_is_required_for_a_medium_risk(world: Any) -> None:
    risk = make_risk(
        world,
        controls=[
            {
                "description": "Koeling",
                "kind": "engineer",
                "owner_party": world.party_clas,
            }
        ],
    )
    assessment = assess(world, risk, residual=("C", "III"))  # M
    with pytest.raises(ValidationError) as exc:
        services.decision_accept(
            actor=world.bn_commander, risk=fresh(risk), assessment=assessment
        )
    assert "Staf CLAS" in str(exc.value)
    consult(world, risk)
    services.decision_accept(
        actor=world.bn_commander, risk=fresh(risk), assessment=assessment
    )
    assert fresh(risk).status == Risk.Status.ACCEPTED


def test_validity_may_be_shorter_never_longer(world: Any) -> None:
    risk = make_risk(world)
    assessment = assess(world, risk, residual=("D", "III"))  # L: 180 days
    with pytest.raises(ValidationError) as exc:
        services.decision_accept(
            actor=world.coy_commander,
            risk=fresh(risk),
            assessment=assessment,
            valid_until=world.today + datetime.timedelta(days=181),
        )
    assert "valid_until" in exc.value.error_dict
    decision = services.decision_accept(
        actor=world.coy_commander,
        risk=fresh(risk),
        assessment=assessment,
        valid_until=world.today + datetime.timedelta(days=30),
    )
    assert decision.valid_until == world.today + datetime.timedelta(days=30)


def test_stale_edit_answers_409(world: Any, api_for: Any) -> None:
    risk = make_risk(world)
    client = api_for(world.bde13_safety)
    ok = client.patch(
        f"/api/v1/risks/{risk.pk}",
        {"version": risk.version, "title": "Nieuw"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    stale = client.patch(
        f"/api/v1/risks/{risk.pk}",
        {"version": risk.version, "title": "Ouder"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert fresh(risk).title == "Nieuw"


def test_risk_page_form_keeps_input_and_answers_422(
    world: Any, client_for: Any
) -> None:
    response = client_for(world.bde13_safety).post(
        f"/deployments/{world.dep.pk}/risks/new/",
        {"title": "Alleen een titel", "hazard": ""},
    )
    assert response.status_code == 422
    assert "Alleen een titel" in response.content.decode()
    assert not Risk.objects.exists()
