"""Pages for the agreement, evaluation moments, the gate and calendar links."""

from __future__ import annotations

from missionsafety.evaluations.views.agreements import (
    agreement,
    agreement_edit,
    agreement_pdf,
    agreement_setup,
    agreement_sign,
    agreement_submit,
    agreement_version,
)
from missionsafety.evaluations.views.calendar_links import calendar, calendar_revoke
from missionsafety.evaluations.views.evaluations import (
    deployment_evaluations,
    evaluation_close,
    evaluation_detail,
    evaluation_hold,
    evaluation_new,
    evaluation_report,
    evaluation_skip,
    finding_action,
    finding_add,
    schedule,
)
from missionsafety.evaluations.views.readiness import compliance, gate

__all__ = [
    "agreement",
    "agreement_edit",
    "agreement_pdf",
    "agreement_setup",
    "agreement_sign",
    "agreement_submit",
    "agreement_version",
    "calendar",
    "calendar_revoke",
    "compliance",
    "deployment_evaluations",
    "evaluation_close",
    "evaluation_detail",
    "evaluation_hold",
    "evaluation_new",
    "evaluation_report",
    "evaluation_skip",
    "finding_action",
    "finding_add",
    "gate",
    "schedule",
]
