"""Every write to agreements, evaluations, findings, actions, the gate and
calendar links."""

from __future__ import annotations

from missionsafety.evaluations.services.actions import (
    action_create,
    action_set_status,
    calendar_token_create,
    calendar_token_revoke,
)
from missionsafety.evaluations.services.agreements import (
    _steps,
    agreement_cells,
    agreement_setup,
    agreement_update,
    current_agreement,
    default_cells,
    validate_cells,
)
from missionsafety.evaluations.services.common import (
    AGREEMENT_ROLES,
    EVALUATION_ROLES,
    E,
    S,
)
from missionsafety.evaluations.services.gates import (
    gate_guard,
    gate_pass_for_walk,
    gate_record,
    gate_status,
    gate_waive,
    latest_gate,
    may_waive,
)
from missionsafety.evaluations.services.lifecycle import (
    evaluation_close,
    evaluation_create,
    evaluation_hold,
    evaluation_report,
    evaluation_reschedule,
    evaluation_skip,
    finding_add,
    hold_problems,
)
from missionsafety.evaluations.services.schedule import (
    CLOSED_BEFORE_HELD,
    evaluations_schedule,
    on_deployment_updated,
    on_phase_changed,
    on_serious_occurrence,
    planned_moments,
    shipped_texts,
)
from missionsafety.evaluations.services.signing import (
    accountable_party,
    agreement_parties,
    agreement_sign,
    agreement_submit,
    commander_of,
    signable_parties,
    signatories,
)

__all__ = [
    "AGREEMENT_ROLES",
    "CLOSED_BEFORE_HELD",
    "EVALUATION_ROLES",
    "E",
    "S",
    "_steps",
    "accountable_party",
    "action_create",
    "action_set_status",
    "agreement_cells",
    "agreement_parties",
    "agreement_setup",
    "agreement_sign",
    "agreement_submit",
    "agreement_update",
    "calendar_token_create",
    "calendar_token_revoke",
    "commander_of",
    "current_agreement",
    "default_cells",
    "evaluation_close",
    "evaluation_create",
    "evaluation_hold",
    "evaluation_report",
    "evaluation_reschedule",
    "evaluation_skip",
    "evaluations_schedule",
    "finding_add",
    "gate_guard",
    "gate_pass_for_walk",
    "gate_record",
    "gate_status",
    "gate_waive",
    "hold_problems",
    "latest_gate",
    "may_waive",
    "on_deployment_updated",
    "on_phase_changed",
    "on_serious_occurrence",
    "planned_moments",
    "shipped_texts",
    "signable_parties",
    "signatories",
    "validate_cells",
]
