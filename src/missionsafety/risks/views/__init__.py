"""Pages of the risk register: register and heat maps, risk and decision page,
assessments, controls, awaiting my decision, hazard library, matrices."""

from __future__ import annotations

from missionsafety.risks.views.common import S
from missionsafety.risks.views.controls import control_add, control_edit
from missionsafety.risks.views.overview import (
    awaiting,
    deployment_panel,
    matrices,
    matrix_detail,
    organisation_panel,
)
from missionsafety.risks.views.register_page import REGISTER_COLUMNS, register
from missionsafety.risks.views.risks import (
    consultation_detail,
    risk_assess,
    risk_consult,
    risk_create,
    risk_decide,
    risk_detail,
    risk_edit,
    risk_status,
)
from missionsafety.risks.views.starts import library, register_start

__all__ = [
    "REGISTER_COLUMNS",
    "S",
    "awaiting",
    "consultation_detail",
    "control_add",
    "control_edit",
    "deployment_panel",
    "library",
    "matrices",
    "matrix_detail",
    "organisation_panel",
    "register",
    "register_start",
    "risk_assess",
    "risk_consult",
    "risk_create",
    "risk_decide",
    "risk_detail",
    "risk_edit",
    "risk_status",
]
