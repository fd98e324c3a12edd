"""Access-control targets of the organisations app."""

from __future__ import annotations

from typing import Any


def targets(w: Any) -> dict[str, dict[str, Any]]:
    return {
        "organisations:tree": {"public": True},
        "organisations:detail": {"kwargs": {"pk": w.bde13.pk}, "public": True},
        "organisations:account": {"public": True, "insider_only": True},
        "organisations:password": {"public": True, "insider_only": True},
        "organisations:tokens": {"public": True, "insider_only": True},
        "organisations:token_revoke": {
            "kwargs": {"pk": 999999},
            "public": True,
            "status": 405,
        },
        "api:list_organisations": {"public": True},
        "api:get_organisation": {"kwargs": {"org_id": w.bde13.pk}, "public": True},
        "api:me": {"public": True},
    }
