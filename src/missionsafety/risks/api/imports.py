"""Endpoints of a register import: preview and apply."""

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, File, Schema, Status
from ninja.files import UploadedFile

from missionsafety.core.api import ConflictOut, ErrorOut, api_user
from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.selectors import deployment_get
from missionsafety.risks import services
from missionsafety.risks.api.common import router
from missionsafety.risks.models import RegisterImport


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
