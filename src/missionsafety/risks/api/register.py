"""Endpoints of risks and their assessments, bulk edits, heat maps and matrices."""

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Schema, Status
from ninja.decorators import decorate_view
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
from missionsafety.core.kept import Id, kept_answer
from missionsafety.deployments.selectors import deployment_get
from missionsafety.risks import authority, selectors, services
from missionsafety.risks.api.common import (
    RegisterPagination,
    _category,
    _detail,
    _DetailOut,
    _party,
    _resolve,
    _user,
    router,
)
from missionsafety.risks.api.schemas import (
    AssessmentIn,
    AssessmentOut,
    HeatmapOut,
    MatrixOut,
    RegisterQuery,
    RiskIn,
    RiskListOut,
    RiskPatch,
    StatusIn,
)


@router.get("/deployments/{deployment_id}/risks", response=list[RiskListOut])
@decorate_view(kept_answer("deployment", lambda deployment_id, **_: Id(deployment_id)))
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
