"""Import a register from a workbook in the export's layout: preview, then apply.

The preview reads every row, names every bad cell, and keeps the plan (what to
create and change, and the versions it was based on) in a ``RegisterImport``;
*Apply* writes that plan, all of it or nothing, through the register services.
Cells are read as values (formulas as their last computed value); no text is
ever evaluated, whatever it starts with.
"""

from __future__ import annotations

import datetime
import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from missionsafety.audit.services import record_change
from missionsafety.core.exceptions import ConflictError, ValidationError
from missionsafety.core.text import FORMULA_START
from missionsafety.core.uploads import MEGABYTE
from missionsafety.deployments.models import Deployment, Party
from missionsafety.deployments.visibility import can, require
from missionsafety.risks import authority
from missionsafety.risks.models import (
    Assessment,
    Control,
    HazardCategory,
    RegisterImport,
    Risk,
)
from missionsafety.risks.services.common import ASSESS_ROLES, EDIT_ROLES
from missionsafety.risks.services.controls import (
    change_refusal,
    check_due,
    control_add,
    control_update,
)
from missionsafety.risks.services.register import (
    assessment_record,
    risk_create,
    risk_update,
)

MAX_ROWS = 2000  # risks; their controls may number a few per risk
CONTROLS_PER_RISK = 5
MAX_BYTES = 5 * MEGABYTE
# A preview older than this is not applied: the register has likely moved on.
PREVIEW_HOURS = 24

# The columns of the export's sheets (reports/exports.py), by the same
# translatable header; a workbook in either language is read.
RISK_COLUMNS = {
    "reference": gettext_lazy("reference"),
    "title": gettext_lazy("title"),
    "hazard": gettext_lazy("hazard"),
    "cause": gettext_lazy("cause"),
    "consequence": gettext_lazy("consequence"),
    "category": gettext_lazy("category"),
    "owner_party": gettext_lazy("owner party"),
    "inherent": gettext_lazy("inherent (P/S)"),
    "controls_considered": gettext_lazy("controls considered"),
    "residual": gettext_lazy("residual (P/S)"),
}
CONTROL_COLUMNS = {
    "risk": gettext_lazy("risk"),
    "description": gettext_lazy("control"),
    "kind": gettext_lazy("kind"),
    "owner_party": gettext_lazy("owner party"),
    "due_date": gettext_lazy("due date"),
    "status": gettext_lazy("status"),
    "id": gettext_lazy("control id"),
}
RISK_SHEET = gettext_lazy("Risks")
CONTROL_SHEET = gettext_lazy("Controls")
LANGUAGES = ("nl", "en")


def _in_languages(text: Any) -> set[str]:
    names = {str(text).strip().lower()}
    for lang in LANGUAGES:
        with translation.override(lang):
            names.add(str(text).strip().lower())
    return names


def _headers(columns: dict[str, Any]) -> dict[str, str]:
    """Header text (lower case, any language) → column key."""
    return {
        name: key for key, label in columns.items() for name in _in_languages(label)
    }


def _labels(choices: Any) -> dict[str, str]:
    """Value or label in any language (lower case) → stored value."""
    out: dict[str, str] = {}
    for value, label in choices.choices:
        out[str(value).lower()] = value
        for name in _in_languages(label):
            out[name] = value
    return out


def _text(value: Any) -> str:
    """A cell as text: never evaluated, whatever it starts with. The apostrophe
    the export puts before text that a spreadsheet would run is taken off again."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


# -- reading the workbook -----------------------------------------------------


def _open(data: bytes) -> Any:
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The workbook is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": f"{len(data) / MEGABYTE:.1f}",
                    "limit": MAX_BYTES // MEGABYTE,
                }
            }
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # Compound files: an encrypted workbook, or the old .xls format.
        raise ValidationError(
            {
                "file": _(
                    "The workbook is encrypted or in the old .xls format. Remove "
                    "the password, save it as .xlsx and upload it again."
                )
            }
        )
    not_xlsx = ValidationError(
        {"file": _("This is not an Excel workbook (.xlsx). Upload an .xlsx file.")}
    )
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise not_xlsx from exc
    except Exception as exc:  # openpyxl raises its own errors for broken parts
        raise not_xlsx from exc


def _sheet(wb: Any, title: Any, index: int) -> Any:
    names = _in_languages(title)
    for ws in wb.worksheets:
        if ws.title.strip().lower() in names:
            return ws
    return wb.worksheets[index] if len(wb.worksheets) > index else None


@dataclass
class _Table:
    name: str
    columns: dict[str, int]  # key → 0-based column index
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)

    def cell(self, key: str, row: int) -> str:
        letter = get_column_letter(self.columns.get(key, 0) + 1)
        return f"{self.name}!{letter}{row}"

    def get(self, values: list[Any], key: str) -> Any:
        i = self.columns.get(key)
        if i is None or i >= len(values):
            return None
        return values[i]


def _table(
    ws: Any, columns: dict[str, Any], required: Iterable[str], max_rows: int = MAX_ROWS
) -> _Table:
    headers = _headers(columns)
    rows = ws.iter_rows(values_only=True)
    first = next(rows, None) or ()
    found: dict[str, int] = {}
    for i, value in enumerate(first):
        key = headers.get(_text(value).lower())
        if key and key not in found:
            found[key] = i
    missing = [str(columns[k]) for k in required if k not in found]
    if missing:
        raise ValidationError(
            {
                "file": _(
                    "Sheet “%(sheet)s” lacks the columns %(columns)s. Start from the "
                    "register's export or the template."
                )
                % {"sheet": ws.title, "columns": ", ".join(missing)}
            }
        )
    table = _Table(name=ws.title, columns=found)
    for number, values in enumerate(rows, start=2):
        values = list(values)
        if all(_text(v) == "" for v in values):
            continue
        if len(table.rows) >= max_rows:
            raise ValidationError(
                {
                    "file": _(
                        "Sheet “%(sheet)s” has more than %(max)s rows; import at "
                        "most %(max)s at a time."
                    )
                    % {"sheet": ws.title, "max": max_rows}
                }
            )
        table.rows.append((number, values))
    return table


# -- checking rows --------------------------------------------------------------


@dataclass
class _Context:
    deployment: Deployment
    matrix: Any
    parties: dict[str, Party]
    categories: dict[str, HazardCategory]
    risks: dict[int, Risk]
    controls: dict[int, Control]
    may_assess: bool
    user: Any = None


def _context(*, user: Any, deployment: Deployment) -> _Context:
    parties = {
        p.organisation.short_name.lower(): p
        for p in deployment.parties.select_related("organisation")
    }
    categories: dict[str, HazardCategory] = {}
    for c in HazardCategory.objects.all():
        for name in (c.code, c.name_nl, c.name_en):
            if name:
                categories[name.strip().lower()] = c
    risks = {
        r.number: r
        for r in Risk.objects.filter(deployment=deployment)
        .select_related("category", "owner_party__organisation", "current_assessment")
        .order_by("number")
    }
    controls = {
        c.pk: c
        for c in Control.objects.filter(deployment=deployment).select_related(
            "owner_party__organisation", "risk__owner_party"
        )
    }
    for control in controls.values():
        control.deployment = deployment  # asked for its parties by the rule
    return _Context(
        deployment=deployment,
        matrix=authority.matrix_of(deployment),
        parties=parties,
        categories=categories,
        risks=risks,
        controls=controls,
        may_assess=can(user, deployment, *ASSESS_ROLES),
        user=user,
    )


def _number(text: str) -> int | None:
    """``R-007``, ``7`` or ``007`` → 7; None when it is no risk number."""
    digits = text.upper().removeprefix("R-").removeprefix("R").strip()
    return int(digits) if digits.isdigit() else None


def _pair(text: str, ctx: _Context) -> tuple[str, str] | None:
    probability, _sep, severity = text.replace(" ", "").partition("/")
    if probability in ctx.matrix.probability_codes and (
        severity in ctx.matrix.severity_codes
    ):
        return probability, severity
    return None


def _date(value: Any) -> datetime.date | str | None:
    """A date, None for an empty cell, or "bad" when the cell holds no date."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value)[:10])
    except ValueError:
        pass
    try:
        return datetime.datetime.strptime(_text(value), "%d-%m-%Y").date()
    except ValueError:
        return "bad"


def _risk_row(
    table: _Table, number: int, values: list[Any], ctx: _Context
) -> dict[str, Any]:
    def text(key: str) -> str:
        return _text(table.get(values, key))

    errors: list[dict[str, str]] = []

    def error(key: str, message: str) -> None:
        errors.append({"cell": table.cell(key, number), "message": message})

    row: dict[str, Any] = {"row": number, "title": text("title")}
    reference = text("reference")
    risk: Risk | None = None
    if reference:
        n = _number(reference)
        risk = ctx.risks.get(n) if n is not None else None
        if risk is None:
            error(
                "reference",
                _(
                    "There is no risk %(ref)s in this register; leave the reference "
                    "empty to add a new risk."
                )
                % {"ref": reference},
            )
    values_out: dict[str, Any] = {}
    for key in ("title", "hazard"):
        if not text(key) and (risk is None or key in table.columns):
            error(key, _("The %(column)s is missing.") % {"column": RISK_COLUMNS[key]})
        values_out[key] = text(key)
    for key in ("cause", "consequence"):
        if key in table.columns:
            values_out[key] = text(key)
    category = None
    if "category" in table.columns and text("category"):
        category = ctx.categories.get(text("category").lower())
        if category is None:
            error(
                "category",
                _("Unknown category “%(value)s”.") % {"value": text("category")},
            )
    party = ctx.parties.get(text("owner_party").lower())
    if party is None and (risk is None or "owner_party" in table.columns):
        error(
            "owner_party",
            _(
                "“%(value)s” is not a party to this deployment; choose one of %(parties)s."
            )
            % {
                "value": text("owner_party"),
                "parties": ", ".join(
                    p.organisation.short_name for p in ctx.parties.values()
                ),
            },
        )
    pairs: dict[str, tuple[str, str] | None] = {}
    for key in ("inherent", "residual"):
        if not text(key):
            pairs[key] = None
            continue
        pairs[key] = _pair(text(key), ctx)
        if pairs[key] is None:
            error(
                key,
                _(
                    "“%(value)s” is not a cell of the matrix %(matrix)s; write "
                    "probability/severity, e.g. %(example)s."
                )
                % {
                    "value": text(key),
                    "matrix": ctx.matrix.name,
                    "example": f"{ctx.matrix.probability_codes[0]}/"
                    f"{ctx.matrix.severity_codes[0]}",
                },
            )
    if (pairs["inherent"] is None) != (pairs["residual"] is None) and not errors:
        missing = "residual" if pairs["residual"] is None else "inherent"
        error(missing, _("Give both the inherent and the residual level, or neither."))
    inherent, residual = pairs["inherent"], pairs["residual"]
    if inherent and residual:
        levels = (
            ctx.matrix.level_for(inherent[0], inherent[1]),
            ctx.matrix.level_for(residual[0], residual[1]),
        )
        if ctx.matrix.rank(levels[1]) > ctx.matrix.rank(levels[0]):
            error(
                "residual",
                _(
                    "The residual level (%(residual)s) cannot be higher than the "
                    "inherent level (%(inherent)s)."
                )
                % {"residual": levels[1], "inherent": levels[0]},
            )
    if errors:
        return {**row, "action": "error", "reference": reference, "errors": errors}

    assessment: dict[str, Any] | None = None
    considered = text("controls_considered")
    if inherent and residual:
        current = risk.current_assessment if risk else None
        same = current is not None and (
            (current.inherent_probability, current.inherent_severity) == inherent
            and (current.residual_probability, current.residual_severity) == residual
            and (
                "controls_considered" not in table.columns
                or current.controls_considered.strip() == considered
            )
        )
        if not same:
            assessment = {
                "inherent_probability": inherent[0],
                "inherent_severity": inherent[1],
                "residual_probability": residual[0],
                "residual_severity": residual[1],
                "controls_considered": considered
                if "controls_considered" in table.columns
                else (current.controls_considered if current else ""),
                "reason": Assessment.Reason.CHANGED
                if current
                else Assessment.Reason.INITIAL,
                "based_on": current.pk if current else None,
            }
            if not ctx.may_assess:
                return {
                    **row,
                    "action": "error",
                    "reference": reference,
                    "errors": [
                        {
                            "cell": table.cell("residual", number),
                            "message": _(
                                "Your role lets you change risks, not assess them."
                            ),
                        }
                    ],
                }
    if risk is None:
        return {
            **row,
            "action": "create",
            "reference": "",
            "values": {
                **values_out,
                "category": category.pk if category else None,
                "owner_party": party.pk if party else None,
            },
            "assessment": assessment,
        }
    changes: dict[str, Any] = {}
    for key, value in values_out.items():
        if key in table.columns and (getattr(risk, key) or "").strip() != value:
            changes[key] = value
    if "category" in table.columns and (category.pk if category else None) != (
        risk.category_id
    ):
        changes["category"] = category.pk if category else None
    if party is not None and party.pk != risk.owner_party_id:
        changes["owner_party"] = party.pk
    if not changes and assessment is None:
        return {**row, "action": "unchanged", "reference": risk.reference}
    if risk.status == Risk.Status.CLOSED:
        # Only an edit of a closed risk is refused; the row as exported passes.
        return {
            **row,
            "action": "error",
            "reference": reference,
            "errors": [
                {
                    "cell": table.cell("reference", number),
                    "message": _("%(ref)s is closed.") % {"ref": risk.reference},
                }
            ],
        }
    return {
        **row,
        "action": "update",
        "reference": risk.reference,
        "risk": risk.pk,
        "version": risk.version,
        "changes": changes,
        "changed": [
            {
                "field": _verbose(Risk, k),
                "before": _shown(risk, k),
                "after": category.name
                if k == "category" and category
                else party.organisation.short_name
                if k == "owner_party" and party
                else str(v or ""),
            }
            for k, v in changes.items()
        ],
        "assessment": assessment,
    }


def _verbose(model: Any, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _shown(risk: Risk, key: str) -> str:
    if key == "category":
        return risk.category.name if risk.category else ""
    if key == "owner_party":
        return risk.owner_party.organisation.short_name
    return str(getattr(risk, key) or "")


def _control_row(
    table: _Table, number: int, values: list[Any], ctx: _Context
) -> dict[str, Any]:
    def text(key: str) -> str:
        return _text(table.get(values, key))

    errors: list[dict[str, str]] = []

    def error(key: str, message: str) -> None:
        errors.append({"cell": table.cell(key, number), "message": message})

    row: dict[str, Any] = {"row": number, "title": text("description")[:80]}
    n = _number(text("risk"))
    risk = ctx.risks.get(n) if n is not None else None
    if risk is None:
        error(
            "risk",
            _("There is no risk “%(ref)s” in this register.") % {"ref": text("risk")},
        )
    control: Control | None = None
    if text("id"):
        n_id = _number(text("id"))
        control = ctx.controls.get(n_id) if n_id is not None else None
        if control is None or (risk is not None and control.risk_id != risk.pk):
            error("id", _("Unknown control “%(id)s”.") % {"id": text("id")})
            control = None
    if not text("description"):
        error("description", _("Describe the control."))
    kinds = _labels(Control.Kind)
    kind = kinds.get(text("kind").lower())
    if kind is None:
        error(
            "kind",
            _("Unknown kind of control “%(value)s”.") % {"value": text("kind")},
        )
    party = ctx.parties.get(text("owner_party").lower())
    if party is None:
        error(
            "owner_party",
            _("“%(value)s” is not a party to this deployment.")
            % {"value": text("owner_party")},
        )
    due = _date(table.get(values, "due_date"))
    if due == "bad":
        error(
            "due_date",
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.")
            % {"value": text("due_date")},
        )
    elif (
        isinstance(due, datetime.date)
        # A date the workbook leaves as it was is not refused now.
        and (control is None or due != control.due_date)
    ):
        try:
            check_due(ctx.deployment, due)
        except ValidationError as exc:
            for message in exc.message_dict.get("due_date", []):
                error("due_date", message)
    status = None
    if "status" in table.columns and text("status"):
        status = _labels(Control.Status).get(text("status").lower())
        if status is None:
            error(
                "status",
                _("Unknown status “%(value)s”.") % {"value": text("status")},
            )
        elif control is None and status != Control.Status.PLANNED:
            error("status", _("A new control starts as planned."))
        elif (
            control is not None
            and status != control.status
            and status not in Control.TRANSITIONS[control.status]
        ):
            error(
                "status",
                _("A control that is %(current)s cannot become %(target)s.")
                % {
                    "current": Control.Status(control.status).label,
                    "target": Control.Status(status).label,
                },
            )
    if errors:
        return {**row, "action": "error", "reference": text("risk"), "errors": errors}
    assert risk is not None and party is not None and kind is not None
    values_out = {
        "description": text("description"),
        "kind": kind,
        "owner_party": party.pk,
        "due_date": due.isoformat() if isinstance(due, datetime.date) else None,
    }
    if control is None:
        return {
            **row,
            "action": "create",
            "reference": risk.reference,
            "risk": risk.pk,
            "values": values_out,
        }
    current = {
        "description": control.description.strip(),
        "kind": control.kind,
        "owner_party": control.owner_party_id,
        "due_date": control.due_date.isoformat() if control.due_date else None,
    }
    changes = {k: v for k, v in values_out.items() if current[k] != v}
    if status is not None and status != control.status:
        changes["status"] = status
    if not changes:
        return {**row, "action": "unchanged", "reference": risk.reference}
    # The same rule as the apply's control_update: who may change this
    # control, and who may hand it to another party.
    refusal = change_refusal(ctx.user, control, set(changes))
    if refusal is not None:
        key = "owner_party" if "owner_party" in changes else next(iter(changes))
        error(key, str(refusal.message))
        return {**row, "action": "error", "reference": risk.reference, "errors": errors}
    return {
        **row,
        "action": "update",
        "reference": risk.reference,
        "control": control.pk,
        "version": control.version,
        "changes": changes,
        "changed": [
            {
                "field": _verbose(Control, k),
                "before": _control_shown(control, k, current.get(k, control.status)),
                "after": _control_shown(control, k, v),
            }
            for k, v in changes.items()
        ],
    }


def _control_shown(control: Control, key: str, value: Any) -> str:
    if key == "kind":
        return str(Control.Kind(value).label)
    if key == "status":
        return str(Control.Status(value).label)
    if key == "owner_party":
        party = Party.objects.select_related("organisation").get(pk=value)
        return party.organisation.short_name
    return str(value or "")


# -- services ---------------------------------------------------------------------


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


# -- the template -------------------------------------------------------------------


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
