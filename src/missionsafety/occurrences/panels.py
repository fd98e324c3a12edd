"""Occurrence sections on other apps' pages: the occurrences linked to a risk."""

from __future__ import annotations

from typing import Any

from missionsafety.occurrences.models import Occurrence


def risk_panel(request: Any, risk: Any) -> dict[str, Any]:
    """The occurrences that bear on this risk, newest first."""
    occurrences = list(
        Occurrence.objects.visible_to(request.user)
        .filter(risks=risk)
        .select_related("unit")
        .order_by("-occurred_at")[:20]
    )
    return {"occurrences": occurrences}
