"""Checking one risk row or control row of an import against the register."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from missionsafety.core.exceptions import ValidationError
from missionsafety.deployments.models import Party
from missionsafety.risks.models import Assessment, Control, Risk
from missionsafety.risks.services.controls import change_refusal, check_due
from missionsafety.risks.services.imports.sheets import (
    RISK_COLUMNS,
    _Context,
    _date,
    _labels,
    _number,
    _pair,
    _shown,
    _Table,
    _text,
    _verbose,
)


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
