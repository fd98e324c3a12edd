"""A register import from preview to apply, and the blank template to fill in."""

from __future__ import annotations

import datetime
import io
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from missionsafety.audit.services import record_change
from missionsafety.core.exceptions import ConflictError, ValidationError
from missionsafety.deployments.models import Deployment
from missionsafety.deployments.visibility import require
from missionsafety.risks import authority
from missionsafety.risks.models import Control, HazardCategory, RegisterImport, Risk
from missionsafety.risks.services.common import EDIT_ROLES
from missionsafety.risks.services.controls import control_add, control_update
from missionsafety.risks.services.imports.rows import _control_row, _risk_row
from missionsafety.risks.services.imports.sheets import (
    CONTROL_COLUMNS,
    CONTROL_SHEET,
    CONTROLS_PER_RISK,
    MAX_ROWS,
    PREVIEW_HOURS,
    RISK_COLUMNS,
    RISK_SHEET,
    _context,
    _open,
    _sheet,
    _Table,
    _table,
)
from missionsafety.risks.services.register import (
    assessment_record,
    risk_create,
    risk_update,
)


@transaction.atomic
def register_import_preview(
    *, actor: Any, deployment: Deployment, data: bytes, filename: str = ""
) -> RegisterImport:
    """Read a workbook and keep what it would change, row by row, for *Apply*."""
    require(actor, deployment, *EDIT_ROLES)
    wb = _open(data)
    try:
        risk_ws = _sheet(wb, RISK_SHEET, 0)
        if risk_ws is None:
            raise ValidationError({"file": _("The workbook has no sheets.")})
        risks = _table(risk_ws, RISK_COLUMNS, ("title", "owner_party"))
        control_ws = _sheet(wb, CONTROL_SHEET, 1)
        controls = (
            _table(
                control_ws,
                CONTROL_COLUMNS,
                ("risk", "description", "kind", "owner_party"),
                max_rows=MAX_ROWS * CONTROLS_PER_RISK,
            )
            if control_ws is not None and control_ws is not risk_ws
            else _Table(name="", columns={})
        )
    finally:
        wb.close()
    ctx = _context(user=actor, deployment=deployment)
    risk_rows = [_risk_row(risks, n, v, ctx) for n, v in risks.rows]
    seen: dict[str, int] = {}
    for row in risk_rows:
        ref = row.get("reference") or ""
        if ref and row["action"] != "error":
            if ref in seen:
                row.update(
                    action="error",
                    errors=[
                        {
                            "cell": risks.cell("reference", row["row"]),
                            "message": _(
                                "%(ref)s appears twice (rows %(a)s and %(b)s)."
                            )
                            % {"ref": ref, "a": seen[ref], "b": row["row"]},
                        }
                    ],
                )
            seen[ref] = row["row"]
    control_rows = [_control_row(controls, n, v, ctx) for n, v in controls.rows]
    unchanged = sum(
        1 for r in (*risk_rows, *control_rows) if r["action"] == "unchanged"
    )
    pending = RegisterImport.objects.create(
        token=uuid.uuid4(),
        deployment=deployment,
        created_by=actor,
        filename=(filename or "")[:200],
        plan={
            "risks": [r for r in risk_rows if r["action"] != "unchanged"],
            "controls": [r for r in control_rows if r["action"] != "unchanged"],
        },
        unchanged=unchanged,
    )
    record_change(
        actor=actor,
        obj=pending,
        action="import_preview",
        after={
            "filename": pending.filename,
            "create": pending.count("create"),
            "update": pending.count("update"),
            "error": pending.count("error"),
        },
    )
    return pending


def register_import_get(
    *, user: Any, deployment: Deployment, token: Any
) -> RegisterImport:
    """The user's own pending import of this deployment (404 otherwise)."""
    from django.http import Http404

    try:
        return RegisterImport.objects.get(
            deployment=deployment, created_by=user, token=token
        )
    except (RegisterImport.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@transaction.atomic
def register_import_apply(*, actor: Any, pending: RegisterImport) -> dict[str, int]:
    """Write every row of a previewed import, or none of them."""
    deployment = pending.deployment
    require(actor, deployment, *EDIT_ROLES)
    # The deployment first, as every new risk number takes it (docs/locking.md).
    Deployment.objects.select_for_update(no_key=True).get(pk=deployment.pk)
    locked = RegisterImport.objects.select_for_update(no_key=True).get(pk=pending.pk)
    if locked.applied_at is not None:
        raise ValidationError({"file": _("This import was applied already.")})
    if locked.errors:
        raise ValidationError(
            {
                "file": _(
                    "%(n)s rows have errors; correct the workbook and upload it again."
                )
                % {"n": len(locked.errors)}
            }
        )
    if timezone.now() - locked.created_at > datetime.timedelta(hours=PREVIEW_HOURS):
        raise ValidationError(
            {"file": _("This preview is too old; upload the workbook again.")}
        )
    # Every row it will change, in primary-key order, before its first change
    # record: waiting for a row while holding the audit head deadlocks with a
    # single edit that holds that row (docs/locking.md).
    plan = locked.plan
    for model, kind, key in ((Risk, "risks", "risk"), (Control, "controls", "control")):
        ids = {r[key] for r in plan.get(kind, []) if r["action"] == "update"}
        list(
            model.objects.select_for_update(no_key=True)
            .filter(pk__in=ids, deployment=deployment)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    parties = {p.pk: p for p in deployment.parties.all()}
    categories = HazardCategory.objects.in_bulk()
    counts = {"created": 0, "updated": 0, "assessed": 0}

    def resolve(values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        if "owner_party" in out:
            out["owner_party"] = parties.get(out["owner_party"])
        if "category" in out:
            out["category"] = categories.get(out["category"])
        if out.get("due_date"):
            out["due_date"] = datetime.date.fromisoformat(out["due_date"])
        return out

    def assess(risk: Risk, spec: dict[str, Any] | None) -> None:
        if not spec:
            return
        spec = dict(spec)
        based_on = spec.pop("based_on")
        if risk.current_assessment_id != based_on:
            raise ConflictError(
                _("%(ref)s was assessed again since the preview; upload again.")
                % {"ref": risk.reference}
            )
        assessment_record(actor=actor, risk=risk, request_decision=False, **spec)
        counts["assessed"] += 1

    for row in locked.plan.get("risks", []):
        if row["action"] == "create":
            risk = risk_create(
                actor=actor, deployment=deployment, **resolve(row["values"])
            )
            assess(risk, row.get("assessment"))
            counts["created"] += 1
        elif row["action"] == "update":
            risk = (
                Risk.objects.select_related("deployment")
                .filter(deployment=deployment)
                .get(pk=row["risk"])
            )
            if row["changes"]:
                risk = risk_update(
                    actor=actor,
                    risk=risk,
                    version=row["version"],
                    **resolve(row["changes"]),
                )
            assess(risk, row.get("assessment"))
            counts["updated"] += 1
    for row in locked.plan.get("controls", []):
        if row["action"] == "create":
            risk = Risk.objects.select_related("deployment").get(
                pk=row["risk"], deployment=deployment
            )
            control_add(actor=actor, risk=risk, **resolve(row["values"]))
            counts["created"] += 1
        elif row["action"] == "update":
            control = Control.objects.select_related("deployment").get(
                pk=row["control"], deployment=deployment
            )
            control_update(
                actor=actor,
                control=control,
                version=row["version"],
                **resolve(row["changes"]),
            )
            counts["updated"] += 1
    locked.applied_at = timezone.now()
    locked.save(update_fields=["applied_at"])
    record_change(
        actor=actor,
        obj=locked,
        action="import_apply",
        after={"filename": locked.filename, **counts},
    )
    return counts


def register_template(*, deployment: Deployment) -> bytes:
    """An empty register workbook whose coded columns offer the allowed values."""
    matrix = authority.matrix_of(deployment)
    wb = Workbook()
    ws = wb.active
    ws.title = str(RISK_SHEET)
    ws.append([str(label) for label in RISK_COLUMNS.values()])
    controls = wb.create_sheet(str(CONTROL_SHEET))
    controls.append([str(label) for label in CONTROL_COLUMNS.values()])
    for sheet in (ws, controls):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 24
    # Not translated: the drop-downs name the sheet in their formulas.
    lists = wb.create_sheet("Lists")
    lists.sheet_state = "hidden"
    columns = {
        "parties": sorted(
            p.organisation.short_name
            for p in deployment.parties.select_related("organisation")
        ),
        "categories": [c.name for c in HazardCategory.objects.all()],
        "cells": [
            f"{p}/{s}" for p in matrix.probability_codes for s in matrix.severity_codes
        ],
        "kinds": [str(label) for _v, label in Control.Kind.choices],
    }
    ranges: dict[str, str] = {}
    for i, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(i)
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=i, value=value)
        ranges[name] = f"Lists!${letter}$1:${letter}${max(1, len(values))}"

    def offer(sheet: Any, key: str, columns_: dict[str, Any], source: str) -> None:
        letter = get_column_letter(list(columns_).index(key) + 1)
        rule = DataValidation(type="list", formula1=f"={ranges[source]}")
        rule.error = _("Choose a value from the list.")
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")

    offer(ws, "owner_party", RISK_COLUMNS, "parties")
    offer(ws, "category", RISK_COLUMNS, "categories")
    offer(ws, "inherent", RISK_COLUMNS, "cells")
    offer(ws, "residual", RISK_COLUMNS, "cells")
    offer(controls, "owner_party", CONTROL_COLUMNS, "parties")
    offer(controls, "kind", CONTROL_COLUMNS, "kinds")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
