"""XLSX export of a deployment's register: risks, controls and decisions."""

from __future__ import annotations

import io
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from missionsafety.core.text import spreadsheet_cell
from missionsafety.deployments.models import Deployment, Party
from missionsafety.risks.models import Control, Decision, Risk


def _sheet(wb: Workbook, title: str, header: list[str], rows: Any, first: bool) -> None:
    """One sheet, streamed: a write-only workbook keeps no cell objects, and
    only the header row carries a style (one shared bold font)."""
    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(
            60, max(10, len(name) + 2)
        )
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=spreadsheet_cell(name))
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append([spreadsheet_cell("" if v is None else v) for v in row])


def _date(value: Any) -> Any:
    return value.isoformat() if value else ""


def register_workbook(*, user: Any, deployment: Deployment) -> bytes:
    """The register as the user sees it, in three sheets (one query each)."""
    risks = list(
        Risk.objects.visible_to(user)
        .filter(deployment=deployment)
        .select_related(
            "owner_party__organisation", "owner", "category", "current_assessment"
        )
        .order_by("number")
    )
    controls = list(
        Control.objects.filter(risk__in=[r.pk for r in risks])
        .select_related("risk", "owner_party__organisation", "implementer")
        .order_by("risk__number", "pk")
    )
    decisions = list(
        Decision.objects.filter(risk__in=[r.pk for r in risks])
        .select_related("risk", "assessment", "decided_by", "decided_for")
        .prefetch_related(
            Prefetch(
                "parties_consulted",
                queryset=Party.objects.select_related("organisation"),
            )
        )
        .order_by("risk__number", "decided_at")
    )
    wb = Workbook(write_only=True)

    def risk_row(r: Risk) -> list[Any]:
        a = r.current_assessment
        return [
            r.reference,
            r.title,
            r.hazard,
            r.cause,
            r.consequence,
            r.category.name if r.category else "",
            r.owner_party.organisation.short_name,
            str(r.owner) if r.owner else "",
            r.get_status_display(),
            f"{a.inherent_probability}/{a.inherent_severity}" if a else "",
            r.inherent_level,
            a.controls_considered if a else "",
            f"{a.residual_probability}/{a.residual_severity}" if a else "",
            r.residual_level,
            _date(a.assessed_at.date()) if a else "",
            _date(r.acceptance_expires_on),
            _("yes") if r.stop_flag else "",
            _("yes") if r.reassessment_required else "",
        ]

    _sheet(
        wb,
        _("Risks"),
        [
            _("reference"),
            _("title"),
            _("hazard"),
            _("cause"),
            _("consequence"),
            _("category"),
            _("owner party"),
            _("owner"),
            _("status"),
            _("inherent (P/S)"),
            _("inherent level"),
            _("controls considered"),
            _("residual (P/S)"),
            _("residual level"),
            _("assessed on"),
            _("acceptance valid until"),
            _("stop: re-approval needed"),
            _("reassessment required"),
        ],
        (risk_row(r) for r in risks),
        first=True,
    )
    _sheet(
        wb,
        _("Controls"),
        [
            _("risk"),
            _("control"),
            _("kind"),
            _("owner party"),
            _("implementer"),
            _("due date"),
            _("status"),
            _("control id"),
        ],
        (
            [
                c.risk.reference,
                c.description,
                c.get_kind_display(),
                c.owner_party.organisation.short_name,
                str(c.implementer) if c.implementer else "",
                _date(c.due_date),
                c.get_status_display(),
                c.pk,
            ]
            for c in controls
        ),
        first=False,
    )
    _sheet(
        wb,
        _("Decisions"),
        [
            _("risk"),
            _("assessment"),
            _("outcome"),
            _("level"),
            _("decided by"),
            _("decided for"),
            _("authority held"),
            _("parties consulted"),
            _("conditions"),
            _("valid until"),
            _("rationale"),
            _("decided at"),
        ],
        (
            [
                d.risk.reference,
                d.assessment.sequence,
                d.get_outcome_display(),
                d.level,
                str(d.decided_by) if d.decided_by else "",
                d.decided_for.short_name if d.decided_for else "",
                d.authority_held,
                ", ".join(p.organisation.short_name for p in d.parties_consulted.all()),
                d.conditions,
                _date(d.valid_until),
                d.rationale,
                d.decided_at.isoformat(timespec="minutes"),
            ]
            for d in decisions
        ),
        first=False,
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
