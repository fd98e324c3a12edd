"""Every write to the risk register."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from missionsafety.audit.services import record_change
from missionsafety.core.events import publish
from missionsafety.risks.models import Risk


@transaction.atomic
def risk_require_reassessment(
    *, risk: Risk, actor: Any, reason: str, source: Any = None
) -> Risk:
    """Mark a risk as needing reassessment (e.g. after a serious occurrence)."""
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk.reassessment_required and risk.reassessment_reason == reason[:300]:
        return risk
    before = {
        "reassessment_required": risk.reassessment_required,
        "reassessment_reason": risk.reassessment_reason,
    }
    Risk.objects.filter(pk=risk.pk).update(
        reassessment_required=True, reassessment_reason=reason[:300]
    )
    risk.reassessment_required = True
    risk.reassessment_reason = reason[:300]
    record_change(
        actor=actor,
        obj=risk,
        action="require_reassessment",
        before=before,
        after={"reassessment_required": True, "reassessment_reason": reason[:300]},
    )
    publish(
        "risk.reassessment_required",
        risk=risk,
        reason=reason,
        actor=actor,
        source=source,
    )
    return risk
