"""Access-control targets of the evaluations app (see tests/test_access_control.py)."""

from __future__ import annotations

from typing import Any


def targets(w: Any) -> dict[str, dict[str, Any]]:
    from missionsafety.evaluations import services
    from missionsafety.evaluations.models import Evaluation

    agreement = services.agreement_setup(actor=w.jfc_safety, deployment=w.dep)
    gate = Evaluation.objects.filter(deployment=w.dep, template__is_gate=True).first()
    assert gate is not None  # every deployment of the test world has a gate moment
    finding = services.finding_add(actor=w.jfc_safety, evaluation=gate, text="Finding")
    services.calendar_token_create(actor=w.bde13_safety, party=w.party_bde13)
    token = w.bde13_safety.calendar_tokens.first()
    dep = {"deployment_pk": w.dep.pk}
    version = {**dep, "number": agreement.number}
    ev = {"pk": gate.pk}
    api_dep = {"deployment_id": w.dep.pk}
    post_only = {"status": 405, "methods": ["post"]}
    return {
        "evaluations:agreement": {"kwargs": dep},
        "evaluations:agreement_setup": {"kwargs": dep, **post_only},
        "evaluations:agreement_edit": {"kwargs": dep},
        "evaluations:agreement_submit": {"kwargs": dep, **post_only},
        "evaluations:agreement_sign": {"kwargs": dep, **post_only},
        "evaluations:agreement_version": {"kwargs": version},
        "evaluations:agreement_pdf": {"kwargs": version, "methods": ["get"]},
        "evaluations:deployment": {"kwargs": dep},
        "evaluations:schedule": {"kwargs": dep, **post_only},
        "evaluations:new": {"kwargs": dep},
        "evaluations:gate": {"kwargs": dep},
        "evaluations:detail": {"kwargs": ev},
        "evaluations:hold": {"kwargs": ev},
        "evaluations:report": {"kwargs": ev},
        "evaluations:skip": {"kwargs": ev},
        "evaluations:close": {"kwargs": ev, **post_only},
        "evaluations:finding_add": {"kwargs": ev, **post_only},
        "evaluations:finding_action": {"kwargs": {"pk": finding.pk}},
        "evaluations:compliance": {"kwargs": {}, "public": True},
        "evaluations:calendar": {"kwargs": {}, "public": True},
        "evaluations:calendar_revoke": {"kwargs": {"pk": token.pk}, **post_only},
        "api:get_agreement": {"kwargs": api_dep, "methods": ["get"]},
        "api:put_agreement": {
            "kwargs": api_dep,
            "methods": ["put"],
            "data": {"version": agreement.number, "note": "leak"},
        },
        "api:sign_agreement": {
            "kwargs": api_dep,
            "methods": ["post"],
            "status": 405,
            "data": {"party_id": w.party_bde13.pk, "version": agreement.number},
        },
        "api:list_deployment_evaluations": {"kwargs": api_dep, "methods": ["get"]},
        "api:get_evaluation": {
            "kwargs": {"evaluation_id": gate.pk},
            "methods": ["get"],
        },
        "api:patch_evaluation": {
            "kwargs": {"evaluation_id": gate.pk},
            "methods": ["patch"],
            "data": {"version": gate.version, "status": "reported", "report": "leak"},
        },
        "api:get_gate": {"kwargs": api_dep, "methods": ["get"]},
        # Authenticated by the calendar token in the URL; none given here: 404.
        "api:evaluations_ics": {"kwargs": {}, "public": True, "status": 404},
    }
