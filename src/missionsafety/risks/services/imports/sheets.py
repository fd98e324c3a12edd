"""Reading a register workbook: limits, columns, sheets, cells and the context rows resolve against."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from missionsafety.core.exceptions import ValidationError
from missionsafety.core.text import FORMULA_START
from missionsafety.core.uploads import MEGABYTE
from missionsafety.deployments.models import Deployment, Party
from missionsafety.deployments.visibility import can
from missionsafety.risks import authority
from missionsafety.risks.models import Control, HazardCategory, Risk
from missionsafety.risks.services.common import ASSESS_ROLES

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


def _verbose(model: Any, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _shown(risk: Risk, key: str) -> str:
    if key == "category":
        return risk.category.name if risk.category else ""
    if key == "owner_party":
        return risk.owner_party.organisation.short_name
    return str(getattr(risk, key) or "")
