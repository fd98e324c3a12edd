"""REST endpoints of the risk register: risks, assessments, controls, decisions,
heat maps and matrices."""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from missionsafety.core.api import (
    ConflictOut,
    ErrorOut,
    InSchema,
    ObjectId,
    Paging,
    api_user,
)
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.models import Party
from missionsafety.deployments.selectors import deployment_get
from missionsafety.organisations.models import User
from missionsafety.risks import authority, selectors, services
from missionsafety.risks.models import (
    Assessment,
    Consultation,
    Control,
    Decision,
    HazardCategory,
    RegisterImport,
    Risk,
)

router = Router(tags=["risks"])


# -- schemas ----------------------------------------------------------------


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


# -- helpers ------------------------------------------------------------------


def _party(party_id: int | None) -> Party | None:
    if party_id is None:
        return None
    return Party.objects.select_related("organisation").filter(pk=party_id).first()


def _user(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _category(category_id: int | None) -> HazardCategory | None:
    if category_id is None:
        return None
    return HazardCategory.objects.filter(pk=category_id).first()


def _resolve(changes: dict[str, Any]) -> dict[str, Any]:
    """Turn ``*_id`` fields of a PATCH body into the objects the services take."""
    lookups = {
        "owner_party_id": ("owner_party", _party),
        "owner_id": ("owner", _user),
        "implementer_id": ("implementer", _user),
        "category_id": ("category", _category),
    }
    for key, (name, lookup) in lookups.items():
        if key in changes:
            changes[name] = lookup(changes.pop(key))
    return changes


def _detail(user: Any, risk_id: int) -> Risk:
    risk = selectors.risk_get(user=user, pk=risk_id)
    risk.assessments_list = selectors.risk_assessments(risk=risk)  # type: ignore[attr-defined]
    controls = selectors.risk_controls(risk=risk)
    risk._prefetched_objects_cache = {"controls": controls}  # type: ignore[attr-defined]
    requirement = authority.requirement_for(risk)
    if requirement is not None:
        authority.holders_of(requirement, risk.deployment)
    risk.api_requirement = (  # type: ignore[attr-defined]
        {
            "level": requirement.level,
            "chain": requirement.chain,
            "min_echelon": requirement.echelon,
            "authority": requirement.text,
            "consult": requirement.rule.consult,
            "validity_days": requirement.rule.validity_days,
            "holders": requirement.holders,
        }
        if requirement
        else None
    )
    risk.decision_list = selectors.risk_decisions(risk=risk)  # type: ignore[attr-defined]
    return risk


class _DetailOut(RiskDetailOut):
    assessments: list[AssessmentOut] = Field(..., alias="assessments_list")
    controls: list[ControlOut] = Field(..., alias="controls.all")
    decisions: list[DecisionOut] = Field(..., alias="decision_list")
    authority_required: RequirementOut | None = Field(None, alias="api_requirement")


# -- endpoints ----------------------------------------------------------------


class RegisterPagination(Paging):
    """Limit/offset, with control counts added to the page only."""

    def paginate_queryset(self, queryset, pagination, request, **params):  # type: ignore[no-untyped-def,override]
        page = super().paginate_queryset(queryset, pagination, request, **params)
        key = self.items_attribute
        page[key] = selectors.with_control_counts(page[key])
        return page


@router.get("/deployments/{deployment_id}/risks", response=list[RiskListOut])
@paginate(RegisterPagination)
def list_risks(  # type: ignore[no-untyped-def]
    request: HttpRequest, deployment_id: int, filters: Query[RegisterQuery]
):
    """The deployment's register, filtered and sorted like the register page."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    return selectors.register(
        user=user,
        deployment=deployment,
        filters=selectors.RegisterFilters.from_params(filters.dict()),
    )


@router.post(
    "/deployments/{deployment_id}/risks",
    response={201: _DetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_risk(request: HttpRequest, deployment_id: int, payload: RiskIn):  # type: ignore[no-untyped-def]
    """Record a new risk, optionally with its first controls."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    risk = services.risk_create(
        actor=user,
        deployment=deployment,
        title=payload.title,
        hazard=payload.hazard,
        cause=payload.cause,
        consequence=payload.consequence,
        category=_category(payload.category_id),
        activity=payload.activity,
        phases=payload.phases,
        owner_party=_party(payload.owner_party_id),
        owner=_user(payload.owner_id),
        controls=[
            {
                "description": c.description,
                "kind": c.kind,
                "owner_party": _party(c.owner_party_id),
                "implementer": _user(c.implementer_id),
                "due_date": c.due_date,
            }
            for c in payload.controls
        ],
    )
    return Status(201, _detail(user, risk.pk))


@router.get("/risks/{risk_id}", response={200: _DetailOut, 404: ErrorOut})
def get_risk(request: HttpRequest, risk_id: int):  # type: ignore[no-untyped-def]
    """One risk with its assessments, controls, decisions and the authority needed."""
    return _detail(api_user(request), risk_id)


@router.patch(
    "/risks/{risk_id}",
    response={
        200: _DetailOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def patch_risk(request: HttpRequest, risk_id: int, payload: RiskPatch):  # type: ignore[no-untyped-def]
    """Change what the risk is about; send the ``version`` you read."""
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    changes = _resolve(payload.dict(exclude_unset=True, exclude={"version"}))
    services.risk_update(actor=user, risk=risk, version=payload.version, **changes)
    return _detail(user, risk_id)


@router.post(
    "/risks/{risk_id}/assessments",
    response={201: AssessmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_assessment(request: HttpRequest, risk_id: int, payload: AssessmentIn):  # type: ignore[no-untyped-def]
    """Record a new assessment; levels come from the deployment's matrix."""
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    assessment = services.assessment_record(actor=user, risk=risk, **payload.dict())
    return Status(201, assessment)


@router.post(
    "/risks/{risk_id}/status",
    response={200: _DetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def transition_risk(request: HttpRequest, risk_id: int, payload: StatusIn):  # type: ignore[no-untyped-def]
    """Ask for a decision, monitor or close the risk."""
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    services.risk_transition(
        actor=user, risk=risk, to_status=payload.to_status, note=payload.note
    )
    return _detail(user, risk_id)


@router.get("/risks/{risk_id}/controls", response=list[ControlOut])
@paginate(Paging)
def list_controls(request: HttpRequest, risk_id: int):  # type: ignore[no-untyped-def]
    risk = selectors.risk_get(user=api_user(request), pk=risk_id)
    return risk.controls.select_related("owner_party__organisation").order_by(
        "due_date", "pk"
    )


@router.post(
    "/risks/{risk_id}/controls",
    response={201: ControlOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_control(request: HttpRequest, risk_id: int, payload: ControlIn):  # type: ignore[no-untyped-def]
    """Add a control owned by any party of the deployment."""
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    control = services.control_add(
        actor=user,
        risk=risk,
        description=payload.description,
        kind=payload.kind,
        owner_party=_party(payload.owner_party_id),
        implementer=_user(payload.implementer_id),
        due_date=payload.due_date,
    )
    return Status(201, selectors.control_get(user=user, pk=control.pk))


@router.patch(
    "/controls/{control_id}",
    response={
        200: ControlOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def patch_control(request: HttpRequest, control_id: int, payload: ControlPatch):  # type: ignore[no-untyped-def]
    """Change a control or move its status; send the ``version`` you read.

    Only the owning party's people change it (403 names ``owner_party``); the
    risk's owner and the deployment's safety officers may change ``owner_party``.
    """
    user = api_user(request)
    control = selectors.control_get(user=user, pk=control_id)
    changes = _resolve(payload.dict(exclude_unset=True, exclude={"version"}))
    services.control_update(
        actor=user, control=control, version=payload.version, **changes
    )
    return selectors.control_get(user=user, pk=control_id)


@router.post(
    "/risks/{risk_id}/decisions",
    response={201: DecisionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_decision(request: HttpRequest, risk_id: int, payload: DecisionIn):  # type: ignore[no-untyped-def]
    """Accept, reject or escalate the current assessment.

    Without the authority an acceptance answers 403 with ``authority_required``,
    ``level``, ``chain`` and ``holders`` (who could decide); escalate instead.
    An acceptance before every party the rule names has answered answers 422
    on ``consultation_note`` naming the missing parties.
    """
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    assessment = risk.assessments.filter(pk=payload.assessment_id).first()
    decision = services.decide(
        outcome=payload.outcome,
        actor=user,
        risk=risk,
        assessment=assessment,
        consultation_note=payload.consultation_note,
        conditions=payload.conditions,
        valid_until=payload.valid_until,
        rationale=payload.rationale,
    )
    return Status(201, decision)


@router.post(
    "/risks/{risk_id}/consultations",
    response={
        201: list[ConsultationOut],
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def request_consultation(  # type: ignore[no-untyped-def]
    request: HttpRequest, risk_id: int, payload: ConsultationRequestIn
):
    """Ask parties for their view on the current assessment (inbox and e-mail).

    Without ``party_ids``: the parties the acceptance rule names. A party of
    another deployment answers 422; parties all asked already, 409.
    """
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    parties = None
    if payload.party_ids is not None:
        parties = list(
            Party.objects.filter(pk__in=payload.party_ids).select_related(
                "organisation"
            )
        )
        if len(parties) != len(set(payload.party_ids)):
            raise ValidationError(
                {"party_ids": gettext("One of these parties does not exist.")}
            )
    try:
        created = services.consultation_request(actor=user, risk=risk, parties=parties)
    except ValidationError as exc:
        errors = getattr(exc, "error_dict", None)
        if errors and "parties" in errors:
            errors["party_ids"] = errors.pop("parties")
        raise
    return Status(201, created)


@router.get(
    "/risks/{risk_id}/consultations",
    response={200: list[ConsultationOut], 404: ErrorOut},
)
def list_consultations(request: HttpRequest, risk_id: int):  # type: ignore[no-untyped-def]
    """Every consultation request about the risk, newest first; ``stale`` ones
    concern an earlier assessment."""
    user = api_user(request)
    risk = selectors.risk_get(user=user, pk=risk_id)
    return selectors.risk_consultations(risk=risk)


@router.post(
    "/consultations/{consultation_id}/answer",
    response={
        200: ConsultationOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def answer_consultation(  # type: ignore[no-untyped-def]
    request: HttpRequest, consultation_id: int, payload: ConsultationAnswerIn
):
    """Answer for your party: agree, agree_with_conditions or object (the last
    two with ``text``). Another party's request answers 403; a second answer or
    an answer about a superseded assessment, 409."""
    user = api_user(request)
    consultation = selectors.consultation_get(user=user, pk=consultation_id)
    return services.consultation_answer(
        actor=user,
        consultation=consultation,
        answer=payload.answer,
        text=payload.text,
    )


@router.get(
    "/deployments/{deployment_id}/heatmap", response={200: HeatmapOut, 404: ErrorOut}
)
def get_heatmap(request: HttpRequest, deployment_id: int):  # type: ignore[no-untyped-def]
    """Open risks per matrix cell, inherent and residual."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    matrix = authority.matrix_of(deployment)
    counts = selectors.heatmap_counts(user=user, deployment=deployment)
    cells = [
        {
            "probability": p,
            "severity": s,
            "level": matrix.level_for(p, s),
            "inherent": counts["inherent"].get((p, s), 0),
            "residual": counts["residual"].get((p, s), 0),
        }
        for s in matrix.severity_codes
        for p in matrix.probability_codes
    ]
    residual_levels: dict[str, int] = {}
    for (p, s), n in counts["residual"].items():
        level = matrix.level_for(p, s)
        residual_levels[level] = residual_levels.get(level, 0) + n
    return {
        "deployment_id": deployment.pk,
        "matrix_id": matrix.pk,
        "overall_residual_level": selectors.overall_level(matrix, residual_levels),
        "cells": cells,
    }


@router.get("/matrices", response=list[MatrixOut])
@paginate(Paging)
def list_matrices(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Risk matrices with their acceptance rules."""
    return selectors.matrices().prefetch_related("deployments")


# -- import from Excel ----------------------------------------------------------


class ImportCellError(Schema):
    cell: str
    message: str


class ImportRowOut(Schema):
    row: int
    action: str = Field(..., description="create, update or error")
    reference: str
    title: str
    errors: list[ImportCellError] = []


class ImportOut(Schema):
    token: uuid.UUID
    filename: str
    create: int
    update: int
    error: int
    unchanged: int
    applied: bool
    risks: list[ImportRowOut]
    controls: list[ImportRowOut]


class ImportAppliedOut(Schema):
    created: int
    updated: int
    assessed: int


def _import_out(pending: RegisterImport) -> dict[str, Any]:
    return {
        "token": pending.token,
        "filename": pending.filename,
        "create": pending.count("create"),
        "update": pending.count("update"),
        "error": pending.count("error"),
        "unchanged": pending.unchanged,
        "applied": pending.applied_at is not None,
        "risks": pending.plan.get("risks", []),
        "controls": pending.plan.get("controls", []),
    }


@router.post(
    "/deployments/{deployment_id}/register-import",
    response={201: ImportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def import_register(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    deployment_id: int,
    file: UploadedFile | None = File(None),  # noqa: B008
):
    """Preview a workbook (multipart field ``file``) in the export's layout:
    per row create, update or error. Nothing is written until it is applied."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    if file is None:
        raise ValidationError({"file": gettext("Upload a workbook (.xlsx).")})
    pending = services.register_import_preview(
        actor=user,
        deployment=deployment,
        data=file.read(services.imports.MAX_BYTES + 1),
        filename=file.name or "",
    )
    return Status(201, _import_out(pending))


@router.post(
    "/deployments/{deployment_id}/register-import/{token}/apply",
    response={
        200: ImportAppliedOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ErrorOut,
    },
)
def apply_register_import(request: HttpRequest, deployment_id: int, token: uuid.UUID):  # type: ignore[no-untyped-def]
    """Write every row of a previewed import, or none (422 with errors, 409 when
    a risk changed since the preview)."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    pending = services.register_import_get(
        user=user, deployment=deployment, token=token
    )
    return services.register_import_apply(actor=user, pending=pending)


# -- bulk edits ---------------------------------------------------------------------


class BulkIn(InSchema):
    risk_ids: list[ObjectId] = Field(..., min_length=1, max_length=2000)
    action: str = Field(
        ..., description="owner_party, category, phase, reassess or close"
    )
    owner_party_id: ObjectId | None = None
    category_id: ObjectId | None = None
    phase: str = Field("", max_length=20)
    reason: str = Field("", max_length=300)


class BulkOut(Schema):
    changed: int


@router.post(
    "/deployments/{deployment_id}/risks/bulk",
    response={200: BulkOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def bulk_edit_risks(request: HttpRequest, deployment_id: int, payload: BulkIn):  # type: ignore[no-untyped-def]
    """One change for many risks, each with its own change record; if any risk
    is refused, none is changed and the 422 names every refused risk."""
    user = api_user(request)
    deployment = deployment_get(user=user, pk=deployment_id)
    risks = list(
        selectors.register(user=user, deployment=deployment).filter(
            pk__in=payload.risk_ids
        )
    )
    missing = sorted(set(payload.risk_ids) - {r.pk for r in risks})
    if missing:
        raise ValidationError(
            {
                "risk_ids": gettext("No risk %(ids)s in this register.")
                % {"ids": ", ".join(map(str, missing))}
            }
        )
    changed = services.risks_bulk_edit(
        actor=user,
        deployment=deployment,
        risks=risks,
        action=payload.action,
        owner_party=_party(payload.owner_party_id),
        category=_category(payload.category_id),
        phase=payload.phase,
        reason=payload.reason,
    )
    return {"changed": changed}
