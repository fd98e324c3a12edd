"""The journey of issue 3: a high risk recorded, refused low, escalated, accepted
at the right level — on pages and through the API; the outsider sees nothing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.risks.models import Control, Decision, Risk
from missionsafety.risks.tests.factories import answerer


def test_journey_on_pages(world: Any, client_for: Any) -> None:
    w = world
    safety = client_for(w.bde13_safety)
    response = safety.post(
        reverse("risks:create", args=[w.dep.pk]),
        {
            "title": "Munitieopslag bij hoge temperaturen",
            "hazard": "Munitie in containers warmt op in de zon.",
            "owner_party": w.party_bn.pk,
            "phases": ["deployed"],
            "control_1": "Zonwering en gekoelde containers",
            "control_1_kind": "engineer",
            "control_1_owner": w.party_clas.pk,
            "control_2": "Dagelijkse temperatuurregistratie",
            "control_2_kind": "administrate",
            "control_2_owner": w.party_bn.pk,
        },
    )
    risk = Risk.objects.get(deployment=w.dep)
    assert response.status_code == 302
    assert risk.controls.count() == 2
    response = safety.post(
        reverse("risks:assess", args=[risk.pk]),
        {
            "inherent_probability": "A",
            "inherent_severity": "I",
            "residual_probability": "C",
            "residual_severity": "I",
            "reason": "initial",
            "request_decision": "on",
        },
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.residual_level == "H"
    assert risk.status == Risk.Status.AWAITING_DECISION

    coy = client_for(w.coy_commander)
    page = coy.get(reverse("risks:detail", args=[risk.pk]))
    assert "commander NLD JFC" in page.content.decode() or "Commandant NLD JFC" in (
        page.content.decode()
    )
    refused = coy.post(
        reverse("risks:decide", args=[risk.pk]),
        {
            "outcome": "accept",
            "assessment": risk.current_assessment_id,
            "parties_consulted": [p.pk for p in w.dep.parties.all()],
        },
    )
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "Commandant NLD JFC" in body or "commander NLD JFC" in body
    assert "jfc.commander" in body.lower() or "Jfc Tester" in body
    assert not Decision.objects.filter(outcome="accept").exists()

    escalated = coy.post(
        reverse("risks:decide", args=[risk.pk]),
        {
            "outcome": "escalate",
            "assessment": risk.current_assessment_id,
            "rationale": "Boven mijn bevoegdheid.",
        },
    )
    assert escalated.status_code == 302
    risk.refresh_from_db()
    assert risk.escalated_to == w.jfc

    jfc = client_for(w.jfc_commander)
    awaiting = jfc.get(reverse("risks:awaiting"))
    assert risk.title in awaiting.content.decode()
    decide = {
        "outcome": "accept",
        "assessment": risk.current_assessment_id,
        "conditions": "Alleen met gekoelde containers.",
    }
    early = jfc.post(reverse("risks:decide", args=[risk.pk]), decide)
    assert early.status_code == 422
    for name in ("13 LBR", "Staf CLAS", "42 BLJ"):
        assert name in early.content.decode()
    asked = safety.post(reverse("risks:consult", args=[risk.pk]))
    assert asked.status_code == 302
    for consultation in risk.consultations.select_related("party"):
        answered = client_for(answerer(w, consultation.party)).post(
            reverse("risks:consultation", args=[consultation.pk]),
            {"answer": "agree"},
        )
        assert answered.status_code == 302
    page = jfc.get(reverse("risks:detail", args=[risk.pk])).content.decode()
    assert page.count("<strong>akkoord</strong>") == 3
    accepted = jfc.post(reverse("risks:decide", args=[risk.pk]), decide)
    assert accepted.status_code == 302, accepted.content.decode()[:3000]
    risk.refresh_from_db()
    assert risk.status == Risk.Status.ACCEPTED
    assert risk.accepted_decision is not None
    assert risk.accepted_decision.decided_by == w.jfc_commander
    assert risk.acceptance_expires_on is not None

    outsider = client_for(w.bde43_safety)
    assert outsider.get(reverse("risks:detail", args=[risk.pk])).status_code == 404
    assert outsider.get(reverse("risks:register", args=[w.dep.pk])).status_code == 404
    assert risk.title not in outsider.get(reverse("risks:awaiting")).content.decode()

    actions = list(
        ChangeRecord.objects.for_object(risk)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "create",
        "assess",
        "escalate",
        "consultation_request",
        *["consultation_answer"] * 3,
        "accept",
    ]
    for control in Control.objects.filter(risk=risk):
        assert ChangeRecord.objects.for_object(control).filter(action="create")
    history = safety.get(reverse("audit:history", args=["risks.risk", risk.pk]))
    assert history.status_code == 200
    assert "raadpleging gevraagd" in history.content.decode()
    assert "raadpleging beantwoord" in history.content.decode()


def test_journey_through_the_api(world: Any, api_for: Any) -> None:
    w = world
    safety = api_for(w.bde13_safety)
    created = safety.post(
        f"/api/v1/deployments/{w.dep.pk}/risks",
        {
            "title": "Munitieopslag bij hoge temperaturen",
            "hazard": "Munitie warmt op in containers.",
            "owner_party_id": w.party_bn.pk,
            "controls": [
                {
                    "description": "Gekoelde containers",
                    "kind": "engineer",
                    "owner_party_id": w.party_clas.pk,
                }
            ],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    risk_id = created.json()["id"]
    assessed = safety.post(
        f"/api/v1/risks/{risk_id}/assessments",
        {
            "inherent_probability": "A",
            "inherent_severity": "I",
            "residual_probability": "C",
            "residual_severity": "I",
        },
        content_type="application/json",
    )
    assert assessed.status_code == 201, assessed.content
    assessment_id = assessed.json()["id"]
    assert assessed.json()["residual_level"] == "H"

    coy = api_for(w.coy_commander)
    refused = coy.post(
        f"/api/v1/risks/{risk_id}/decisions",
        {"outcome": "accept", "assessment_id": assessment_id},
        content_type="application/json",
    )
    assert refused.status_code == 403
    detail = refused.json()
    assert detail["level"] == "H"
    assert detail["chain"] == "operational"
    assert any("NLD JFC" in h for h in detail["holders"])
    assert detail["authority_required"]

    escalated = coy.post(
        f"/api/v1/risks/{risk_id}/decisions",
        {"outcome": "escalate", "assessment_id": assessment_id, "rationale": "te hoog"},
        content_type="application/json",
    )
    assert escalated.status_code == 201
    assert escalated.json()["escalated_to_id"] == w.jfc.pk

    jfc = api_for(w.jfc_commander)
    accept = {"outcome": "accept", "assessment_id": assessment_id}
    early = jfc.post(
        f"/api/v1/risks/{risk_id}/decisions", accept, content_type="application/json"
    )
    assert early.status_code == 422
    assert "13 LBR" in early.content.decode()
    assert "Staf CLAS" in early.content.decode()
    asked = safety.post(
        f"/api/v1/risks/{risk_id}/consultations", {}, content_type="application/json"
    )
    assert asked.status_code == 201, asked.content
    assert sorted(c["party"] for c in asked.json()) == ["13 LBR", "Staf CLAS"]
    for item in asked.json():
        answered = api_for(
            w.clas_safety if item["party"] == "Staf CLAS" else w.bde13_safety
        ).post(
            f"/api/v1/consultations/{item['id']}/answer",
            {"answer": "agree"},
            content_type="application/json",
        )
        assert answered.status_code == 200, answered.content
    accepted = jfc.post(
        f"/api/v1/risks/{risk_id}/decisions", accept, content_type="application/json"
    )
    assert accepted.status_code == 201, accepted.content
    risk = safety.get(f"/api/v1/risks/{risk_id}").json()
    assert risk["status"] == "accepted"
    assert risk["acceptance_expires_on"]
    assert risk["stop_flag"] is False
    assert [d["outcome"] for d in risk["decisions"]] == ["accept", "escalate"]

    outsider = api_for(w.bde43_safety)
    assert outsider.get(f"/api/v1/risks/{risk_id}").status_code == 404
    assert outsider.get(f"/api/v1/deployments/{w.dep.pk}/risks").status_code == 404
