"""Request and response schemas of the risk register endpoints."""

import datetime
from typing import Any

from ninja import Field, Schema

from missionsafety.core.api import InSchema, ObjectId
from missionsafety.risks.models import Assessment, Consultation, Control, Decision, Risk


class RiskOut(Schema):
    id: int
    deployment_id: int
    number: int
    reference: str
    title: str
    hazard: str
    cause: str
    consequence: str
    category_id: int | None
    activity: str
    phases: list[str]
    owner_party_id: int
    owner_party: str = Field(..., alias="owner_party.organisation.short_name")
    owner_id: int | None
    status: str
    inherent_level: str
    residual_level: str
    current_assessment_id: int | None
    stop_flag: bool = Field(..., description="stop: re-approval needed")
    accepted_decision_id: int | None
    acceptance_expires_on: datetime.date | None
    acceptance_expired: bool
    reassessment_required: bool
    reassessment_reason: str
    escalated_to_id: int | None
    source_hazard_id: int | None
    copied_from_id: int | None
    version: int


class RiskListOut(RiskOut):
    n_controls: int = 0
    n_overdue: int = 0


class AssessmentOut(Schema):
    id: int
    risk_id: int
    sequence: int
    inherent_probability: str
    inherent_severity: str
    inherent_level: str
    controls_considered: str
    residual_probability: str
    residual_severity: str
    residual_level: str
    reason: str
    note: str
    assessor_id: int | None
    assessed_at: datetime.datetime


class ControlOut(Schema):
    id: int
    risk_id: int
    description: str
    kind: str
    owner_party_id: int
    owner_party: str = Field(..., alias="owner_party.organisation.short_name")
    implementer_id: int | None
    due_date: datetime.date | None
    status: str
    status_note: str
    is_overdue: bool
    version: int


class DecisionOut(Schema):
    id: int
    risk_id: int
    assessment_id: int
    outcome: str
    decided_by_id: int | None
    decided_for_id: int | None
    decided_at: datetime.datetime
    level: str
    authority_required: dict[str, Any]
    authority_held: str
    parties_consulted: list[int]
    consultations: list[int] = Field(
        ..., description="The answers (consultation ids) the decision rests on."
    )
    consultation_record: list[dict[str, Any]]
    consultation_note: str
    escalated_to_id: int | None
    conditions: str
    valid_until: datetime.date | None
    rationale: str

    @staticmethod
    def resolve_parties_consulted(obj: Decision) -> list[int]:
        return [p.pk for p in obj.parties_consulted.all()]

    @staticmethod
    def resolve_consultations(obj: Decision) -> list[int]:
        return [c.pk for c in obj.consultations.all()]


class ConsultationOut(Schema):
    id: int
    risk_id: int
    assessment_id: int
    party_id: int
    party: str = Field(..., alias="party.organisation.short_name")
    requested_by_id: int | None
    requested_at: datetime.datetime
    answer: str = Field(
        ..., description="agree, agree_with_conditions, object; empty: no answer yet"
    )
    answer_text: str
    answered_by_id: int | None
    answered_at: datetime.datetime | None
    stale: bool = Field(
        ..., description="About an earlier assessment: a fresh request is needed."
    )

    @staticmethod
    def resolve_stale(obj: Consultation) -> bool:
        return obj.is_stale


class ConsultationRequestIn(InSchema):
    party_ids: list[ObjectId] | None = Field(
        None, description="Parties to ask; by default those the rule names."
    )


class ConsultationAnswerIn(InSchema):
    answer: Consultation.Answer
    text: str = Field("", max_length=4000)


class RequirementOut(Schema):
    level: str
    chain: str
    min_echelon: int
    authority: str
    consult: str
    validity_days: int
    holders: list[str]


class RiskDetailOut(RiskOut):
    assessments: list[AssessmentOut]
    controls: list[ControlOut]
    decisions: list[DecisionOut]
    authority_required: RequirementOut | None


class ControlIn(InSchema):
    description: str = Field(..., min_length=1, max_length=4000)
    kind: Control.Kind = Control.Kind.ADMINISTRATE
    owner_party_id: int
    implementer_id: int | None = None
    due_date: datetime.date | None = None


class RiskIn(InSchema):
    title: str = Field(..., min_length=1, max_length=200)
    hazard: str = Field(..., min_length=1)
    cause: str = ""
    consequence: str = ""
    category_id: int | None = None
    activity: str = Field("", max_length=200)
    phases: list[str] = Field(default_factory=list)
    owner_party_id: int
    owner_id: int | None = None
    controls: list[ControlIn] = Field(default_factory=list)


class RiskPatch(InSchema):
    version: int = Field(..., description="The version you edited; 409 if stale.")
    title: str | None = Field(None, min_length=1, max_length=200)
    hazard: str | None = Field(None, min_length=1)
    cause: str | None = None
    consequence: str | None = None
    category_id: int | None = None
    activity: str | None = Field(None, max_length=200)
    phases: list[str] | None = None
    owner_party_id: int | None = None
    owner_id: int | None = None


class AssessmentIn(InSchema):
    inherent_probability: str
    inherent_severity: str
    residual_probability: str
    residual_severity: str
    reason: Assessment.Reason = Assessment.Reason.INITIAL
    controls_considered: str = ""
    note: str = ""
    request_decision: bool = True


class ControlPatch(InSchema):
    version: int = Field(..., description="The version you edited; 409 if stale.")
    description: str | None = Field(None, min_length=1)
    kind: Control.Kind | None = None
    owner_party_id: int | None = None
    implementer_id: int | None = None
    due_date: datetime.date | None = None
    status: Control.Status | None = None
    status_note: str | None = None


class DecisionIn(InSchema):
    outcome: Decision.Outcome
    assessment_id: int = Field(..., description="The assessment you decide on.")
    consultation_note: str = Field(
        "",
        description="A consultation held outside the system: who, when and how, "
        "naming each party that has not answered here.",
    )
    conditions: str = ""
    valid_until: datetime.date | None = None
    rationale: str = ""


class StatusIn(InSchema):
    to_status: Risk.Status
    note: str = Field("", max_length=500)


class HeatCell(Schema):
    probability: str
    severity: str
    level: str
    inherent: int
    residual: int


class HeatmapOut(Schema):
    deployment_id: int
    matrix_id: int
    overall_residual_level: str
    cells: list[HeatCell]


class LevelOut(Schema):
    code: str
    name: dict[str, str] | str
    colour: str


class RuleOut(Schema):
    level: str
    chain: str
    min_echelon: int
    authority: dict[str, str]
    consult: str
    validity_days: int


class MatrixOut(Schema):
    id: int
    code: str
    revision: int
    name: str
    description: str
    probabilities: list[dict[str, Any]]
    severities: list[dict[str, Any]]
    levels: list[LevelOut]
    cells: dict[str, dict[str, str]]
    is_default: bool
    in_use: bool
    rules: list[RuleOut]

    @staticmethod
    def resolve_rules(obj: Any) -> list[Any]:
        return list(obj.rules.all())


class RegisterQuery(InSchema):
    level: str = ""
    status: str = ""
    owner: str = ""
    category: str = ""
    phase: str = ""
    overdue: bool = False
    stop: bool = False
    expired: bool = False
    cell: str = ""
    q: str = ""
    sort: str = "-level"
