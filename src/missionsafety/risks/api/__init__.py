"""REST endpoints of the risk register: risks, assessments, controls, decisions,
heat maps and matrices."""

from __future__ import annotations

from missionsafety.risks.api.common import RegisterPagination, router
from missionsafety.risks.api.controls import (
    answer_consultation,
    create_control,
    create_decision,
    list_consultations,
    list_controls,
    patch_control,
    request_consultation,
)
from missionsafety.risks.api.imports import (
    ImportAppliedOut,
    ImportCellError,
    ImportOut,
    ImportRowOut,
    apply_register_import,
    import_register,
)
from missionsafety.risks.api.register import (
    BulkIn,
    BulkOut,
    bulk_edit_risks,
    create_assessment,
    create_risk,
    get_heatmap,
    get_risk,
    list_matrices,
    list_risks,
    patch_risk,
    transition_risk,
)
from missionsafety.risks.api.schemas import (
    AssessmentIn,
    AssessmentOut,
    ConsultationAnswerIn,
    ConsultationOut,
    ConsultationRequestIn,
    ControlIn,
    ControlOut,
    ControlPatch,
    DecisionIn,
    DecisionOut,
    HeatCell,
    HeatmapOut,
    LevelOut,
    MatrixOut,
    RegisterQuery,
    RequirementOut,
    RiskDetailOut,
    RiskIn,
    RiskListOut,
    RiskOut,
    RiskPatch,
    RuleOut,
    StatusIn,
)

__all__ = [
    "AssessmentIn",
    "AssessmentOut",
    "BulkIn",
    "BulkOut",
    "ConsultationAnswerIn",
    "ConsultationOut",
    "ConsultationRequestIn",
    "ControlIn",
    "ControlOut",
    "ControlPatch",
    "DecisionIn",
    "DecisionOut",
    "HeatCell",
    "HeatmapOut",
    "ImportAppliedOut",
    "ImportCellError",
    "ImportOut",
    "ImportRowOut",
    "LevelOut",
    "MatrixOut",
    "RegisterPagination",
    "RegisterQuery",
    "RequirementOut",
    "RiskDetailOut",
    "RiskIn",
    "RiskListOut",
    "RiskOut",
    "RiskPatch",
    "RuleOut",
    "StatusIn",
    "answer_consultation",
    "apply_register_import",
    "bulk_edit_risks",
    "create_assessment",
    "create_control",
    "create_decision",
    "create_risk",
    "get_heatmap",
    "get_risk",
    "import_register",
    "list_consultations",
    "list_controls",
    "list_matrices",
    "list_risks",
    "patch_control",
    "patch_risk",
    "request_consultation",
    "router",
    "transition_risk",
]

# Operation ids name the module the endpoints were written in before it became
# this package, so clients generated from the OpenAPI schema keep their names.
for _path in router.path_operations.values():
    for _operation in _path.operations:
        _operation.operation_id = (
            _operation.operation_id
            or f"missionsafety_risks_api_{_operation.view_func.__name__}"
        )
