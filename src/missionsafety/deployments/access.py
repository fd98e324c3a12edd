"""Access-control targets of the deployments app (see tests/test_access_control.py)."""

from __future__ import annotations

from typing import Any


def targets(w: Any) -> dict[str, dict[str, Any]]:
    dep = {"pk": w.dep.pk}
    return {
        "deployments:list": {"kwargs": {}, "public": True},
        "deployments:create": {"kwargs": {}, "public": True},
        "deployments:detail": {"kwargs": dep},
        "deployments:edit": {"kwargs": dep},
        "deployments:phase": {"kwargs": dep, "status": 405, "methods": ["post"]},
        "deployments:party_add": {"kwargs": dep},
        "deployments:party_contact": {
            "kwargs": {"pk": w.dep.pk, "party_pk": w.party_bde13.pk},
            "insider_only": True,  # names a contact; inspectors read it on the page
        },
        "api:patch_party": {
            "kwargs": {"deployment_id": w.dep.pk, "party_id": w.party_bde13.pk},
            "status": 405,
            "methods": ["patch"],
            "data": {"contact_note": "leak"},
        },
        "api:list_deployments": {"kwargs": {}, "public": True},
        "api:create_deployment": {"kwargs": {}, "public": True},
        "api:get_deployment": {
            "kwargs": {"deployment_id": w.dep.pk},
            "methods": ["get"],
        },
        "api:patch_deployment": {
            "kwargs": {"deployment_id": w.dep.pk},
            "methods": ["patch"],
            "data": {"version": w.dep.version, "name": "leak"},
        },
        "api:move_phase": {
            "kwargs": {"deployment_id": w.dep.pk},
            "status": 405,
            "methods": ["post"],
            "data": {"to_phase": "redeployment"},
        },
        "api:add_party": {
            "kwargs": {"deployment_id": w.dep.pk},
            "status": 405,
            "methods": ["post"],
            "data": {"organisation_id": w.bde43.pk, "role": "supporting"},
        },
    }
