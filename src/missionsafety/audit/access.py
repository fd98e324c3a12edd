"""Access-control targets of the audit app."""

from __future__ import annotations

from typing import Any


def targets(w: Any) -> dict[str, dict[str, Any]]:
    return {
        "audit:history": {
            "kwargs": {"model": "deployments.deployment", "pk": str(w.dep.pk)},
            "methods": ["get"],
        },
        "audit:chain": {"insider": w.inspector, "public": True, "insider_only": False},
        "audit:deployment": {"kwargs": {"deployment_pk": w.dep.pk}, "methods": ["get"]},
        "audit:deployment_csv": {
            "kwargs": {"deployment_pk": w.dep.pk},
            "methods": ["get"],
        },
    }
