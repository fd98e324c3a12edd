"""Access-control targets of the risks app (see tests/test_access_control.py)."""

from __future__ import annotations

from typing import Any


def _objects(w: Any) -> None:
    """A risk with a control and an assessment in ``w.dep`` (made once)."""
    if hasattr(w, "risk"):
        return
    from missionsafety.risks import services

    w.risk = services.risk_create(
        actor=w.bde13_safety,
        deployment=w.dep,
        title="Hitteletsel tijdens patrouilles",
        hazard="Hitte",
        owner_party=w.party_bn,
        controls=[
            {
                "description": "Drinkplan",
                "kind": "administrate",
                "owner_party": w.party_bn,
            }
        ],
    )
    w.assessment = services.assessment_record(
        actor=w.bde13_safety,
        risk=w.risk,
        inherent_probability="B",
        inherent_severity="II",
        residual_probability="D",
        residual_severity="III",
    )
    w.risk.refresh_from_db()
    w.control = w.risk.controls.get()
    (w.consultation,) = services.consultation_request(
        actor=w.bde13_safety, risk=w.risk, parties=[w.party_clas]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    w.attachment = services.risk_attachment_add(
        actor=w.bde13_safety,
        risk=w.risk,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 medisch plan"),
    )
    w.pending_import = services.register_import_preview(
        actor=w.bde13_safety,
        deployment=w.dep,
        data=services.register_template(deployment=w.dep),
        filename="template.xlsx",
    )


def targets(w: Any) -> dict[str, dict[str, Any]]:
    _objects(w)
    dep = {"deployment_pk": w.dep.pk}
    risk = {"pk": w.risk.pk}
    api_risk = {"risk_id": w.risk.pk}
    api_dep = {"deployment_id": w.dep.pk}
    return {
        "risks:register": {"kwargs": dep},
        "risks:create": {"kwargs": dep},
        "risks:start": {"kwargs": dep},
        "risks:detail": {"kwargs": risk},
        "risks:edit": {"kwargs": risk},
        "risks:assess": {"kwargs": risk},
        "risks:decide": {"kwargs": risk, "status": 405, "methods": ["post"]},
        "risks:status": {"kwargs": risk, "status": 405, "methods": ["post"]},
        "risks:consult": {"kwargs": risk, "status": 405, "methods": ["post"]},
        "risks:consultation": {"kwargs": {"pk": w.consultation.pk}},
        "risks:control_add": {"kwargs": risk},
        "risks:control_edit": {"kwargs": {"pk": w.control.pk}},
        "risks:import": {"kwargs": dep},
        "risks:attachment_add": {"kwargs": risk, "status": 405, "methods": ["post"]},
        "risks:attachment": {"kwargs": {"pk": w.attachment.pk}, "methods": ["get"]},
        "risks:bulk": {"kwargs": dep, "status": 405, "methods": ["post"]},
        "api:bulk_edit_risks": {
            "kwargs": api_dep,
            "status": 405,
            "methods": ["post"],
            "data": {"risk_ids": [w.risk.pk], "action": "close", "reason": "leak"},
        },
        "risks:import_template": {"kwargs": dep, "methods": ["get"]},
        # A preview belongs to whoever uploaded the workbook.
        "risks:import_preview": {
            "kwargs": {**dep, "token": w.pending_import.token},
            "insider_only": True,
        },
        "api:import_register": {"kwargs": api_dep, "status": 405, "methods": ["post"]},
        "api:apply_register_import": {
            "kwargs": {**api_dep, "token": w.pending_import.token},
            "status": 405,
            "methods": ["post"],
        },
        "risks:awaiting": {"kwargs": {}, "public": True},
        "risks:library": {"kwargs": {}, "public": True},
        "risks:matrices": {"kwargs": {}, "public": True},
        "risks:matrix": {"kwargs": {"pk": w.dep.matrix_id}, "public": True},
        "api:list_risks": {"kwargs": api_dep, "methods": ["get"]},
        "api:create_risk": {
            "kwargs": api_dep,
            "methods": ["post"],
            "data": {
                "title": "leak",
                "hazard": "leak",
                "owner_party_id": w.other_party.pk,
            },
        },
        "api:get_risk": {"kwargs": api_risk, "methods": ["get"]},
        "api:patch_risk": {
            "kwargs": api_risk,
            "methods": ["patch"],
            "data": {"version": w.risk.version, "title": "leak"},
        },
        "api:create_assessment": {
            "kwargs": api_risk,
            "status": 405,
            "methods": ["post"],
            "data": {
                "inherent_probability": "A",
                "inherent_severity": "I",
                "residual_probability": "A",
                "residual_severity": "I",
            },
        },
        "api:transition_risk": {
            "kwargs": api_risk,
            "status": 405,
            "methods": ["post"],
            "data": {"to_status": "closed"},
        },
        "api:list_controls": {"kwargs": api_risk, "methods": ["get"]},
        "api:create_control": {
            "kwargs": api_risk,
            "methods": ["post"],
            "data": {"description": "leak", "owner_party_id": w.party_bn.pk},
        },
        "api:patch_control": {
            "kwargs": {"control_id": w.control.pk},
            "status": 405,
            "methods": ["patch"],
            "data": {"version": w.control.version, "description": "leak"},
        },
        "api:create_decision": {
            "kwargs": api_risk,
            "status": 405,
            "methods": ["post"],
            "data": {"outcome": "escalate", "assessment_id": w.assessment.pk},
        },
        "api:request_consultation": {
            "kwargs": api_risk,
            "methods": ["post"],
            "data": {"party_ids": [w.party_bde13.pk]},
        },
        "api:list_consultations": {"kwargs": api_risk, "methods": ["get"]},
        "api:answer_consultation": {
            "kwargs": {"consultation_id": w.consultation.pk},
            "status": 405,
            "methods": ["post"],
            "data": {"answer": "agree"},
        },
        "api:get_heatmap": {"kwargs": api_dep, "methods": ["get"]},
        "api:list_matrices": {"kwargs": {}, "public": True},
    }
