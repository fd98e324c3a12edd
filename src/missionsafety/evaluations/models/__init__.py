"""Cooperation agreement (TVB/RACI), evaluation moments and the readiness gate."""

from __future__ import annotations

from missionsafety.evaluations.models.agreements import (
    PARTY_ROLES,
    Agreement,
    AgreementAssignment,
    AgreementSignature,
    ProcessStep,
)
from missionsafety.evaluations.models.calendar_tokens import (
    CalendarToken,
    CalendarTokenQuerySet,
)
from missionsafety.evaluations.models.evaluations import (
    TIMELINESS,
    Action,
    Evaluation,
    EvaluationParticipant,
    EvaluationQuerySet,
    Finding,
    GateWaiver,
)
from missionsafety.evaluations.models.templates import (
    EvaluationTemplate,
    validate_method,
)

__all__ = [
    "PARTY_ROLES",
    "TIMELINESS",
    "Action",
    "Agreement",
    "AgreementAssignment",
    "AgreementSignature",
    "CalendarToken",
    "CalendarTokenQuerySet",
    "Evaluation",
    "EvaluationParticipant",
    "EvaluationQuerySet",
    "EvaluationTemplate",
    "Finding",
    "GateWaiver",
    "ProcessStep",
    "validate_method",
]
