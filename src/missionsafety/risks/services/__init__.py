"""Every write to the risk register: matrices, risks, assessments, controls,
decisions and the starts of a register from the library or an earlier one."""

from __future__ import annotations

from missionsafety.risks.services.attachments import risk_attachment_add
from missionsafety.risks.services.bulk import risks_bulk_edit
from missionsafety.risks.services.common import ASSESS_ROLES, EDIT_ROLES
from missionsafety.risks.services.consultations import (
    ANSWER_ROLES,
    consultation_answer,
    consultation_request,
    consultation_state,
    may_answer,
)
from missionsafety.risks.services.controls import (
    control_add,
    control_update,
    due_date_bounds,
    may_change,
    may_reassign,
)
from missionsafety.risks.services.decisions import (
    decide,
    decision_accept,
    decision_escalate,
    decision_reject,
)
from missionsafety.risks.services.imports import (
    register_import_apply,
    register_import_get,
    register_import_preview,
    register_template,
)
from missionsafety.risks.services.matrices import (
    matrix_new_revision,
    matrix_refuse_if_in_use,
    matrix_update,
    matrix_validate,
    rule_update,
)
from missionsafety.risks.services.register import (
    RISK_EDITABLE,
    assessment_record,
    risk_create,
    risk_require_reassessment,
    risk_transition,
    risk_update,
)
from missionsafety.risks.services.reuse import register_copy, register_from_library

__all__ = [
    "ANSWER_ROLES",
    "ASSESS_ROLES",
    "EDIT_ROLES",
    "RISK_EDITABLE",
    "assessment_record",
    "consultation_answer",
    "consultation_request",
    "consultation_state",
    "control_add",
    "control_update",
    "decide",
    "decision_accept",
    "decision_escalate",
    "decision_reject",
    "due_date_bounds",
    "matrix_new_revision",
    "matrix_refuse_if_in_use",
    "matrix_update",
    "matrix_validate",
    "may_answer",
    "may_change",
    "may_reassign",
    "register_copy",
    "register_from_library",
    "register_import_apply",
    "register_import_get",
    "register_import_preview",
    "register_template",
    "risk_attachment_add",
    "risk_create",
    "risk_require_reassessment",
    "risk_transition",
    "risk_update",
    "risks_bulk_edit",
    "rule_update",
]
