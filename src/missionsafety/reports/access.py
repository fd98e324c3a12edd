"""Access-control targets of the reports app (see tests/test_access_control.py)."""

from __future__ import annotations

from typing import Any


def targets(w: Any) -> dict[str, dict[str, Any]]:
    from missionsafety.risks.access import _objects

    _objects(w)  # w.risk, for its worksheet
    # The overview lists only the user's visible deployments (tested separately).
    return {
        "reports:dashboard": {"kwargs": {}, "public": True},
        "reports:register_xlsx": {
            "kwargs": {"deployment_pk": w.dep.pk},
            "methods": ["get"],
        },
        "reports:risk_picture_pdf": {
            "kwargs": {"deployment_pk": w.dep.pk},
            "methods": ["get"],
        },
        "reports:worksheets_pdf": {
            "kwargs": {"deployment_pk": w.dep.pk},
            "methods": ["get"],
        },
        "reports:worksheet_pdf": {"kwargs": {"pk": w.risk.pk}, "methods": ["get"]},
    }
