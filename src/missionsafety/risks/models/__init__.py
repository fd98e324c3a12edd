"""Risk matrices, the risk register, assessments, controls and decisions."""

from __future__ import annotations

from missionsafety.risks.models.controls import Control, RiskAttachment, attachment_path
from missionsafety.risks.models.decisions import Consultation, Decision
from missionsafety.risks.models.hazards import Hazard, HazardCategory
from missionsafety.risks.models.matrices import AcceptanceRule, RiskMatrix
from missionsafety.risks.models.register import Assessment, RegisterImport, Risk
from missionsafety.risks.models.trends import TrendSnapshot

__all__ = [
    "AcceptanceRule",
    "Assessment",
    "Consultation",
    "Control",
    "Decision",
    "Hazard",
    "HazardCategory",
    "RegisterImport",
    "Risk",
    "RiskAttachment",
    "RiskMatrix",
    "TrendSnapshot",
    "attachment_path",
]
