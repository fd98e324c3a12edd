"""Access-control targets of the reports app (see tests/test_access_control.py)."""

from __future__ import annotations

from typing import Any


def targets(w: Any) -> dict[str, dict[str, Any]]:
    # The overview lists only the user's visible deployments (tested separately).
    return {
        "reports:dashboard": {"kwargs": {}, "public": True},
        "reports:register_xlsx": {
            "kwargs": {"deployment_pk": w.dep.pk},
            "methods": ["get"],
        },
    }
